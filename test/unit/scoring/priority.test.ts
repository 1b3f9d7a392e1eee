import { describe, expect, it } from 'vitest';
import type { Assessment, ExpansionOpportunity, Timing } from '../../../src/model/assessment.ts';
import { prioritize } from '../../../src/scoring/priority.ts';
import { ScoringConfigSchema, type ScoringConfig } from '../../../src/scoring/config.ts';

const config = (overrides: Record<string, unknown> = {}): ScoringConfig => ScoringConfigSchema.parse(overrides);

function opportunity(
  expectedValue: number,
  timing: Timing,
  motion: ExpansionOpportunity['motion'] = 'seat_add',
  module?: string,
): ExpansionOpportunity {
  return {
    motion,
    ...(module ? { module } : {}),
    arrPotential: expectedValue * 2,
    arrLow: expectedValue,
    arrHigh: expectedValue * 3,
    probability: 0.5,
    expectedValue,
    timing,
    signalIds: [],
    narrative: { title: 't', body: 'b', evidence: [] },
  };
}

function assessment(accountId: string, opportunities: ExpansionOpportunity[]): Assessment {
  return {
    accountId,
    asOf: '2026-11-20',
    score: 50,
    health: 'green',
    timing: 'now',
    signals: [],
    missing: [],
    reasons: [],
    opportunities,
  };
}

const ranks = (items: Assessment[]) =>
  Object.fromEntries(
    items.flatMap((a) =>
      a.opportunities.map((o) => [`${a.accountId}:${o.motion}${o.module ? `:${o.module}` : ''}`, o.priority]),
    ),
  );

describe('pipeline priority', () => {
  it('ranks by expected value weighted by timing urgency, not by expected value alone', () => {
    const ranked = ranks(
      prioritize(
        [
          { assessment: assessment('a', [opportunity(10_000, '90d')]), ownerId: 'o1' },
          { assessment: assessment('b', [opportunity(6_000, 'now')]), ownerId: 'o1' },
          { assessment: assessment('c', [opportunity(8_000, '30d')]), ownerId: 'o1' },
        ],
        config(),
      ),
    );
    // 10,000 x 0.3 = 3,000; 6,000 x 1 = 6,000; 8,000 x 0.6 = 4,800
    expect([ranked['b:seat_add']?.rank, ranked['c:seat_add']?.rank, ranked['a:seat_add']?.rank]).toEqual([1, 2, 3]);
    expect(ranked['b:seat_add']?.score).toBe(6_000);
  });

  it('cuts tiers by rank: the top share P1, the next P2, the rest P3', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({
      assessment: assessment(`acct-${i}`, [opportunity(1_000 * (10 - i), 'now')]),
      ownerId: `o${i}`,
    }));
    const tiers = prioritize(items, config()).map((a) => a.opportunities[0]?.priority?.tier);
    expect(tiers).toEqual(['P1', 'P1', 'P2', 'P2', 'P2', 'P3', 'P3', 'P3', 'P3', 'P3']);
  });

  it("queues an owner's new opportunities past capacity, best first, and leaves other owners alone", () => {
    const scoring = config({ priority: { capacityPerOwner: 2 } });
    const items = [
      ...[5, 4, 3, 2].map((v) => ({
        assessment: assessment(`busy-${v}`, [opportunity(v * 1_000, 'now')]),
        ownerId: 'busy',
      })),
      { assessment: assessment('free-1', [opportunity(100, 'now')]), ownerId: 'free' },
    ];
    const ranked = ranks(prioritize(items, scoring));
    expect(['busy-5', 'busy-4', 'busy-3', 'busy-2'].map((id) => ranked[`${id}:seat_add`]?.queued)).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(ranked['free-1:seat_add']?.queued).toBe(false);
  });

  it('opportunities already open in the CRM take no capacity, and earlier creations this period do', () => {
    const scoring = config({ priority: { capacityPerOwner: 2 } });
    const items = [1, 2, 3].map((v) => ({
      assessment: assessment(`acct-${v}`, [opportunity(v * 1_000, 'now')]),
      ownerId: 'o1',
    }));
    const open = ranks(prioritize(items, scoring, { isOpen: (accountId) => accountId === 'acct-3' }));
    expect([open['acct-3:seat_add']?.queued, open['acct-2:seat_add']?.queued, open['acct-1:seat_add']?.queued]).toEqual(
      [false, false, false],
    );
    const used = ranks(prioritize(items, scoring, { createdThisPeriod: new Map([['o1', 1]]) }));
    expect([used['acct-3:seat_add']?.queued, used['acct-2:seat_add']?.queued, used['acct-1:seat_add']?.queued]).toEqual(
      [false, true, true],
    );
  });

  it("is deterministic on ties and keeps each account's opportunities in rank order", () => {
    const items = [
      {
        assessment: assessment('b', [
          opportunity(500, 'now', 'module_cross_sell', 'automation'),
          opportunity(900, 'now'),
        ]),
        ownerId: 'o',
      },
      { assessment: assessment('a', [opportunity(500, 'now', 'module_cross_sell', 'api')]), ownerId: 'o' },
    ];
    const first = prioritize(items, config());
    expect(first).toEqual(prioritize(items, config()));
    expect(first[0]?.opportunities.map((o) => o.motion)).toEqual(['seat_add', 'module_cross_sell']);
    const ranked = ranks(first);
    expect([
      ranked['b:seat_add']?.rank,
      ranked['a:module_cross_sell:api']?.rank,
      ranked['b:module_cross_sell:automation']?.rank,
    ]).toEqual([1, 2, 3]);
  });
});

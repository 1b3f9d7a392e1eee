import { describe, expect, it } from 'vitest';
import { planWrites, type PlanInput, type WriteFieldsFn } from '../../../src/engine/plan.ts';
import { rankPipeline } from '../../../src/engine/rank-pipeline.ts';
import type { Account } from '../../../src/model/account.ts';
import { AssessmentSchema, type ExpansionOpportunity } from '../../../src/model/assessment.ts';
import { explorationPick, isHoldout } from '../../../src/outcomes/holdout.ts';
import { ScoringConfigSchema } from '../../../src/scoring/config.ts';

const ids = Array.from({ length: 200 }, (_, i) => `a${i}`);
const account = (id: string): Account => ({
  system: 'hubspot',
  id,
  name: `Account ${id}`,
  ownerId: 'o1',
  modulesOwned: [],
});

const opportunity = (extra: Partial<ExpansionOpportunity> = {}): ExpansionOpportunity => ({
  motion: 'seat_add',
  arrPotential: 12_000,
  arrLow: 9_000,
  arrHigh: 15_000,
  seatsToAdd: 20,
  probability: 0.5,
  expectedValue: 6_000,
  timing: 'now',
  signalIds: ['seat_utilization'],
  narrative: { title: 'Add seats', body: 'The team is short of seats.', evidence: [] },
  ...extra,
});

const scored = ids.map((id) => ({
  account: account(id),
  assessment: AssessmentSchema.parse({
    accountId: id,
    asOf: '2026-11-30',
    score: 70,
    health: 'green',
    timing: 'now',
    signals: [],
    missing: [],
    reasons: [],
    opportunities: [opportunity()],
  }),
}));

/** One owner with capacity 10: 200 ready accounts, so most wait as queued. */
const rank = (selection?: { holdoutShare: number; explorationShare: number }) =>
  rankPipeline({
    system: 'hubspot',
    scored,
    opportunities: [],
    artifacts: new Map(),
    now: new Date('2026-11-30T12:00:00Z'),
    config: ScoringConfigSchema.parse({ priority: { capacityPerOwner: 10 } }),
    ...(selection ? { selection: { ...selection, cycle: '2026q4' } } : {}),
  });

const identity: WriteFieldsFn = (outputs) =>
  Object.entries(outputs).map(([field, value]) => ({ field, from: field, value, policy: 'always' }));

const plan = (items: PlanInput['items']) =>
  planWrites({
    system: 'hubspot',
    asOf: '2026-11-30',
    cycle: '2026q4',
    pipeline: 'default',
    stage: 'new',
    notesEnabled: true,
    maxRetries: 5,
    items,
    currentAccountValues: new Map(),
    accountLedgers: new Map(),
    opportunities: [],
    opportunityLedgers: new Map(),
    artifacts: new Map(),
    failures: new Map(),
    accountFields: identity,
    opportunityFields: identity,
    normalizeAccount: (_field, value) => value ?? null,
    normalizeOpportunity: (_field, value) => value ?? null,
    objects: { account: 'companies', opportunity: 'deals' },
  });

describe('holdout and exploration in the ranked pipeline', () => {
  it('withholds every opportunity of a holdout account as holdout: no deal, no note, no owner capacity', () => {
    const ranked = rank({ holdoutShare: 0.2, explorationShare: 0 });
    const held = ids.filter((id) => isHoldout('hubspot', id, 0.2));
    expect(held.length).toBeGreaterThan(20);
    for (const item of ranked) {
      const [o] = item.assessment.opportunities;
      expect(o?.withheld === 'holdout').toBe(held.includes(item.account.id));
    }
    const writes = plan(ranked);
    const planned = new Set([...writes.opportunities, ...writes.notes].map((w) => w.accountId));
    expect(held.filter((id) => planned.has(id))).toEqual([]);
    expect(writes.skips.filter((s) => s.reason === 'withheld')).toHaveLength(held.length);
    // The holdout takes no capacity: the owner still gets their 10 new deals.
    expect(writes.opportunities).toHaveLength(10);
  });

  it('pitches a queued opportunity exploration picks, with its propensity on the planned deal and note', () => {
    const ranked = rank({ holdoutShare: 0.05, explorationShare: 0.1 });
    const explored = ranked.filter((item) => item.assessment.opportunities[0]?.priority?.explored === true);
    const queued = rank({ holdoutShare: 0.05, explorationShare: 0 }).filter(
      (item) => item.assessment.opportunities[0]?.priority?.queued === true,
    );
    expect(explored.length).toBeGreaterThan(5);
    expect(explored.every((item) => explorationPick('hubspot', `${item.account.id}:seat_add::2026q4`, 0.1))).toBe(true);
    expect(explored.length).toBeLessThan(queued.length / 4);
    const writes = plan(ranked);
    const byAccount = new Map(writes.opportunities.map((o) => [o.accountId, o]));
    expect(writes.opportunities.length).toBe(10 + explored.length);
    for (const item of explored) {
      expect(byAccount.get(item.account.id)?.propensity).toBeCloseTo(0.95 * 0.1);
      expect(writes.notes.find((n) => n.accountId === item.account.id)?.propensity).toBeCloseTo(0.095);
    }
    // Pitched within capacity: the chance of being outside the holdout.
    const regular = writes.opportunities.filter((o) => !explored.some((e) => e.account.id === o.accountId));
    expect(regular.every((o) => o.propensity === 0.95)).toBe(true);
  });

  it('changes nothing when no selection is configured', () => {
    const writes = plan(rank());
    expect(writes.opportunities).toHaveLength(10);
    expect(writes.opportunities.every((o) => o.propensity === undefined)).toBe(true);
  });
});

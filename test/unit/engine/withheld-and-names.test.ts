import { describe, expect, it } from 'vitest';
import { opportunityOutputs } from '../../../src/engine/outputs.ts';
import { withOwnerNames } from '../../../src/engine/owner-names.ts';
import { planWrites, type PlanInput, type WriteFieldsFn } from '../../../src/engine/plan.ts';
import { rankPipeline } from '../../../src/engine/rank-pipeline.ts';
import type { Account, CrmOpportunity } from '../../../src/model/account.ts';
import { AssessmentSchema, type Assessment, type ExpansionOpportunity } from '../../../src/model/assessment.ts';
import { ScoringConfigSchema } from '../../../src/scoring/config.ts';

const account = (id: string, extra: Partial<Account> = {}): Account => ({
  system: 'hubspot',
  id,
  name: `Account ${id}`,
  modulesOwned: [],
  ...extra,
});

function opportunity(extra: Partial<ExpansionOpportunity> = {}): ExpansionOpportunity {
  return {
    motion: 'seat_add',
    arrPotential: 12_000,
    arrLow: 9_000,
    arrHigh: 15_000,
    seatsToAdd: 216,
    probability: 0.5,
    expectedValue: 6_000,
    timing: 'now',
    signalIds: ['seat_utilization'],
    narrative: { title: 'Add seats', body: 'The team is short of seats.', evidence: [] },
    ...extra,
  };
}

const assessment = (accountId: string, opportunities: ExpansionOpportunity[]): Assessment =>
  AssessmentSchema.parse({
    accountId,
    asOf: '2026-11-30',
    score: 70,
    health: 'green',
    timing: 'now',
    signals: [],
    missing: [],
    reasons: [],
    opportunities,
  });

/** Every canonical output as a field of the same name, written always. */
const identity: WriteFieldsFn = (outputs) =>
  Object.entries(outputs).map(([field, value]) => ({ field, from: field, value, policy: 'always' }));

function planInput(items: PlanInput['items'], extra: Partial<PlanInput> = {}): PlanInput {
  return {
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
    ...extra,
  };
}

describe('deal names', () => {
  it('carry no number: the seat count moves with the sizing, the create-only name would not', () => {
    const outputs = opportunityOutputs({
      account: account('1', { name: 'Acme' }),
      opportunity: opportunity({ seatsToAdd: 216 }),
      key: 'k',
      asOf: '2026-11-30',
      pipeline: 'p',
      stage: 's',
    });
    expect(outputs['name']).toBe('Acme · Seat expansion');
    expect(outputs['amount']).toBe('12000');
    const smaller = opportunityOutputs({
      account: account('1', { name: 'Acme' }),
      opportunity: opportunity({ seatsToAdd: 138, arrPotential: 7_000 }),
      key: 'k',
      asOf: '2026-11-30',
      pipeline: 'p',
      stage: 's',
    });
    expect(smaller['name']).toBe(outputs['name']);
  });

  it('a cross-sell names its module by the catalog label; a tier upgrade by its motion', () => {
    const cross = opportunity({ motion: 'module_cross_sell', module: 'reporting', seatsToAdd: undefined });
    const named = opportunityOutputs({
      account: account('1', { name: 'Acme' }),
      opportunity: cross,
      key: 'k',
      asOf: '2026-11-30',
      pipeline: 'p',
      stage: 's',
      moduleLabels: { reporting: 'Advanced Reporting' },
    });
    expect(named['name']).toBe('Acme · Module cross-sell (Advanced Reporting)');
    const tier = opportunityOutputs({
      account: account('1', { name: 'Acme' }),
      opportunity: opportunity({ motion: 'tier_upgrade', targetPlan: 'enterprise', seatsToAdd: 40 }),
      key: 'k',
      asOf: '2026-11-30',
      pipeline: 'p',
      stage: 's',
    });
    expect(tier['name']).toBe('Acme · Tier upgrade');
  });
});

describe('withheld opportunities in the write plan', () => {
  it('get no CRM opportunity and no note, only a skip saying why; the pitched one beside them is created with its note', () => {
    const items = [
      {
        account: account('1'),
        assessment: assessment('1', [
          opportunity(),
          opportunity({ motion: 'module_cross_sell', module: 'reporting', seatsToAdd: undefined, withheld: 'watch' }),
          opportunity({ motion: 'tier_upgrade', seatsToAdd: undefined, withheld: 'renewal_evaluation' }),
        ]),
      },
      { account: account('2'), assessment: assessment('2', [opportunity({ withheld: 'ramping' })]) },
    ];
    const plan = planWrites(planInput(items));
    expect(plan.opportunities.map((o) => o.key)).toEqual(['hubspot-1-seat_add-2026q4']);
    expect(plan.notes.map((n) => n.opportunityKey)).toEqual(['hubspot-1-seat_add-2026q4']);
    expect(plan.skips.map((s) => [s.recordKey, s.reason])).toEqual([
      ['hubspot-1-module_cross_sell-reporting-2026q4', 'withheld'],
      ['hubspot-1-tier_upgrade-2026q4', 'withheld'],
      ['hubspot-2-seat_add-2026q4', 'withheld'],
    ]);
    expect(plan.skips[1]?.detail).toMatch(/renewal conversation/);
    expect(plan.skips[2]?.detail).toMatch(/ramping/);
  });

  it("get no note on an AE's open opportunity either, and leave our own open one untouched", () => {
    const theirs: CrmOpportunity = { id: 'D-9', accountId: '1', motion: 'seat_add', closed: false, values: {} };
    const ours: CrmOpportunity = {
      id: 'D-7',
      accountId: '2',
      motion: 'seat_add',
      expansionKey: 'hubspot-2-seat_add-2026q3',
      closed: false,
      values: { amount: '1' },
    };
    const items = [
      { account: account('1'), assessment: assessment('1', [opportunity({ withheld: 'renewal_evaluation' })]) },
      { account: account('2'), assessment: assessment('2', [opportunity({ withheld: 'renewal_evaluation' })]) },
    ];
    const plan = planWrites(planInput(items, { opportunities: [theirs, ours] }));
    expect(plan.opportunities).toEqual([]);
    expect(plan.notes).toEqual([]);
    expect(plan.skips.map((s) => s.reason)).toEqual(['withheld', 'withheld']);
    expect(plan.skips[1]).toMatchObject({ recordKey: 'hubspot-2-seat_add-2026q3' });
    expect(plan.skips[1]?.detail).toContain('D-7 is left as it is');
  });

  it("are left out of the account's potential ARR", () => {
    const items = [
      {
        account: account('1'),
        assessment: assessment('1', [
          opportunity({ arrPotential: 5_000 }),
          opportunity({ motion: 'tier_upgrade', arrPotential: 40_000, withheld: 'ramping' }),
        ]),
      },
    ];
    expect(planWrites(planInput(items)).accountUpdates[0]?.fields['potentialArr']).toBe('5000');
  });

  it('a queued opportunity names its owner by name', () => {
    const queued = opportunity({ priority: { score: 1, rank: 3, tier: 'P3', queued: true } });
    const plan = planWrites(
      planInput([
        {
          account: account('1', { ownerId: '1002', ownerName: 'Dana Whitfield' }),
          assessment: assessment('1', [queued]),
        },
      ]),
    );
    expect(plan.skips[0]).toMatchObject({ reason: 'queued' });
    expect(plan.skips[0]?.detail).toContain('owner Dana Whitfield is at capacity');
  });
});

describe('withheld opportunities in the ranking', () => {
  const config = ScoringConfigSchema.parse({ priority: { capacityPerOwner: 1 } });
  const rank = (items: { account: Account; assessment: Assessment }[]) =>
    rankPipeline({
      system: 'hubspot',
      scored: items,
      opportunities: [],
      artifacts: new Map(),
      now: new Date('2026-11-30T06:00:00Z'),
      config,
    });

  it("take no owner capacity and get no rank: the owner's one slot goes to the pitched opportunity", () => {
    const owner = { ownerId: '77' };
    const ranked = rank([
      {
        account: account('1', owner),
        assessment: assessment('1', [opportunity({ expectedValue: 90_000, withheld: 'renewal_evaluation' })]),
      },
      {
        account: account('2', owner),
        assessment: assessment('2', [opportunity({ expectedValue: 50_000, withheld: 'watch' })]),
      },
      { account: account('3', owner), assessment: assessment('3', [opportunity({ expectedValue: 1_000 })]) },
    ]);
    const [first, second, third] = ranked.map((r) => r.assessment.opportunities);
    expect(first?.[0]).toMatchObject({ withheld: 'renewal_evaluation' });
    expect(first?.[0]?.priority).toBeUndefined();
    expect(second?.[0]?.priority).toBeUndefined();
    expect(third?.[0]?.priority).toMatchObject({ rank: 1, tier: 'P1', queued: false });
  });

  it('keep their place after the pitched opportunities of their account', () => {
    const ranked = rank([
      {
        account: account('1', { ownerId: '77' }),
        assessment: assessment('1', [opportunity({ motion: 'tier_upgrade', withheld: 'ramping' }), opportunity()]),
      },
    ]);
    expect(ranked[0]?.assessment.opportunities.map((o) => `${o.motion}:${o.withheld ?? 'pitched'}`)).toEqual([
      'seat_add:pitched',
      'tier_upgrade:ramping',
    ]);
  });
});

describe('owner names', () => {
  it('are filled from the CRM owners, never from an owner without a name, and a stale one is dropped', () => {
    const owners = [
      { id: '1002', name: 'Dana Whitfield', active: true },
      { id: '1003', name: '  ', active: true },
    ];
    const named = withOwnerNames(
      [
        account('1', { ownerId: '1002' }),
        account('2', { ownerId: '1003' }),
        account('3', { ownerId: '9999', ownerName: 'Left Co' }),
        account('4'),
      ],
      owners,
    );
    expect(named.map((a) => a.ownerName)).toEqual(['Dana Whitfield', undefined, undefined, undefined]);
    expect(named[2]).not.toHaveProperty('ownerName');
  });
});

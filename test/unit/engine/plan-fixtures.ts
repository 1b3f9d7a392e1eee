import { defaultNormalize, type WritePolicy } from '../../../src/engine/plan-fields.ts';
import type { PlanInput, WriteFieldsFn } from '../../../src/engine/plan.ts';
import type { Account } from '../../../src/model/account.ts';
import { AssessmentSchema, type Assessment, type ExpansionOpportunity } from '../../../src/model/assessment.ts';
import type { FailedWrite } from '../../../src/state/store.ts';

export const account = (id: string, extra: Partial<Account> = {}): Account => ({
  system: 'hubspot',
  id,
  name: `Account ${id}`,
  modulesOwned: [],
  ...extra,
});

export function opportunity(extra: Partial<ExpansionOpportunity> = {}): ExpansionOpportunity {
  return {
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
  };
}

export const assessment = (
  accountId: string,
  opportunities: ExpansionOpportunity[],
  extra: Partial<Assessment> = {},
): Assessment =>
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
    ...extra,
  });

/** A write mapping with one field per policy, as RevOps might configure it. */
function fields(rules: Readonly<Record<string, readonly [string, WritePolicy]>>): WriteFieldsFn {
  return (outputs) =>
    Object.entries(rules).map(([from, [field, policy]]) => ({ field, from, value: outputs[from] ?? null, policy }));
}

export const ACCOUNT_FIELDS = fields({
  score: ['es_score', 'always'],
  health: ['es_health', 'unless-edited'],
  potentialArr: ['es_potential', 'if-empty'],
  timing: ['es_timing', 'create-only'],
  scoredAt: ['es_scored_at', 'always'],
});

export const OPPORTUNITY_FIELDS = fields({
  name: ['dealname', 'create-only'],
  amount: ['amount', 'unless-edited'],
  stage: ['dealstage', 'create-only'],
  expansionKey: ['es_key', 'always'],
  probability: ['es_probability', 'always'],
});

/**
 * What the account fields hold after we wrote `assessment('1', [opportunity()])`. Not es_timing: we never
 * create accounts, so a create-only account field is never written.
 */
export const WRITTEN_ACCOUNT = {
  es_score: '70',
  es_health: 'green',
  es_potential: '12000',
  es_scored_at: '2026-11-30',
};

export const KEY = 'hubspot-1-seat_add-2026q4';

export function planInput(items: PlanInput['items'], extra: Partial<PlanInput> = {}): PlanInput {
  return {
    system: 'hubspot',
    asOf: '2026-11-30',
    cycle: '2026q4',
    pipeline: 'default',
    stage: 'new',
    notesEnabled: true,
    maxRetries: 3,
    items,
    currentAccountValues: new Map(),
    accountLedgers: new Map(),
    opportunities: [],
    opportunityLedgers: new Map(),
    artifacts: new Map(),
    failures: new Map(),
    accountFields: ACCOUNT_FIELDS,
    opportunityFields: OPPORTUNITY_FIELDS,
    normalizeAccount: defaultNormalize,
    normalizeOpportunity: defaultNormalize,
    objects: { account: 'companies', opportunity: 'deals' },
    ...extra,
  };
}

export function failure(object: string, recordKey: string, attempts: number): [string, FailedWrite] {
  return [
    `${object}:${recordKey}`,
    {
      system: 'hubspot',
      objectType: object,
      recordKey,
      runId: 'run-0',
      code: 'validation',
      message: 'INVALID_OPTION',
      retryable: false,
      at: '2026-11-29T00:00:00Z',
      attempts,
      firstFailedAt: '2026-11-20T00:00:00Z',
    },
  ];
}

import type { Motion } from '../../../src/model/account.ts';
import {
  AssessmentSchema,
  type Assessment,
  type Evidence,
  type ExpansionOpportunity,
  type Priority,
} from '../../../src/model/assessment.ts';
import type { StoredAssessment } from '../../../src/state/store.ts';

/**
 * A hand-built portfolio for `score` and `pipeline`: three owners (two named in the CRM, one not), three
 * motions, a queued opportunity, an unprioritized one, a red account, one on hold for renewal, withheld
 * opportunities (watch, ramping), and a row that no longer parses.
 */
const AS_OF = '2026-11-30';
const evidence = (metric: string, value: number, unit: Evidence['unit'], comparison?: string): Evidence => ({
  metric,
  value,
  unit,
  window: 'last 30 days',
  source: 'usage',
  ...(comparison ? { comparison } : {}),
});

function opportunity(
  motion: Motion,
  money: { arr: number; p: number },
  extra: Partial<ExpansionOpportunity> = {},
): ExpansionOpportunity {
  return {
    motion,
    arrPotential: money.arr,
    arrLow: money.arr * 0.8,
    arrHigh: money.arr * 1.25,
    probability: money.p,
    expectedValue: money.arr * money.p,
    timing: 'now',
    signalIds: ['seat_pressure'],
    narrative: {
      title: `${motion} talking points`,
      body: 'Seats are 97% used.\nAdd seats before renewal.',
      evidence: [evidence('seat_utilization', 97, 'percent')],
    },
    ...extra,
  };
}

const priority = (rank: number, tier: Priority['tier'], queued = false): Priority => ({
  score: 1000 / rank,
  rank,
  tier,
  queued,
});

function assessment(accountId: string, extra: Partial<Assessment>): Assessment {
  return AssessmentSchema.parse({
    accountId,
    asOf: AS_OF,
    score: 60,
    health: 'green',
    timing: 'now',
    signals: [],
    missing: [],
    reasons: ['Green: usage grew 12%.', 'Now: the team is short of seats and health is green.'],
    opportunities: [],
    ...extra,
  });
}

const ACME = assessment('A1', {
  score: 82,
  signals: [
    {
      id: 'seat_pressure',
      kind: 'expansion',
      strength: 0.9,
      summary: '97% of seats are in use',
      evidence: [evidence('seat_utilization', 97, 'percent', 'threshold 85%'), evidence('seats_active', 194, 'seats')],
    },
  ],
  missing: ['nps', 'csat'],
  opportunities: [
    opportunity(
      'module_cross_sell',
      { arr: 10_000, p: 0.3 },
      { module: 'analytics', peers: ['P9', 'P8'], priority: priority(3, 'P2', true), timing: '30d' },
    ),
    opportunity('seat_add', { arr: 20_000, p: 0.5 }, { seatsToAdd: 20, priority: priority(1, 'P1') }),
    opportunity('module_cross_sell', { arr: 6_000, p: 0.2 }, { module: 'automation', withheld: 'watch' }),
  ],
  qbrAgenda: { title: 'QBR: growing into the next tier', body: 'Agenda item one.', evidence: [] },
  outreachEmail: {
    title: 'Your team is at 97% of seats',
    body: 'Hi there,',
    evidence: [evidence('seat_utilization', 97, 'percent')],
  },
});
export const BETA = assessment('B2', {
  health: 'yellow',
  timing: '30d',
  opportunities: [
    opportunity(
      'tier_upgrade',
      { arr: 15_000, p: 0.3 },
      { targetPlan: 'enterprise', priority: priority(2, 'P1'), timing: '30d' },
    ),
  ],
});
export const RED = assessment('C3', {
  health: 'red',
  timing: 'hold',
  score: 20,
  reasons: [
    'Red: usage fell 41% over the last 30 days. Retention comes first; no expansion pitch.',
    'Hold: retention comes first, so no expansion outreach until the account recovers.',
  ],
  opportunities: [opportunity('seat_add', { arr: 99_000, p: 0.9 })],
});
const HOLD = assessment('D4', {
  timing: 'hold',
  reasons: [
    'Green: usage grew 3%.',
    'Hold: renewal in 40 days is inside the 90-day evaluation window; no pitch until it closes.',
  ],
  opportunities: [
    opportunity('tier_upgrade', { arr: 7_000, p: 0.2 }, { targetPlan: 'growth', priority: priority(4, 'P3') }),
  ],
});
const ECHO = assessment('E5', {
  timing: '90d',
  opportunities: [opportunity('seat_add', { arr: 8_000, p: 0.5 }, { timing: '90d' })],
});
const GOLF = assessment('G7', {
  opportunities: [opportunity('seat_add', { arr: 12_000, p: 0.4 }, { seatsToAdd: 10, withheld: 'ramping' })],
});

export const stored = (
  accountId: string,
  accountName: string,
  ownerId: string | undefined,
  a: unknown,
  ownerName?: string,
): StoredAssessment => ({
  system: 'hubspot',
  accountId,
  accountName,
  ...(ownerId ? { ownerId } : {}),
  ...(ownerName ? { ownerName } : {}),
  runId: 'run-1',
  asOf: AS_OF,
  assessment: a,
});
/** owner-1 and owner-3 have names in the CRM; owner-2 has none, so its id is what people see. */
export const ROWS = [
  stored('A1', 'Acme, Inc. "North"', 'owner-1', ACME, 'Dana Whitfield'),
  stored('B2', 'Beta Labs', 'owner-2', BETA),
  stored('C3', 'Gamma Red', 'owner-1', RED, 'Dana Whitfield'),
  stored('D4', 'Delta Renewing', 'owner-2', HOLD),
  stored('E5', 'Echo', undefined, ECHO),
  stored('F6', 'Broken Row', 'owner-1', { accountId: 'F6', bogus: true }, 'Dana Whitfield'),
  stored('G7', 'Golf Ramping', 'owner-3', GOLF, 'Lee Park'),
];

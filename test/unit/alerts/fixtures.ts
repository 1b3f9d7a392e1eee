import { NO_SCHEMA_REPORT } from '../../../src/engine/schema-guard.ts';
import type { RunReport } from '../../../src/engine/report.ts';
import {
  AssessmentSchema,
  type Assessment,
  type ExpansionOpportunity,
  type Signal,
} from '../../../src/model/assessment.ts';
import type { StoredAssessment } from '../../../src/state/store.ts';

export const SEAT_SIGNAL: Signal = {
  id: 'seat_utilization',
  kind: 'expansion',
  strength: 0.95,
  summary: '96% of 100 licensed seats in use, around 80% or more for 90 days',
  evidence: [{ metric: 'seat_utilization', value: 96, unit: 'percent', window: '2026-11-20', source: 'derived' }],
};

export const GROWTH_SIGNAL: Signal = {
  id: 'usage_growth',
  kind: 'expansion',
  strength: 0.6,
  summary: 'Active users grew 13% (96 a day vs 85, last 30 days vs the prior 30)',
  evidence: [{ metric: 'active_users_change', value: 13, unit: 'percent', window: 'last 30 days', source: 'derived' }],
};

export const RISK_SIGNAL: Signal = {
  id: 'support_escalations',
  kind: 'risk',
  strength: 0.7,
  summary: '3 support escalations open',
  evidence: [{ metric: 'open_escalations', value: 3, unit: 'count', window: 'now', source: 'crm' }],
};

export function seatOpportunity(overrides: Partial<ExpansionOpportunity> = {}): ExpansionOpportunity {
  return {
    motion: 'seat_add',
    arrPotential: 6600,
    arrLow: 600,
    arrHigh: 15000,
    seatsToAdd: 11,
    probability: 0.73,
    expectedValue: 4818,
    timing: 'now',
    signalIds: ['seat_utilization', 'usage_growth'],
    priority: { score: 4818, rank: 1, tier: 'P1', queued: false },
    narrative: {
      title: 'Add 11 seats: 96% seat utilization for 12 weeks',
      body: "Your team has been at 96% seat utilization for 12 weeks — here's what we're seeing. 96 of 100 licensed seats were in use.\n\nRecommendation: add 11 seats.",
      evidence: [],
    },
    ...overrides,
  };
}

export function assessment(overrides: Partial<Assessment> = {}): Assessment {
  return AssessmentSchema.parse({
    accountId: '101',
    asOf: '2026-11-20',
    score: 71,
    health: 'green',
    timing: 'now',
    signals: [SEAT_SIGNAL, GROWTH_SIGNAL],
    missing: [],
    reasons: [
      'Green: usage is steady and expansion signals are firing.',
      'Now: the team is short of seats and health is green.',
      'seat utilization: 96% of 100 licensed seats in use.',
    ],
    opportunities: [seatOpportunity()],
    ...overrides,
  });
}

export function stored(options: {
  readonly accountId: string;
  readonly accountName: string;
  readonly ownerId?: string;
  readonly ownerName?: string;
  readonly assessment: Assessment;
}): StoredAssessment {
  return {
    system: 'hubspot',
    accountId: options.accountId,
    accountName: options.accountName,
    runId: 'run-1',
    asOf: options.assessment.asOf,
    assessment: options.assessment,
    ...(options.ownerId ? { ownerId: options.ownerId } : {}),
    ...(options.ownerName ? { ownerName: options.ownerName } : {}),
  };
}

export function report(overrides: Partial<RunReport> = {}): RunReport {
  return {
    runId: 'run-1',
    sync: 'acme',
    system: 'hubspot',
    mode: 'live',
    status: 'succeeded',
    asOf: '2026-11-20',
    startedAt: '2026-11-20T06:00:00.000Z',
    finishedAt: '2026-11-20T06:02:05.000Z',
    durationMs: 125_000,
    peakRssMb: 120,
    read: {
      accounts: 40,
      accountRead: 'full',
      accountsFetched: 40,
      owners: 3,
      opportunities: 5,
      usageRows: 1200,
      usageProblems: 0,
      unknownUsageAccounts: 0,
      recordProblems: 0,
    },
    usage: { inserted: 1200, updated: 0, unchanged: 0 },
    scored: 40,
    health: { green: 30, yellow: 8, red: 2 },
    timing: { now: 10, '30d': 10, '90d': 10, hold: 10 },
    opportunities: {
      total: 12,
      byMotion: { seat_add: 8, tier_upgrade: 4 },
      arrPotential: 90_000,
      expectedValue: 50_000,
    },
    planned: { accountUpdates: 40, opportunityCreates: 10, opportunityUpdates: 2, notes: 10, skips: 0 },
    writes: {
      account: { created: 0, updated: 40, failed: 0 },
      opportunity: { created: 10, updated: 2, failed: 0 },
      note: { created: 10, updated: 0, failed: 0 },
    },
    skipped: {},
    conflicts: [],
    failures: [],
    problems: [],
    schema: NO_SCHEMA_REPORT,
    apiCalls: { total: 30, calls: {}, retries: 0, rateLimited: 0 },
    top: [],
    ...overrides,
  };
}

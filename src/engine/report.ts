import type { RebuildResult } from './rebuild.ts';
import type { Motion } from '../model/account.ts';
import type { Health, Timing } from '../model/assessment.ts';
import type { RunStatus } from '../state/store.ts';
import type { ApiStats } from './crm.ts';
import type { ApplyResult, WriteFailure } from './apply.ts';
import type { OutcomesReadReport } from './outcomes-read.ts';
import type { PlannedSkip, WritePlan } from './plan.ts';
import type { SchemaReport } from './schema-guard.ts';
import type { ScoredAccount } from './score-portfolio.ts';
import type { UsageProblem } from './usage-ingest.ts';

export type RunMode = 'live' | 'dry-run' | 'shadow';

export interface TopOpportunity {
  readonly accountId: string;
  readonly accountName: string;
  readonly ownerId?: string;
  readonly motion: Motion;
  readonly timing: Timing;
  readonly health: Health;
  readonly score: number;
  readonly arrPotential: number;
  readonly probability: number;
  readonly expectedValue: number;
  readonly headline: string;
}

export interface RunReport {
  readonly runId: string;
  readonly sync: string;
  readonly system: string;
  readonly mode: RunMode;
  readonly status: RunStatus;
  readonly asOf: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  /** Peak resident memory of the process that ran the sync. */
  readonly peakRssMb: number;
  readonly message?: string;
  readonly read: {
    readonly accounts: number;
    readonly accountRead: 'full' | 'incremental';
    readonly accountsFetched: number;
    readonly owners: number;
    readonly opportunities: number;
    readonly usageRows: number;
    readonly usageProblems: number;
    readonly unknownUsageAccounts: number;
    readonly recordProblems: number;
  };
  readonly usage: { readonly inserted: number; readonly updated: number; readonly unchanged: number };
  readonly scored: number;
  readonly health: Readonly<Record<Health, number>>;
  readonly timing: Readonly<Record<Timing, number>>;
  readonly opportunities: {
    readonly total: number;
    readonly byMotion: Readonly<Partial<Record<Motion, number>>>;
    readonly arrPotential: number;
    readonly expectedValue: number;
  };
  readonly planned: {
    readonly accountUpdates: number;
    readonly opportunityCreates: number;
    readonly opportunityUpdates: number;
    readonly notes: number;
    readonly skips: number;
  };
  readonly writes: ApplyResult['writes'];
  readonly skipped: Readonly<Record<string, number>>;
  readonly conflicts: readonly PlannedSkip[];
  readonly failures: readonly WriteFailure[];
  /** Located problems: usage rows (file:line), unknown accounts, CRM records that failed mapping. */
  readonly problems: readonly UsageProblem[];
  /** Mapping rules the CRM's current schema disabled, values cut to length or refused by a picklist. */
  readonly schema: SchemaReport;
  readonly apiCalls: ApiStats;
  readonly top: readonly TopOpportunity[];
  readonly stopped?: ApplyResult['stopped'];
  /** Only for dry-run and shadow runs: the writes that would be made. */
  readonly plan?: WritePlan;
  /** `state rebuild`: what was taken back from the CRM into the state store. */
  readonly rebuilt?: RebuildResult;
  /** Live and shadow runs: the expansion deals' outcomes read from the CRM, and how many were new or changed. */
  readonly outcomes?: OutcomesReadReport;
}

export function topOpportunities(scored: readonly ScoredAccount[], limit: number): TopOpportunity[] {
  const rows: TopOpportunity[] = [];
  for (const { account, assessment } of scored) {
    for (const opp of assessment.opportunities) {
      rows.push({
        accountId: account.id,
        accountName: account.name,
        ...(account.ownerId ? { ownerId: account.ownerId } : {}),
        motion: opp.motion,
        timing: opp.timing,
        health: assessment.health,
        score: assessment.score,
        arrPotential: opp.arrPotential,
        probability: opp.probability,
        expectedValue: opp.expectedValue,
        headline: opp.narrative.title,
      });
    }
  }
  return rows
    .sort((a, b) => b.expectedValue - a.expectedValue || a.accountName.localeCompare(b.accountName))
    .slice(0, limit);
}

export function countBy<T extends string>(values: Iterable<T>, keys: readonly T[]): Record<T, number> {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<T, number>;
  for (const value of values) counts[value] += 1;
  return counts;
}

export function portfolioFigures(
  scored: readonly ScoredAccount[],
): Pick<RunReport, 'health' | 'timing' | 'opportunities'> {
  const byMotion: Partial<Record<Motion, number>> = {};
  let total = 0;
  let arrPotential = 0;
  let expectedValue = 0;
  for (const { assessment } of scored) {
    for (const opp of assessment.opportunities) {
      total += 1;
      byMotion[opp.motion] = (byMotion[opp.motion] ?? 0) + 1;
      arrPotential += opp.arrPotential;
      expectedValue += opp.expectedValue;
    }
  }
  return {
    health: countBy(
      scored.map((s) => s.assessment.health),
      ['green', 'yellow', 'red'],
    ),
    timing: countBy(
      scored.map((s) => s.assessment.timing),
      ['now', '30d', '90d', 'hold'],
    ),
    opportunities: {
      total,
      byMotion,
      arrPotential: Math.round(arrPotential),
      expectedValue: Math.round(expectedValue),
    },
  };
}

/**
 * The report of a run that threw (bad credentials, the CRM down for good, a bug): no counts, the
 * message, so the worker's metrics and alerts see failed runs like any other.
 */
export function failedRunReport(o: {
  readonly runId: string;
  readonly sync: string;
  readonly system: string;
  readonly mode: RunMode;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly message: string;
  readonly apiCalls: ApiStats;
}): RunReport {
  const none = { created: 0, updated: 0, failed: 0 };
  return {
    runId: o.runId,
    sync: o.sync,
    system: o.system,
    mode: o.mode,
    status: 'failed',
    asOf: o.startedAt.toISOString().slice(0, 10),
    startedAt: o.startedAt.toISOString(),
    finishedAt: o.finishedAt.toISOString(),
    durationMs: o.finishedAt.getTime() - o.startedAt.getTime(),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    message: o.message,
    read: {
      accounts: 0,
      accountRead: 'full',
      accountsFetched: 0,
      owners: 0,
      opportunities: 0,
      usageRows: 0,
      usageProblems: 0,
      unknownUsageAccounts: 0,
      recordProblems: 0,
    },
    usage: { inserted: 0, updated: 0, unchanged: 0 },
    scored: 0,
    health: { green: 0, yellow: 0, red: 0 },
    timing: { now: 0, '30d': 0, '90d': 0, hold: 0 },
    opportunities: { total: 0, byMotion: {}, arrPotential: 0, expectedValue: 0 },
    planned: { accountUpdates: 0, opportunityCreates: 0, opportunityUpdates: 0, notes: 0, skips: 0 },
    writes: { account: { ...none }, opportunity: { ...none }, note: { ...none } },
    skipped: {},
    conflicts: [],
    failures: [],
    problems: [],
    schema: { disabled: [], warnings: [], truncated: [], rejected: [] },
    apiCalls: o.apiCalls,
    top: [],
  };
}

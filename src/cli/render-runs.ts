import type { WriteCounts } from '../engine/apply.ts';
import type { RunReport } from '../engine/report.ts';
import { crmEntries, crmEntry } from '../../connectors/crm-registry.ts';
import { clipMessage } from '../clip.ts';
import type { FailedWrite, RunRecord } from '../state/store.ts';
import { grid, type Align } from './format.ts';
import { renderPlan, renderSummary } from './render.ts';
import { terminalSafe } from './terminal-text.ts';

/** A stored summary as `runs` reads it: the run report, or what a run that failed outright recorded. */
export type StoredSummary =
  | { readonly kind: 'report'; readonly report: RunReport; readonly retryOf?: string }
  | {
      readonly kind: 'failed';
      readonly message: string;
      readonly code?: string;
      readonly apiCalls?: RunReport['apiCalls'];
    }
  | { readonly kind: 'none' };

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a run's summary without trusting it: older versions, crashes and hand edits leave other shapes. */
export function readSummary(record: RunRecord): StoredSummary {
  const s = record.summary;
  if (!isObject(s)) return { kind: 'none' };
  if (isObject(s['writes']) && isObject(s['apiCalls']) && isObject(s['read']) && Array.isArray(s['failures'])) {
    const report = {
      ...s,
      conflicts: s['conflicts'] ?? [],
      problems: s['problems'] ?? [],
      skipped: s['skipped'] ?? {},
      schema: s['schema'] ?? { disabled: [], warnings: [], truncated: [], rejected: [] },
    } as unknown as RunReport;
    return { kind: 'report', report, ...(typeof s['retryOf'] === 'string' ? { retryOf: s['retryOf'] } : {}) };
  }
  if (typeof s['message'] === 'string') {
    return {
      kind: 'failed',
      message: s['message'],
      ...(typeof s['code'] === 'string' ? { code: s['code'] } : {}),
      ...(isObject(s['apiCalls']) ? { apiCalls: s['apiCalls'] as unknown as RunReport['apiCalls'] } : {}),
    };
  }
  return { kind: 'none' };
}

export interface RunRow {
  readonly id: string;
  readonly sync: string;
  readonly mode: RunRecord['mode'];
  readonly status: RunRecord['status'];
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly retryOf?: string;
  readonly accounts?: number;
  readonly writes?: WriteCounts;
  readonly apiCalls?: number;
  readonly rateLimited?: number;
}

export function runRow(record: RunRecord): RunRow {
  const summary = readSummary(record);
  const finished =
    record.finishedAt === undefined ? undefined : Date.parse(record.finishedAt) - Date.parse(record.startedAt);
  const base = {
    id: record.id,
    sync: record.sync,
    mode: record.mode,
    status: record.status,
    startedAt: record.startedAt,
    ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
  };
  if (summary.kind === 'report') {
    const r = summary.report;
    return {
      ...base,
      durationMs: r.durationMs,
      ...(summary.retryOf ? { retryOf: summary.retryOf } : {}),
      accounts: r.read.accounts,
      writes: totalWrites(r.writes),
      apiCalls: r.apiCalls.total,
      rateLimited: r.apiCalls.rateLimited,
    };
  }
  const calls =
    summary.kind === 'failed' && summary.apiCalls
      ? { apiCalls: summary.apiCalls.total, rateLimited: summary.apiCalls.rateLimited }
      : {};
  return { ...base, ...(finished === undefined || Number.isNaN(finished) ? {} : { durationMs: finished }), ...calls };
}

function totalWrites(writes: RunReport['writes']): WriteCounts {
  const total = { created: 0, updated: 0, failed: 0 };
  for (const counts of Object.values(writes)) {
    total.created += counts.created;
    total.updated += counts.updated;
    total.failed += counts.failed;
  }
  return total;
}

const HEAD = [
  'ID',
  'Mode',
  'Status',
  'Started (UTC)',
  'Duration',
  'Accounts',
  'Created',
  'Updated',
  'Failed',
  'API calls',
  'Rate-limited',
];
const ALIGN: readonly Align[] = [
  'left',
  'left',
  'left',
  'left',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
];

/** Newest first, one line per run; shadow runs write nothing, so their write columns are dashes. */
export function renderRunList(rows: readonly RunRow[], tty: boolean): string {
  if (rows.length === 0) return 'No runs recorded yet (a --dry-run is not recorded).';
  const n = (value: number | undefined): string => (value === undefined ? '-' : String(value));
  const table = terminalSafe(rows).map((r) => {
    const live = r.mode === 'live' && r.writes !== undefined;
    return [
      r.id,
      r.retryOf ? 'live (retry)' : r.mode,
      r.status,
      utc(r.startedAt),
      r.durationMs === undefined ? '-' : duration(r.durationMs),
      n(r.accounts),
      live ? n(r.writes?.created) : '-',
      live ? n(r.writes?.updated) : '-',
      live ? n(r.writes?.failed) : '-',
      n(r.apiCalls),
      n(r.rateLimited),
    ];
  });
  return grid({ head: HEAD, align: ALIGN, rows: table, tty });
}

export const utc = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;

export function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A failed record of the run with its queue row now, if it is still queued. */
export interface RunFailure {
  readonly object: string;
  readonly recordKey: string;
  readonly accountName?: string;
  readonly code: string;
  readonly message: string;
  readonly queued?: FailedWrite;
}

export interface ShowInput {
  readonly record: RunRecord;
  readonly summary: StoredSummary;
  readonly failures: readonly RunFailure[];
  readonly maxRetries: number;
  /** The configured currency (scoring.pricing.currency) the run's amounts are shown in. */
  readonly currency: string;
}

/** `runs show`: the run's summary (status, counts, API calls, skips, conflicts, schema drift) and every failed record. */
export function renderRunShow(unsafe: ShowInput): string {
  const input = terminalSafe(unsafe);
  const { record, summary } = input;
  const head = [
    `Run ${record.id} (${record.mode}) of ${record.sync}, started ${utc(record.startedAt)} UTC${record.finishedAt ? `, finished ${utc(record.finishedAt)} UTC` : ''}`,
  ];
  if (summary.kind === 'report') {
    if (summary.retryOf) head.push(`  retry of   ${summary.retryOf}: only the records that failed there were written`);
    head.push(renderSummary({ ...summary.report, failures: [] }, input.currency));
  } else if (summary.kind === 'failed') {
    head.push(`  status      failed: ${clipMessage(summary.message)}${summary.code ? ` [${summary.code}]` : ''}`);
    if (summary.apiCalls)
      head.push(
        `  API calls   ${summary.apiCalls.total}; ${summary.apiCalls.retries} retries, ${summary.apiCalls.rateLimited} rate-limited`,
      );
  } else {
    head.push(
      `  status      ${record.status}: no summary stored${record.status === 'running' ? ' yet (a run that crashed before it finished stays "running")' : ''}`,
    );
  }
  const sections = [head.join('\n')];
  if (input.failures.length > 0) sections.push(failureLines(input).join('\n'));
  return sections.join('\n\n');
}

function failureLines(input: ShowInput): string[] {
  const lines = [`Failed writes: ${input.failures.length} (the CRM's own messages)`];
  for (const f of input.failures) {
    // Cut here too: runs stored before messages were cut at write time hold the CRM's whole body.
    lines.push(
      `  ${f.object} ${f.recordKey}${f.accountName ? ` (${f.accountName})` : ''}: ${f.code}: ${clipMessage(f.message)}`,
    );
    lines.push(`    ${queueState(f, input)}`);
  }
  return lines;
}

function queueState(f: RunFailure, input: ShowInput): string {
  const q = f.queued;
  if (!q) return 'no longer queued: written by a later run (or no longer needed)';
  const attempts = `${q.attempts} failed ${q.attempts === 1 ? 'attempt' : 'attempts'} since ${utc(q.firstFailedAt)} UTC`;
  const again =
    q.runId !== input.record.id ? `; failed again in run ${q.runId}: ${q.code}: ${clipMessage(q.message)}` : '';
  // An outage (retryable) never spends the cap: only a record the CRM refused does.
  const next = q.retryable
    ? `retried on the next run whatever the cap (an outage, not this record), or now with \`runs retry ${input.record.id}\``
    : q.attempts >= input.maxRetries
      ? `retry cap (writeBack.maxRetries ${input.maxRetries}) reached: later runs skip it; \`runs retry ${input.record.id}\` sends it again`
      : `retried on the next run (up to ${input.maxRetries} attempts), or now with \`runs retry ${input.record.id}\``;
  return `queued: ${attempts}${again}; ${next}`;
}

/** `runs diff`: a shadow run's stored plan with field-level diffs; for a live run, what it wrote. */
export function renderRunDiff(unsafeRecord: RunRecord, unsafeSummary: StoredSummary, limit: number): string {
  const record = terminalSafe(unsafeRecord);
  const summary = terminalSafe(unsafeSummary);
  if (summary.kind !== 'report')
    return `Run ${record.id} (${record.mode}) has no report to diff: it ${record.status === 'running' ? 'has not finished' : `ended ${record.status}${summary.kind === 'failed' ? `: ${summary.message}` : ''}`}.`;
  const r = summary.report;
  if (record.mode === 'live') {
    const w = r.writes;
    return [
      `Run ${record.id} was live: its writes went to the CRM, and a live run keeps no plan to diff.`,
      `  writes      accounts: ${w.account.updated} updated, ${w.account.failed} failed; opportunities: ${w.opportunity.created} created, ${w.opportunity.updated} updated, ${w.opportunity.failed} failed; notes: ${w.note.created} created, ${w.note.failed} failed`,
      `  see         \`expansion-sync runs show ${record.id}\` for its counts and failed records`,
    ].join('\n');
  }
  const head = `${record.mode === 'shadow' ? 'Shadow' : 'Dry'} run ${record.id} of ${r.sync} (${r.system}) as of ${r.asOf}: nothing was written to the CRM.`;
  if (!r.plan) {
    const p = r.planned;
    return `${head}\nIts write plan was not stored (recorded by an older version); it planned ${p.accountUpdates} account updates, ${p.opportunityCreates} opportunity creates, ${p.opportunityUpdates} opportunity updates and ${p.notes} notes.`;
  }
  // A CRM no longer in the registry: its batches are taken as the smallest any CRM sends.
  const callsPerBatch = crmEntry(r.system)?.callsPerBatch ?? Math.min(...crmEntries().map((e) => e.callsPerBatch));
  return `${head}\n\n${renderPlan(r.plan, { limit, callsPerBatch })}`;
}

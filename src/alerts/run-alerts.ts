import type { RunReport } from '../engine/report.ts';
import type { WriteFailure } from '../engine/apply.ts';
import { count, percent } from './format.ts';
import type { Alert, AlertEntry, AlertField } from './types.ts';

/** Write failures listed by name in an alert; the rest are counted. */
const EXAMPLES = 5;

/** Writes attempted in a run and how many failed, over accounts, opportunities and notes. */
export function writeTotals(report: Pick<RunReport, 'writes'>): {
  readonly attempted: number;
  readonly failed: number;
  readonly rate: number;
} {
  const kinds = Object.values(report.writes);
  const failed = kinds.reduce((n, w) => n + w.failed, 0);
  const attempted = kinds.reduce((n, w) => n + w.created + w.updated + w.failed, 0);
  return { attempted, failed, rate: attempted === 0 ? 0 : failed / attempted };
}

function runFields(report: RunReport): AlertField[] {
  return [
    { label: 'Sync', value: report.sync },
    { label: 'CRM', value: report.system },
    { label: 'Mode', value: report.mode },
    { label: 'Status', value: report.status },
    { label: 'Run', value: report.runId },
    { label: 'Duration', value: `${Math.round(report.durationMs / 1000)} s` },
  ];
}

function writesLine(report: RunReport): string {
  const w = report.writes;
  return `Writes: ${w.account.updated} account updates, ${w.opportunity.created + w.opportunity.updated} opportunities, ${w.note.created} notes; ${count(writeTotals(report).failed, 'failure')}`;
}

/** A run that failed or stopped early: what happened and what the next run does about it. */
export function runFailedAlert(report: RunReport): Alert {
  const stopped = report.status === 'stopped';
  const reason = report.message ?? report.stopped?.message ?? (stopped ? 'the run stopped early' : 'the run failed');
  const next = stopped
    ? 'The next run resumes from the write ledger; nothing already written is sent again.'
    : 'The next scheduled run tries again; fix the cause first if it is a configuration or credential problem.';
  return {
    kind: 'run_failed',
    title: stopped ? '⏹️ SYNC RUN STOPPED EARLY' : '🚨 SYNC RUN FAILED',
    summary: `Sync ${report.sync} ${stopped ? 'stopped early' : 'failed'}: ${reason}`,
    fields: runFields(report),
    sections: [
      {
        heading: stopped ? 'Why it stopped' : 'What failed',
        entries: [
          { text: reason },
          ...(report.stopped ? [{ label: 'Phase', text: `${report.stopped.phase} (${report.stopped.code})` }] : []),
        ],
      },
      {
        heading: 'Progress',
        entries: [
          { text: `Accounts read: ${report.read.accounts}; scored: ${report.scored}`, bullet: true },
          { text: writesLine(report), bullet: true },
          { text: next, bullet: true },
        ],
      },
    ],
    footer: `Started ${report.startedAt}, finished ${report.finishedAt}`,
    data: {
      runId: report.runId,
      sync: report.sync,
      system: report.system,
      mode: report.mode,
      status: report.status,
      message: reason,
      ...(report.stopped ? { stopped: report.stopped } : {}),
      writes: report.writes,
    },
  };
}

/** More than `threshold` of the run's writes failed: the rate, the codes, and a few examples. */
export function failedRecordsAlert(report: RunReport, threshold: number): Alert {
  const totals = writeTotals(report);
  const byCode = new Map<string, number>();
  for (const f of report.failures) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
  const codes = [...byCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    kind: 'failed_records',
    title: '⚠️ FAILED RECORD RATE OVER THRESHOLD',
    summary: `Sync ${report.sync}: ${totals.failed} of ${totals.attempted} record writes failed (${percent(totals.rate)}, threshold ${percent(threshold)})`,
    fields: [
      ...runFields(report).slice(0, 2),
      { label: 'Failed writes', value: `${totals.failed} of ${totals.attempted} (${percent(totals.rate)})` },
      { label: 'Threshold', value: percent(threshold) },
    ],
    sections: [
      {
        heading: 'By error code',
        entries: codes.map(([code, n]) => ({ text: `${code}: ${count(n, 'record')}`, bullet: true })),
      },
      { heading: 'Examples', entries: report.failures.slice(0, EXAMPLES).map(failureEntry) },
      {
        entries: [
          {
            text: `Failed writes are retried on the next runs (up to writeBack.maxRetries); the run report lists every record.`,
          },
        ],
      },
    ],
    footer: `Run ${report.runId}, finished ${report.finishedAt}`,
    data: {
      runId: report.runId,
      sync: report.sync,
      system: report.system,
      attempted: totals.attempted,
      failed: totals.failed,
      rate: totals.rate,
      threshold,
      byCode: Object.fromEntries(codes),
      writes: report.writes,
    },
  };
}

function failureEntry(f: WriteFailure): AlertEntry {
  return { label: `${f.object} ${f.recordKey} (${f.accountName})`, text: `${f.code}: ${f.message}` };
}

/** Whether the run met any schema drift: rules disabled, values cut to length or refused by a picklist. */
export function hasSchemaDrift(report: Pick<RunReport, 'schema'>): boolean {
  const s = report.schema;
  return s.disabled.length > 0 || s.truncated.length > 0 || s.rejected.length > 0;
}

/** The CRM's schema no longer fits the mappings: which rules were switched off and which values did not fit. */
export function schemaDriftAlert(report: RunReport): Alert {
  const { disabled, truncated, rejected } = report.schema;
  return {
    kind: 'schema_drift',
    title: '🧭 CRM SCHEMA DRIFT',
    summary: `Sync ${report.sync}: ${count(disabled.length, 'mapping rule')} disabled, ${count(truncated.length, 'field')} truncated, ${count(rejected.length, 'field')} with picklist misses`,
    fields: [
      ...runFields(report).slice(0, 2),
      { label: 'Rules disabled', value: String(disabled.length) },
      { label: 'Fields truncated', value: String(truncated.length) },
      { label: 'Picklist misses', value: String(rejected.length) },
    ],
    sections: [
      ...(disabled.length > 0
        ? [
            {
              heading: 'Mapping rules disabled for this run',
              entries: disabled.map((d) => ({
                label: `${d.object}.${d.field} (${d.file}:${d.line})`,
                text: `${d.message}${d.change ? ` (${d.change})` : ''}\nFix: ${d.fix}`,
              })),
            },
          ]
        : []),
      ...(truncated.length > 0
        ? [
            {
              heading: 'Values cut to the field length',
              entries: truncated.map((t) => ({
                text: `${t.object}.${t.field}: ${count(t.count, 'value')} cut to ${t.length} characters`,
                bullet: true,
              })),
            },
          ]
        : []),
      ...(rejected.length > 0
        ? [
            {
              heading: 'Values the picklist does not allow (not sent)',
              entries: rejected.map((r) => ({
                text: `${r.object}.${r.field}: ${count(r.count, 'value')} (${r.values.join(', ')})`,
                bullet: true,
              })),
            },
          ]
        : []),
      {
        entries: [
          {
            text: 'The rest of the run went on. Run `expansion-sync mappings check` to see every problem with its fix.',
          },
        ],
      },
    ],
    footer: `Run ${report.runId}, finished ${report.finishedAt}`,
    data: {
      runId: report.runId,
      sync: report.sync,
      system: report.system,
      disabled: disabled.map((d) => ({
        object: d.object,
        field: d.field,
        file: d.file,
        line: d.line,
        message: d.message,
        ...(d.change ? { change: d.change } : {}),
      })),
      truncated,
      rejected,
    },
  };
}

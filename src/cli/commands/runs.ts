import { SyncError } from '../../errors.ts';
import type { FailedWrite, RunRecord } from '../../state/store.ts';
import { EXIT } from '../exit-codes.ts';
import {
  readSummary,
  renderRunDiff,
  renderRunList,
  renderRunShow,
  runRow,
  type RunFailure,
  type StoredSummary,
} from '../render-runs.ts';
import { withStore, type StoreContext } from '../stored-assessments.ts';

export interface RunsListOptions {
  readonly config: string;
  readonly limit?: number;
  readonly json?: boolean;
}

export interface RunsShowOptions {
  readonly config: string;
  readonly json?: boolean;
}

export interface RunsDiffOptions extends RunsShowOptions {
  readonly limit?: number;
}

const print = (text: string): void => void process.stdout.write(`${text}\n`);

/** `runs list`: the config's sync's recorded runs, newest first. Reads only. */
export async function runsListCommand(options: RunsListOptions): Promise<number> {
  return withStore(options.config, async (context) => {
    const runs = await context.store.listRuns({ sync: context.loaded.config.name, limit: options.limit ?? 20 });
    const rows = runs.map(runRow);
    print(options.json ? JSON.stringify(rows, null, 2) : renderRunList(rows, process.stdout.isTTY === true));
    return EXIT.ok;
  });
}

/** `runs show <id>`: one run's summary with its failed records and where each stands in the retry queue. Reads only. */
export async function runsShowCommand(id: string, options: RunsShowOptions): Promise<number> {
  return withStore(options.config, async (context) => {
    const record = await findRun(context, id, options.config);
    const summary = readSummary(record);
    const failures = await runFailures(context, record, summary);
    const maxRetries = context.loaded.config.writeBack.maxRetries;
    const currency = context.loaded.config.scoring.pricing.currency;
    if (options.json) print(JSON.stringify(showJson(record, failures), null, 2));
    else print(renderRunShow({ record, summary, failures, maxRetries, currency }));
    return EXIT.ok;
  });
}

/** `runs diff <id>`: what a shadow run would have written, field by field, from its stored plan. Reads only. */
export async function runsDiffCommand(id: string, options: RunsDiffOptions): Promise<number> {
  return withStore(options.config, async (context) => {
    const record = await findRun(context, id, options.config);
    const summary = readSummary(record);
    if (options.json) print(JSON.stringify(diffJson(record, summary), null, 2));
    else print(renderRunDiff(record, summary, options.limit ?? 20));
    return EXIT.ok;
  });
}

/** How many runs an ambiguous id prefix lists. */
const CANDIDATES_SHOWN = 10;

/**
 * The run with this id, or with a unique prefix of it, as git takes a shortened commit id. Otherwise an
 * error naming the id and the store (exit 5): an ambiguous prefix lists the runs it matches.
 */
export async function findRun(context: StoreContext, id: string, configFile: string): Promise<RunRecord> {
  const record = await context.store.getRun(id);
  if (record) return record;
  const matches = id === '' ? [] : await context.store.findRunsByIdPrefix(id, CANDIDATES_SHOWN + 1);
  const [only] = matches;
  if (only !== undefined && matches.length === 1) return only;
  if (matches.length > 1) {
    const shown = matches
      .slice(0, CANDIDATES_SHOWN)
      .map((r) => `  ${r.id}  ${r.mode} ${r.status}, started ${r.startedAt}`);
    const more = matches.length > CANDIDATES_SHOWN ? ['  and more'] : [];
    return Promise.reject(
      new SyncError(
        `The run id prefix "${id}" is ambiguous in ${context.storeFile}; it matches:\n${[...shown, ...more].join('\n')}\nGive more of the id.`,
        {
          code: 'run_id_ambiguous',
          kind: 'data',
          details: { runId: id, file: context.storeFile, candidates: matches.map((r) => r.id) },
        },
      ),
    );
  }
  const recent = await context.store.listRuns({ sync: context.loaded.config.name, limit: 1 });
  const hint =
    recent.length === 0
      ? ' It holds no runs yet: run sync (or sync --shadow) first; a --dry-run is not recorded.'
      : ` \`expansion-sync runs list --config ${configFile}\` lists the recorded runs.`;
  return Promise.reject(
    new SyncError(`No run "${id}" in ${context.storeFile} (no run id starts with it).${hint}`, {
      code: 'run_not_found',
      kind: 'data',
      details: { runId: id, file: context.storeFile },
    }),
  );
}

/**
 * The run's failed records: those its report lists, joined with their failed-write queue rows now (the
 * latest attempt's message and the attempt count), plus queue rows recorded by the run that the report lacks
 * (a run that failed outright before its report).
 */
export async function runFailures(
  context: StoreContext,
  record: RunRecord,
  summary: StoredSummary,
): Promise<RunFailure[]> {
  const queue = await context.store.listFailures({ system: context.system });
  const byRef = new Map(queue.map((q) => [`${q.objectType}:${q.recordKey}`, q]));
  const reported = summary.kind === 'report' ? summary.report.failures : [];
  const out: RunFailure[] = reported.map((f) => {
    const queued = byRef.get(`${f.object}:${f.recordKey}`);
    return {
      object: f.object,
      recordKey: f.recordKey,
      accountName: f.accountName,
      code: f.code,
      message: f.message,
      ...(queued ? { queued } : {}),
    };
  });
  const seen = new Set(reported.map((f) => `${f.object}:${f.recordKey}`));
  for (const q of queue) {
    if (q.runId === record.id && !seen.has(`${q.objectType}:${q.recordKey}`))
      out.push({ object: q.objectType, recordKey: q.recordKey, code: q.code, message: q.message, queued: q });
  }
  return out;
}

function showJson(record: RunRecord, failures: readonly RunFailure[]): unknown {
  const summary =
    typeof record.summary === 'object' && record.summary !== null
      ? { ...record.summary, plan: undefined }
      : record.summary;
  return {
    ...record,
    summary,
    failedWrites: failures.map((f) => ({ ...f, queued: f.queued ? queueJson(f.queued) : undefined })),
  };
}

/** A queue row without its payload: the intent can be long and is the CRM's input, not its answer. */
function queueJson(q: FailedWrite): unknown {
  return {
    runId: q.runId,
    code: q.code,
    message: q.message,
    retryable: q.retryable,
    attempts: q.attempts,
    firstFailedAt: q.firstFailedAt,
    lastFailedAt: q.at,
  };
}

function diffJson(record: RunRecord, summary: StoredSummary): unknown {
  const base = { id: record.id, sync: record.sync, mode: record.mode, status: record.status };
  if (summary.kind !== 'report') return base;
  const r = summary.report;
  return record.mode === 'live'
    ? { ...base, writes: r.writes, failures: r.failures }
    : { ...base, asOf: r.asOf, planned: r.planned, plan: r.plan ?? null };
}

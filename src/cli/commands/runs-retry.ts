import { loadConfig } from '../../config/load.ts';
import type { RunReport } from '../../engine/report.ts';
import { refOf, retryTargets, writeScope, type RetryTargets } from '../../engine/rerun-failed.ts';
import { heldByText } from '../../engine/run-lock.ts';
import { runWithService } from '../../engine/run-service.ts';
import { SyncError } from '../../errors.ts';
import { createLogger } from '../../logger.ts';
import type { FailedWrite, RunRecord } from '../../state/store.ts';
import { EXIT, exitCodeForReport } from '../exit-codes.ts';
import { readSummary } from '../render-runs.ts';
import { runOptionsFrom } from '../run-options.ts';
import { withStore, type StoreContext } from '../stored-assessments.ts';
import { findRun } from './runs.ts';

export interface RunsRetryOptions {
  readonly config: string;
  readonly asOf?: string;
  readonly json?: boolean;
  readonly logLevel?: string;
}

const print = (text: string): void => void process.stdout.write(`${text}\n`);

/**
 * `runs retry <id>`: a live run that writes only the records that failed in run <id> and are still queued.
 * It reads and scores as usual (as of the failed run's date) so the conflict rules still decide each field.
 */
export async function runsRetryCommand(idOrPrefix: string, options: RunsRetryOptions): Promise<number> {
  return withStore(options.config, async (context) => {
    const record = await findRun(context, idOrPrefix, options.config);
    const id = record.id;
    if (record.sync !== context.loaded.config.name) {
      throw new SyncError(
        `Run ${id} belongs to sync "${record.sync}", not "${context.loaded.config.name}" of ${options.config}: retry it with that sync's config.`,
        { code: 'run_other_sync', kind: 'config', details: { runId: id } },
      );
    }
    const summary = readSummary(record);
    const failures = summary.kind === 'report' ? summary.report.failures : [];
    const targets = retryTargets(id, failures, await context.store.listFailures({ system: context.system }));
    if (targets.queued.length === 0) {
      print(
        options.json
          ? JSON.stringify({ retryOf: id, retried: [], settled: targets.settled }, null, 2)
          : nothingToRetry(record, targets),
      );
      return EXIT.ok;
    }
    const asOf = options.asOf ?? (summary.kind === 'report' ? summary.report.asOf : undefined);
    const report = await retryRun(context, {
      configFile: options.config,
      id,
      queued: targets.queued,
      asOf,
      logLevel: options.logLevel ?? 'warn',
    });
    const after = await context.store.listFailures({ system: context.system });
    const outcomes = outcomesOf(targets.queued, {
      report,
      after,
      names: new Map(failures.map((f) => [refOf(f.object, f.recordKey), f.accountName])),
    });
    print(
      options.json
        ? JSON.stringify(
            { retryOf: id, runId: report.runId, status: report.status, retried: outcomes, settled: targets.settled },
            null,
            2,
          )
        : renderRetry(id, report, outcomes, targets),
    );
    return exitCodeForReport(report);
  });
}

interface RetryRunOptions {
  readonly configFile: string;
  readonly id: string;
  readonly queued: readonly FailedWrite[];
  readonly asOf: string | undefined;
  readonly logLevel: string;
}

/** The retry run goes through the run service like `sync`: under the sync's lock, refused while another run holds it. */
async function retryRun(context: StoreContext, o: RetryRunOptions): Promise<RunReport> {
  const loaded = await loadConfig(o.configFile);
  if (!loaded.config.writeBack.enabled) {
    throw new SyncError(
      `writeBack.enabled is false in ${o.configFile}: \`runs retry\` writes to the CRM. Set it to true to retry run ${o.id}.`,
      { code: 'write_back_disabled', kind: 'config', details: { runId: o.id } },
    );
  }
  const log = createLogger({ level: o.logLevel });
  const locked = await runWithService({
    loaded,
    store: context.store,
    log,
    mode: 'live',
    runOptions: (crm) => ({
      ...runOptionsFrom({ loaded, crm, store: context.store, log, mode: 'live', asOf: o.asOf }),
      writeScope: writeScope({ retryOf: o.id, objects: crm.objects, queued: o.queued }),
    }),
  });
  if (!locked.ran)
    throw new SyncError(`Not started: ${heldByText(loaded.config.name, locked.heldBy)}. Wait for it, or stop it.`, {
      code: 'sync_locked',
      kind: 'system',
    });
  return locked.value;
}

type Outcome = 'written' | 'failed' | 'not_sent';
interface RetryOutcome {
  readonly object: string;
  readonly recordKey: string;
  readonly accountName?: string;
  readonly outcome: Outcome;
  readonly message?: string;
}
interface OutcomeSources {
  readonly report: RunReport;
  readonly after: readonly FailedWrite[];
  readonly names: ReadonlyMap<string, string>;
}

function outcomesOf(queued: readonly FailedWrite[], { report, after, names }: OutcomeSources): RetryOutcome[] {
  const failed = new Map(report.failures.map((f) => [refOf(f.object, f.recordKey), f]));
  const conflicts = new Map(report.conflicts.map((c) => [refOf(c.object, c.recordKey), c]));
  const stillQueued = new Set(after.map((f) => refOf(f.objectType, f.recordKey)));
  return queued.map((q) => {
    const ref = refOf(q.objectType, q.recordKey);
    const failure = failed.get(ref);
    const name = names.get(ref);
    const base = { object: q.objectType, recordKey: q.recordKey, ...(name ? { accountName: name } : {}) };
    if (failure) return { ...base, outcome: 'failed', message: `${failure.code}: ${failure.message}` };
    if (!stillQueued.has(ref)) return { ...base, outcome: 'written' };
    const conflict = conflicts.get(ref);
    return {
      ...base,
      outcome: 'not_sent',
      message: conflict
        ? `conflict on ${conflict.field ?? 'a field'}: ${conflict.detail}`
        : 'nothing to write now: the CRM already holds the wanted values, or the write is no longer planned',
    };
  });
}

function nothingToRetry(record: RunRecord, targets: RetryTargets): string {
  if (record.mode !== 'live')
    return `Run ${record.id} was a ${record.mode} run: it wrote nothing to the CRM, so there is nothing to retry.`;
  if (targets.settled.length > 0)
    return `Nothing to retry: the ${targets.settled.length} failed ${targets.settled.length === 1 ? 'write' : 'writes'} of run ${record.id} ${targets.settled.length === 1 ? 'is' : 'are'} no longer queued (written by a later run).`;
  return `Nothing to retry: run ${record.id} has no failed writes.`;
}

function renderRetry(id: string, report: RunReport, outcomes: readonly RetryOutcome[], targets: RetryTargets): string {
  const written = outcomes.filter((o) => o.outcome === 'written').length;
  const lines = [
    `Retried ${outcomes.length} failed ${outcomes.length === 1 ? 'write' : 'writes'} of run ${id} in live run ${report.runId} (${report.status}): ${written} written; no other record was written.`,
  ];
  for (const o of outcomes)
    lines.push(
      `  ${o.outcome.replace('_', ' ').padEnd(9)} ${o.object} ${o.recordKey}${o.accountName ? ` (${o.accountName})` : ''}${o.message ? `: ${o.message}` : ''}`,
    );
  for (const s of targets.settled)
    lines.push(`  ${'settled'.padEnd(9)} ${s.object} ${s.recordKey}: already written by a later run`);
  lines.push(
    `  API calls ${report.apiCalls.total}; \`expansion-sync runs show ${report.runId}\` for the retry run's details`,
  );
  return lines.join('\n');
}

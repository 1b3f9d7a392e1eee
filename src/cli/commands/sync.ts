import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../../config/load.ts';
import { heldByText } from '../../engine/run-lock.ts';
import { runWithService } from '../../engine/run-service.ts';
import { runOptionsFrom } from '../run-options.ts';
import type { RunMode } from '../../engine/report.ts';
import { createLogger, type Logger } from '../../logger.ts';
import { openSqliteStore } from '../../state/sqlite-store.ts';
import { EXIT, exitCodeForReport } from '../exit-codes.ts';
import { progressFor } from '../progress.ts';
import { SyncError } from '../../errors.ts';
import { renderPlan, renderSummary, renderTop } from '../render.ts';

export interface SyncCommandOptions {
  readonly config: string;
  readonly dryRun?: boolean;
  readonly shadow?: boolean;
  readonly asOf?: string;
  readonly fullRead?: boolean;
  readonly json?: boolean;
  readonly reportFile?: string;
  readonly limit?: string;
  readonly top?: boolean;
  readonly logLevel?: string;
}

export async function syncCommand(options: SyncCommandOptions): Promise<number> {
  const loaded = await loadConfig(options.config);
  const log = createLogger({ level: options.logLevel ?? (options.json ? 'warn' : 'info') });
  const mode: RunMode = options.dryRun
    ? 'dry-run'
    : options.shadow || !loaded.config.writeBack.enabled
      ? 'shadow'
      : 'live';
  const store = await openSqliteStore({ dataDir: loaded.resolvePath(loaded.config.dataDir) });
  const progress = progressFor({ log, tty: process.stderr.isTTY === true && options.json !== true });
  const stopping = stopOnSignals({ log, graceSeconds: loaded.config.worker.shutdownGraceSeconds });
  let callsPerBatch = 1;
  try {
    const locked = await runWithService({
      loaded,
      store,
      log,
      mode,
      signal: stopping.signal,
      runOptions: (crm) =>
        runOptionsFrom({
          loaded,
          crm,
          store,
          log,
          mode,
          asOf: options.asOf,
          fullRead: options.fullRead === true,
          onProgress: progress.onProgress,
        }),
      onConnector: (crm) => (callsPerBatch = crm.maxBatchSize),
    });
    if (!locked.ran)
      throw new SyncError(`Not started: ${heldByText(loaded.config.name, locked.heldBy)}. Wait for it, or stop it.`, {
        code: 'sync_locked',
        kind: 'system',
      });
    const report = locked.value;
    progress.stop();
    if (options.reportFile) await writeFile(options.reportFile, `${JSON.stringify(report, null, 2)}\n`);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const currency = loaded.config.scoring.pricing.currency;
      const out = [renderSummary(report, currency)];
      if (report.plan) out.push(renderPlan(report.plan, { limit: Number(options.limit ?? 20), callsPerBatch }));
      if (options.top !== false) out.push('Top opportunities:', renderTop(report, currency));
      process.stdout.write(`${out.join('\n\n')}\n`);
    }
    return exitCodeForReport(report);
  } finally {
    progress.stop();
    stopping.dispose();
    await store.close();
  }
}

/**
 * SIGTERM or SIGINT asks the run to stop: the batch in flight finishes and is recorded, the run ends
 * with a checkpoint, and the process exits 6. A second signal, or the grace period running out, exits
 * at once; the write-ahead records make even that safe to resume.
 */
export function stopOnSignals(options: { readonly log: Logger; readonly graceSeconds: number }): {
  readonly signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(EXIT.stopped);
    options.log.warn(
      { signal: name },
      `${name}: finishing the batch in flight, then stopping (send again to stop at once)`,
    );
    controller.abort();
    setTimeout(() => process.exit(EXIT.stopped), options.graceSeconds * 1000).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}

import { writeFile } from 'node:fs/promises';
import { createCrmConnector } from '../../../connectors/index.ts';
import { loadConfig } from '../../config/load.ts';
import { runSync, type ProgressEvent } from '../../engine/run.ts';
import { runOptionsFrom } from '../run-options.ts';
import type { RunMode } from '../../engine/report.ts';
import { createLogger, type Logger } from '../../logger.ts';
import { openSqliteStore } from '../../state/sqlite-store.ts';
import { exitCodeForReport } from '../exit-codes.ts';
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
  const mode: RunMode = options.dryRun ? 'dry-run' : options.shadow || !loaded.config.writeBack.enabled ? 'shadow' : 'live';
  const crm = await createCrmConnector({ loaded, log });
  const store = await openSqliteStore({ dataDir: loaded.resolvePath(loaded.config.dataDir) }).catch(async (error: unknown) => {
    await crm.close();
    throw error;
  });
  try {
    const report = await runSync(runOptionsFrom({ loaded, crm, store, log, mode, asOf: options.asOf, fullRead: options.fullRead === true, onProgress: progressLogger(log) }));
    if (options.reportFile) await writeFile(options.reportFile, `${JSON.stringify(report, null, 2)}\n`);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const out = [renderSummary(report)];
      if (report.plan) out.push(renderPlan(report.plan, { limit: Number(options.limit ?? 20), callsPerBatch: crm.maxBatchSize }));
      if (options.top !== false) out.push('Top opportunities:', renderTop(report));
      process.stdout.write(`${out.join('\n\n')}\n`);
    }
    return exitCodeForReport(report);
  } finally {
    await crm.close();
    await store.close();
  }
}

/** Long runs report progress as periodic log lines (at most one every 2 s per phase). */
function progressLogger(log: Logger): (event: ProgressEvent) => void {
  let last = 0;
  let lastPhase = '';
  return (event) => {
    const now = Date.now();
    if (event.phase === lastPhase && now - last < 2_000) return;
    last = now;
    lastPhase = event.phase;
    log.info({ phase: event.phase, done: event.done, ...(event.total === undefined ? {} : { total: event.total }) }, `${event.phase}: ${event.done}${event.total === undefined ? '' : `/${event.total}`}`);
  };
}

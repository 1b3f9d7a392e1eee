import { z } from 'zod';
import { loadConfig } from '../../config/load.ts';
import type { RunMode } from '../../engine/report.ts';
import { createLogger } from '../../logger.ts';
import { openSqliteStore } from '../../state/sqlite-store.ts';
import { alertAfterRun, sendWeeklyDigest } from '../../worker/run-alerts.ts';
import { assertValidSchedule, describeSchedule } from '../../worker/schedule.ts';
import { startWorker } from '../../worker/worker.ts';
import { EXIT } from '../exit-codes.ts';
import { runOptionsFrom } from '../run-options.ts';

export interface WorkerCommandOptions {
  readonly config: string;
  readonly port?: number;
  readonly shadow?: boolean;
  readonly runAtStart?: boolean;
  readonly logLevel?: string;
}

/**
 * `worker`: runs the sync on its schedule until SIGTERM or SIGINT, which stop the schedule, let the run
 * in flight finish its batch and checkpoint, and exit within worker.shutdownGraceSeconds.
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const loaded = await loadConfig(options.config);
  const { config } = loaded;
  if (config.schedule) assertValidSchedule(config.schedule, loaded.file, 'schedule');
  if (config.alerts.weeklyDigest) assertValidSchedule(config.alerts.weeklyDigest, loaded.file, 'alerts.weeklyDigest');
  const log = createLogger({ level: options.logLevel ?? 'info' });
  const store = await openSqliteStore({ dataDir: loaded.resolvePath(config.dataDir) });
  const mode: RunMode = options.shadow || !config.writeBack.enabled ? 'shadow' : 'live';
  const worker = await startWorker({
    loaded,
    store,
    log,
    mode,
    runOptions: (crm) => runOptionsFrom({ loaded, crm, store, log, mode }),
    ...(options.port === undefined ? {} : { port: options.port }),
    runAtStart: options.runAtStart === true,
    onRun: (report) => alertAfterRun({ loaded, store, log, report }),
    onDigest: (now) => sendWeeklyDigest({ loaded, store, log, now }),
  });
  log.info(
    {
      schedule: config.schedule
        ? describeSchedule(config.schedule, new Date())
        : 'none: runs only on POST /run or run-now',
    },
    `worker started (${mode})`,
  );
  process.stdout.write(`worker ${config.name} listening on ${worker.url}\n`);
  const stop = (signal: NodeJS.Signals): void => {
    log.warn({ signal }, `${signal}: stopping; the run in flight finishes its batch and checkpoints`);
    setTimeout(() => process.exit(EXIT.stopped), config.worker.shutdownGraceSeconds * 1000).unref();
    void worker.stop();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await worker.stopped;
  await store.close();
  return EXIT.ok;
}

/** What the worker's POST /run answers; any other body (not our worker on that port) reads as refused. */
const RunNowAnswer = z.object({ accepted: z.boolean().optional(), reason: z.string().optional() }).catch({});

/** `run-now`: asks the running worker for a run (POST /run); without a worker, says how to start one. */
export async function runNowCommand(options: { readonly config: string; readonly sync?: string }): Promise<number> {
  const { loadConfigForReading } = await import('../stored-assessments.ts');
  const loaded = await loadConfigForReading(options.config);
  const { config } = loaded;
  if (options.sync !== undefined && options.sync !== config.name) {
    process.stderr.write(`${options.config} configures sync "${config.name}", not "${options.sync}".\n`);
    return EXIT.config;
  }
  const url = `http://${config.worker.host.includes(':') ? `[${config.worker.host}]` : config.worker.host}:${config.worker.port}/run`;
  try {
    const response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(5_000) });
    const body = RunNowAnswer.parse(await response.json());
    if (body.accepted) {
      process.stdout.write(`run of ${config.name} started by the worker at ${url}\n`);
      return EXIT.ok;
    }
    process.stderr.write(`the worker did not start a run: ${body.reason ?? `HTTP ${response.status}`}\n`);
    return EXIT.failed;
  } catch {
    process.stderr.write(
      `no worker answers at ${url}. Start one with: expansion-sync worker --config ${options.config}\nor run once now with: expansion-sync sync --config ${options.config}\n`,
    );
    return EXIT.failed;
  }
}

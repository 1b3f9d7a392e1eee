import { randomUUID } from 'node:crypto';
import { configSystem, type LoadedConfig } from '../config/load.ts';
import type { CrmConnector } from '../engine/crm.ts';
import { failedRunReport, type RunMode, type RunReport } from '../engine/report.ts';
import { heldByText } from '../engine/run-lock.ts';
import { runWithService, type RunServiceOptions } from '../engine/run-service.ts';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { StateStore } from '../state/store.ts';
import { judgeHealth, startWorkerHttp, type HealthState, type WorkerHttp } from './http.ts';
import { createMetrics, type WorkerMetrics } from './metrics.ts';
import { nextRunAt, type Schedule } from './schedule.ts';

export interface WorkerOptions {
  readonly loaded: LoadedConfig;
  readonly store: StateStore;
  readonly log: Logger;
  readonly mode: RunMode;
  /** The engine's options for a run around its connector, built from the config by the caller. */
  readonly runOptions: RunServiceOptions['runOptions'];
  /** Creates the connector; the CRM registry's by default. */
  readonly createCrm?: RunServiceOptions['createCrm'];
  /** Overrides worker.port (0 picks a free one). */
  readonly port?: number;
  /** Run once as soon as the worker starts, then follow the schedule. */
  readonly runAtStart?: boolean;
  /** Called after every finished run (alerts hook in here). */
  readonly onRun?: (report: RunReport) => Promise<void>;
  /** Sends the weekly digest when alerts.weeklyDigest is due. */
  readonly onDigest?: (now: Date) => Promise<void>;
  readonly now?: () => Date;
}

export interface Worker {
  readonly url: string;
  /** Runs the sync now unless a run is in progress here or holds the lock elsewhere. */
  trigger(): Promise<{ accepted: boolean; reason?: string }>;
  /** Stops the schedule, lets the run in flight finish its batch and checkpoint, closes the endpoints. */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped. */
  readonly stopped: Promise<void>;
}

/**
 * The long-running worker: one sync on its schedule (cron in a time zone, or an interval), runs by hand
 * through POST /run or `run-now`, never two runs of the sync at once (the store's lock, across
 * processes and hosts, renewed while the run lasts), /healthz and /metrics.
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { loaded, store, log } = options;
  const { config } = loaded;
  const now = options.now ?? (() => new Date());
  const metrics = createMetrics();
  const startedAt = now();
  const state = {
    running: undefined as Promise<void> | undefined,
    abort: new AbortController(),
    nextRunAt: undefined as Date | undefined,
    stopping: false,
    wake: () => undefined as void,
  };
  let stoppedResolve: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stoppedResolve = resolve));

  const runNow = (): { accepted: boolean; reason?: string } => {
    if (state.stopping) return { accepted: false, reason: 'the worker is stopping' };
    if (state.running) return { accepted: false, reason: 'a run is in progress' };
    state.running = runOnce({ options, metrics, signal: state.abort.signal }).finally(() => {
      state.running = undefined;
      state.wake();
    });
    return { accepted: true };
  };
  const http: WorkerHttp = await startWorkerHttp({
    host: config.worker.host,
    port: options.port ?? config.worker.port,
    metrics,
    health: () =>
      healthOf({
        store,
        sync: config.name,
        schedule: config.schedule,
        startedAt,
        now: now(),
        running: state.running !== undefined,
        nextRunAt: state.nextRunAt,
      }),
    triggerRun: async () => runNow(),
  });
  log.info(
    { url: http.url, sync: config.name },
    `worker for ${config.name} listening on ${http.url} (/healthz, /metrics, POST /run)`,
  );
  if (options.runAtStart) runNow();
  void loop();
  const digest = digestTimer(options, () => state.stopping);

  async function loop(): Promise<void> {
    while (!state.stopping) {
      if (state.running) await state.running;
      if (state.stopping) break;
      const next = config.schedule
        ? nextRunAt(config.schedule, { now: now(), ...(await lastFinished(store, config.name)) })
        : undefined;
      state.nextRunAt = next;
      const woke = await sleepUntil(next, state, now);
      if (woke === 'due' && !state.stopping) runNow();
    }
  }

  return {
    url: http.url,
    trigger: async () => runNow(),
    stopped,
    stop: async () => {
      if (state.stopping) return stopped;
      state.stopping = true;
      digest.cancel();
      state.abort.abort();
      state.wake();
      await state.running;
      await http.close();
      stoppedResolve();
      return stopped;
    },
  };
}

/** Sleeps until `at` (or forever without a schedule), waking early on a trigger or a stop. */
function sleepUntil(at: Date | undefined, state: { wake: () => void }, now: () => Date): Promise<'due' | 'woken'> {
  return new Promise((resolve) => {
    // Timers cap at about 24.8 days; wake up daily and recompute rather than overflow.
    const delay = at === undefined ? 86_400_000 : Math.min(86_400_000, Math.max(0, at.getTime() - now().getTime()));
    const timer = setTimeout(() => resolve(at !== undefined && now() >= at ? 'due' : 'woken'), delay);
    state.wake = () => {
      clearTimeout(timer);
      resolve('woken');
    };
  });
}

async function lastFinished(store: StateStore, sync: string): Promise<{ lastFinishedAt?: Date }> {
  const [last] = await store.listRuns({ sync, limit: 1 });
  return last?.finishedAt ? { lastFinishedAt: new Date(last.finishedAt) } : {};
}

interface RunOnceOptions {
  readonly options: WorkerOptions;
  readonly metrics: WorkerMetrics;
  readonly signal: AbortSignal;
}

/** One run under the sync's lock; a run elsewhere holding it means this one is skipped, not queued. */
async function runOnce({ options, metrics, signal }: RunOnceOptions): Promise<void> {
  const { loaded, store, log } = options;
  const sync = loaded.config.name;
  const runId = randomUUID();
  const startedAt = new Date();
  let crm: CrmConnector | undefined;
  let report: RunReport;
  try {
    const locked = await runWithService({
      loaded,
      store,
      log,
      mode: options.mode,
      runId,
      signal,
      runOptions: options.runOptions,
      ...(options.createCrm ? { createCrm: options.createCrm } : {}),
      onConnector: (created) => (crm = created),
    });
    if (!locked.ran) {
      log.warn({ sync, heldBy: locked.heldBy }, `skipped: ${heldByText(sync, locked.heldBy)}`);
      return;
    }
    report = locked.value;
    log.info({ sync, status: report.status, durationMs: report.durationMs }, `run ${runId} ${report.status}`);
  } catch (error) {
    log.error({ sync }, `run ${runId} failed: ${errorMessage(error)}`);
    const apiCalls = crm?.apiStats() ?? { total: 0, calls: {}, retries: 0, rateLimited: 0 };
    report = failedRunReport({
      runId,
      sync,
      system: configSystem(loaded),
      mode: options.mode,
      startedAt,
      finishedAt: new Date(),
      message: errorMessage(error),
      apiCalls,
    });
  }
  metrics.observeRun(report);
  await options
    .onRun?.(report)
    .catch((error: unknown) => log.error({ sync }, `after-run hook failed: ${errorMessage(error)}`));
}

async function healthOf(input: {
  readonly store: StateStore;
  readonly sync: string;
  readonly schedule: Schedule | undefined;
  readonly startedAt: Date;
  readonly now: Date;
  readonly running: boolean;
  readonly nextRunAt: Date | undefined;
}): Promise<HealthState> {
  const runs = await input.store.listRuns({ sync: input.sync, limit: 50 });
  const last = runs.find((r) => r.finishedAt !== undefined);
  const success = runs.find((r) => r.status === 'succeeded');
  const periodMs = periodOf(input.schedule, input.now);
  const judged = judgeHealth({
    lastSuccessAt: success?.finishedAt ?? null,
    lastRunStatus: last?.status ?? null,
    periodMs,
    since: input.startedAt,
    now: input.now,
  });
  return {
    ok: judged.ok,
    ...(judged.stale === undefined ? {} : { stale: judged.stale }),
    lastSuccessAt: success?.finishedAt ?? null,
    lastRun: last ? { id: last.id, status: last.status, finishedAt: last.finishedAt ?? null } : null,
    running: input.running,
    nextRunAt: input.nextRunAt?.toISOString() ?? null,
  };
}

/** The schedule's period, for "stale": an interval's length, or the gap between a cron's next two fires; a day without a schedule. */
function periodOf(schedule: Schedule | undefined, now: Date): number {
  if (schedule === undefined) return 86_400_000;
  if ('everyMinutes' in schedule) return schedule.everyMinutes * 60_000;
  const first = nextRunAt(schedule, { now });
  return Math.max(60_000, nextRunAt(schedule, { now: first }).getTime() - first.getTime());
}

/** The weekly digest on its own cron (alerts.weeklyDigest), when alerts are configured. */
function digestTimer(options: WorkerOptions, stopping: () => boolean): { cancel(): void } {
  const digest = options.loaded.config.alerts.weeklyDigest;
  if (digest === undefined || options.onDigest === undefined) return { cancel: () => undefined };
  const send = options.onDigest;
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    if (stopping()) return;
    const at = nextRunAt(digest, { now: now() });
    // Long waits are split so a timer never overflows; each wake re-checks the time.
    timer = setTimeout(
      () => {
        if (now() >= at)
          void send(now())
            .catch((error: unknown) => options.log.error({}, `weekly digest failed: ${errorMessage(error)}`))
            .finally(arm);
        else arm();
      },
      Math.min(86_400_000, Math.max(0, at.getTime() - now().getTime())),
    );
  };
  arm();
  return { cancel: () => clearTimeout(timer) };
}

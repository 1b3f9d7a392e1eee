import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunReport } from '../engine/report.ts';

/** Every metric the worker exposes starts with this, the process defaults included. */
export const METRIC_PREFIX = 'expansion_sync_';

/** Run durations span a small dry run (seconds) to a full portfolio sync against a slow CRM (an hour). */
const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];

const WRITE_OBJECTS = ['account', 'opportunity', 'note'] as const;
const WRITE_OUTCOMES = ['created', 'updated', 'failed'] as const;

/** The worker's Prometheus metrics, fed from run reports and the connectors' quota readings. */
export interface WorkerMetrics {
  /** A registry of its own, so tests and several workers in one process never share series. */
  readonly registry: Registry;
  /** Adds one finished run's figures to the counters, and sets the gauges the report carries. */
  observeRun(report: RunReport): void;
  /** The CRM's daily API quota as last read from its response headers or limits endpoint. */
  setRemainingQuota(system: string, remaining: number, limit?: number): void;
  /** When a sync last succeeded: set at start-up from the state store, and after each successful run. */
  setLastSuccess(sync: string, date: Date): void;
}

/** Options for {@link createMetrics}. */
export interface MetricsOptions {
  /** Collect the process defaults (CPU, memory, event loop, GC) with the same prefix. Defaults to true. */
  readonly defaultMetrics?: boolean;
}

interface Instruments {
  readonly runs: Counter<'sync' | 'system' | 'mode' | 'status'>;
  readonly duration: Histogram<'sync' | 'system'>;
  readonly records: Counter<'sync' | 'system' | 'kind'>;
  readonly writes: Counter<'sync' | 'system' | 'object' | 'outcome'>;
  readonly apiCalls: Counter<'sync' | 'system' | 'kind'>;
  readonly rateLimited: Counter<'sync' | 'system'>;
  readonly retries: Counter<'sync' | 'system'>;
  readonly quotaRemaining: Gauge<'system'>;
  readonly quotaLimit: Gauge<'system'>;
  readonly lastSuccess: Gauge<'sync'>;
  readonly schemaDisabled: Gauge<'sync'>;
}

/** Creates the registry and every instrument; counters start empty and gain series as runs report. */
export function createMetrics(options: MetricsOptions = {}): WorkerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const m = instruments(registry);
  return {
    registry,
    observeRun: (report) => {
      observe(m, report);
      const quota = report.apiCalls.quota;
      if (quota) {
        m.quotaRemaining.set({ system: report.system }, quota.remaining);
        if (quota.limit !== undefined) m.quotaLimit.set({ system: report.system }, quota.limit);
      }
    },
    setRemainingQuota(system, remaining, limit) {
      m.quotaRemaining.set({ system }, remaining);
      if (limit !== undefined) m.quotaLimit.set({ system }, limit);
    },
    setLastSuccess(sync, date) {
      m.lastSuccess.set({ sync }, date.getTime() / 1000);
    },
  };
}

function instruments(registry: Registry): Instruments {
  const registers = [registry];
  const name = (suffix: string): string => `${METRIC_PREFIX}${suffix}`;
  return {
    runs: new Counter({
      name: name('runs_total'),
      help: 'Sync runs finished, by mode and final status.',
      labelNames: ['sync', 'system', 'mode', 'status'],
      registers,
    }),
    duration: new Histogram({
      name: name('run_duration_seconds'),
      help: 'Wall-clock duration of a sync run.',
      labelNames: ['sync', 'system'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    records: new Counter({
      name: name('records_total'),
      help: 'Accounts read from the CRM and accounts scored.',
      labelNames: ['sync', 'system', 'kind'],
      registers,
    }),
    writes: new Counter({
      name: name('writes_total'),
      help: 'CRM writes by object and outcome.',
      labelNames: ['sync', 'system', 'object', 'outcome'],
      registers,
    }),
    apiCalls: new Counter({
      name: name('api_calls_total'),
      help: 'CRM API calls by kind of call.',
      labelNames: ['sync', 'system', 'kind'],
      registers,
    }),
    rateLimited: new Counter({
      name: name('api_rate_limited_total'),
      help: 'CRM API calls answered with a rate limit (429).',
      labelNames: ['sync', 'system'],
      registers,
    }),
    retries: new Counter({
      name: name('api_retries_total'),
      help: 'CRM API calls retried after a transient failure.',
      labelNames: ['sync', 'system'],
      registers,
    }),
    quotaRemaining: new Gauge({
      name: name('api_quota_remaining'),
      help: 'API calls left in the CRM daily quota, as last read.',
      labelNames: ['system'],
      registers,
    }),
    quotaLimit: new Gauge({
      name: name('api_quota_limit'),
      help: 'The CRM daily API quota, as last read.',
      labelNames: ['system'],
      registers,
    }),
    lastSuccess: new Gauge({
      name: name('last_success_timestamp_seconds'),
      help: 'Unix time the sync last finished successfully.',
      labelNames: ['sync'],
      registers,
    }),
    schemaDisabled: new Gauge({
      name: name('schema_disabled_mappings'),
      help: 'Mapping rules the CRM schema switched off in the last run.',
      labelNames: ['sync'],
      registers,
    }),
  };
}

/** A report figure as a counter step: a counter throws on negative or non-finite steps, which must not stop a worker. */
function step(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** Adds a run's figures; last success moves only on a `succeeded` run (partial runs left failed writes behind). */
function observe(m: Instruments, report: RunReport): void {
  const base = { sync: report.sync, system: report.system };
  m.runs.inc({ ...base, mode: report.mode, status: report.status });
  m.duration.observe(base, step(report.durationMs) / 1000);
  m.records.inc({ ...base, kind: 'accounts_read' }, step(report.read.accounts));
  m.records.inc({ ...base, kind: 'scored' }, step(report.scored));
  for (const object of WRITE_OBJECTS) {
    for (const outcome of WRITE_OUTCOMES)
      m.writes.inc({ ...base, object, outcome }, step(report.writes[object][outcome]));
  }
  for (const [kind, count] of Object.entries(report.apiCalls.calls)) m.apiCalls.inc({ ...base, kind }, step(count));
  m.rateLimited.inc(base, step(report.apiCalls.rateLimited));
  m.retries.inc(base, step(report.apiCalls.retries));
  m.schemaDisabled.set({ sync: report.sync }, report.schema.disabled.length);
  if (report.status === 'succeeded') {
    const finished = Date.parse(report.finishedAt);
    if (Number.isFinite(finished)) m.lastSuccess.set({ sync: report.sync }, finished / 1000);
  }
}

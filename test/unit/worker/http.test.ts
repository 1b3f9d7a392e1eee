import { afterEach, describe, expect, it } from 'vitest';
import { NO_SCHEMA_REPORT } from '../../../src/engine/schema-guard.ts';
import type { RunReport } from '../../../src/engine/report.ts';
import {
  healthBody,
  judgeHealth,
  startWorkerHttp,
  type HealthState,
  type TriggerResult,
  type WorkerHttp,
} from '../../../src/worker/http.ts';
import { createMetrics, type WorkerMetrics } from '../../../src/worker/metrics.ts';

type Overrides = Partial<Omit<RunReport, 'read' | 'writes' | 'apiCalls'>> & {
  readonly read?: Partial<RunReport['read']>;
  readonly writes?: Partial<RunReport['writes']>;
  readonly apiCalls?: Partial<RunReport['apiCalls']>;
};

/** A complete RunReport with zero figures, overridden where a test cares. */
function report(overrides: Overrides = {}): RunReport {
  const zero = { created: 0, updated: 0, failed: 0 };
  const { read, writes, apiCalls, ...rest } = overrides;
  return {
    runId: 'run-1',
    sync: 'demo',
    system: 'hubspot',
    mode: 'live',
    status: 'succeeded',
    asOf: '2026-12-01',
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:02:00.000Z',
    durationMs: 120_000,
    peakRssMb: 100,
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
      ...read,
    },
    usage: { inserted: 0, updated: 0, unchanged: 0 },
    scored: 0,
    health: { green: 0, yellow: 0, red: 0 },
    timing: { now: 0, '30d': 0, '90d': 0, hold: 0 },
    opportunities: { total: 0, byMotion: {}, arrPotential: 0, expectedValue: 0 },
    planned: { accountUpdates: 0, opportunityCreates: 0, opportunityUpdates: 0, notes: 0, skips: 0 },
    writes: { account: { ...zero }, opportunity: { ...zero }, note: { ...zero }, ...writes },
    skipped: {},
    conflicts: [],
    failures: [],
    problems: [],
    schema: NO_SCHEMA_REPORT,
    apiCalls: { total: 0, calls: {}, retries: 0, rateLimited: 0, ...apiCalls },
    top: [],
    ...rest,
  };
}

const FIRST = report({
  read: { accounts: 40 },
  scored: 38,
  writes: {
    account: { created: 0, updated: 20, failed: 1 },
    opportunity: { created: 2, updated: 1, failed: 0 },
    note: { created: 2, updated: 0, failed: 0 },
  },
  apiCalls: { total: 12, calls: { read: 8, write: 4 }, retries: 2, rateLimited: 1 },
  schema: {
    ...NO_SCHEMA_REPORT,
    disabled: [
      {
        severity: 'error',
        file: 'hubspot.yaml',
        line: 12,
        object: 'account',
        field: 'gone_field',
        rule: 'write',
        message: 'field deleted',
        fix: 'remove the rule',
        change: 'deleted',
      },
    ],
  },
});
const SECOND = report({
  runId: 'run-2',
  status: 'partial',
  durationMs: 30_000,
  finishedAt: '2026-12-01T11:00:30.000Z',
  read: { accounts: 10 },
  scored: 10,
  writes: { opportunity: { created: 1, updated: 0, failed: 2 } },
  apiCalls: { total: 5, calls: { read: 3, write: 2 }, retries: 1, rateLimited: 2 },
});

const HEALTHY: HealthState = {
  ok: true,
  lastSuccessAt: '2026-12-01T10:02:00.000Z',
  lastRun: { id: 'run-2', status: 'partial', finishedAt: '2026-12-01T11:00:30.000Z' },
  running: false,
  nextRunAt: '2026-12-01T12:00:00.000Z',
};
const NOW = new Date('2026-12-01T11:02:00.000Z');

let server: WorkerHttp | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(
  overrides: {
    health?: () => Promise<HealthState>;
    triggerRun?: () => Promise<TriggerResult>;
    metrics?: WorkerMetrics;
  } = {},
): Promise<WorkerHttp> {
  server = await startWorkerHttp({
    port: 0,
    metrics: overrides.metrics ?? createMetrics({ defaultMetrics: false }),
    health: overrides.health ?? (async () => HEALTHY),
    triggerRun: overrides.triggerRun ?? (async () => ({ accepted: true })),
    now: () => NOW,
  });
  return server;
}

describe('GET /metrics', () => {
  it('adds up the counters of two run reports', async () => {
    const metrics = createMetrics();
    metrics.observeRun(FIRST);
    metrics.observeRun(SECOND);
    metrics.setRemainingQuota('hubspot', 249_000, 250_000);
    const { url } = await start({ metrics });
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(metrics.registry.contentType);
    const lines = (await res.text()).split('\n');
    const labels = 'sync="demo",system="hubspot"';
    expect(lines).toEqual(
      expect.arrayContaining([
        `expansion_sync_runs_total{${labels},mode="live",status="succeeded"} 1`,
        `expansion_sync_runs_total{${labels},mode="live",status="partial"} 1`,
        `expansion_sync_run_duration_seconds_sum{${labels}} 150`,
        `expansion_sync_run_duration_seconds_count{${labels}} 2`,
        `expansion_sync_run_duration_seconds_bucket{le="60",${labels}} 1`,
        `expansion_sync_records_total{${labels},kind="accounts_read"} 50`,
        `expansion_sync_records_total{${labels},kind="scored"} 48`,
        `expansion_sync_writes_total{${labels},object="opportunity",outcome="created"} 3`,
        `expansion_sync_writes_total{${labels},object="opportunity",outcome="failed"} 2`,
        `expansion_sync_writes_total{${labels},object="account",outcome="updated"} 20`,
        `expansion_sync_writes_total{${labels},object="note",outcome="created"} 2`,
        `expansion_sync_api_calls_total{${labels},kind="read"} 11`,
        `expansion_sync_api_calls_total{${labels},kind="write"} 6`,
        `expansion_sync_api_rate_limited_total{${labels}} 3`,
        `expansion_sync_api_retries_total{${labels}} 3`,
        'expansion_sync_api_quota_remaining{system="hubspot"} 249000',
        'expansion_sync_api_quota_limit{system="hubspot"} 250000',
        `expansion_sync_last_success_timestamp_seconds{sync="demo"} ${Date.parse('2026-12-01T10:02:00.000Z') / 1000}`,
        'expansion_sync_schema_disabled_mappings{sync="demo"} 0',
      ]),
    );
    expect(lines.some((line) => line.startsWith('expansion_sync_process_resident_memory_bytes '))).toBe(true);
  });

  it('moves last success only on a succeeded run and sets it when told', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.observeRun(report({ status: 'failed' }));
    expect(await metrics.registry.metrics()).not.toMatch(/last_success_timestamp_seconds\{/);
    metrics.setLastSuccess('demo', new Date('2026-12-01T00:00:10.000Z'));
    metrics.setRemainingQuota('salesforce', 10);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      `expansion_sync_last_success_timestamp_seconds{sync="demo"} ${Date.parse('2026-12-01T00:00:10.000Z') / 1000}`,
    );
    expect(text).toContain('expansion_sync_api_quota_remaining{system="salesforce"} 10');
    expect(text).not.toContain('expansion_sync_api_quota_limit{system="salesforce"}');
  });

  it('reports the disabled mapping rules of the last run', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.observeRun(FIRST);
    expect(await metrics.registry.metrics()).toContain('expansion_sync_schema_disabled_mappings{sync="demo"} 1');
  });
});

describe('GET /healthz', () => {
  it('answers 200 with the state and the age of the last success', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      status: 'ok',
      lastSuccessAt: HEALTHY.lastSuccessAt,
      lastSuccessAgeSeconds: 3600,
      lastRun: HEALTHY.lastRun,
      running: false,
      nextRunAt: HEALTHY.nextRunAt,
    });
  });

  it('answers 200 stale and 503 failing', async () => {
    let state: HealthState = { ...HEALTHY, stale: true };
    const { url } = await start({ health: async () => state });
    const stale = await fetch(`${url}/healthz`);
    expect(stale.status).toBe(200);
    expect(await stale.json()).toMatchObject({ status: 'stale' });
    state = {
      ...HEALTHY,
      ok: false,
      stale: true,
      lastSuccessAt: null,
      lastRun: { id: 'run-3', status: 'failed', finishedAt: '2026-12-01T11:01:00.000Z' },
    };
    const failing = await fetch(`${url}/healthz`);
    expect(failing.status).toBe(503);
    expect(await failing.json()).toMatchObject({
      status: 'failing',
      lastSuccessAgeSeconds: null,
      lastRun: { status: 'failed' },
    });
  });

  it('answers 500 when the health check itself throws', async () => {
    const { url } = await start({
      health: async () => {
        throw new Error('store closed');
      },
    });
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'store closed' });
  });
});

describe('POST /run', () => {
  it('accepts a run, then refuses while one is in progress', async () => {
    let busy = false;
    const { url } = await start({
      triggerRun: async () => {
        if (busy) return { accepted: false };
        busy = true;
        return { accepted: true };
      },
    });
    const first = await fetch(`${url}/run`, { method: 'POST' });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: true });
    const second = await fetch(`${url}/run`, { method: 'POST', body: 'ignored' });
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({ accepted: false, reason: 'a run is in progress' });
  });
});

describe('routing', () => {
  it('answers 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    const { url } = await start();
    const missing = await fetch(`${url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not found', path: '/nope' });
    const getRun = await fetch(`${url}/run`);
    expect(getRun.status).toBe(405);
    expect(getRun.headers.get('allow')).toBe('POST');
    const postMetrics = await fetch(`${url}/metrics`, { method: 'POST' });
    expect(postMetrics.status).toBe(405);
    expect(postMetrics.headers.get('allow')).toBe('GET, HEAD');
  });

  it('binds to loopback by default and ignores query strings', async () => {
    const { url } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/healthz?verbose=1`)).status).toBe(200);
  });
});

describe('healthBody and judgeHealth', () => {
  const since = new Date('2026-12-01T00:00:00.000Z');
  const hour = 3_600_000;
  it.each([
    ['recent success', '2026-12-01T10:30:00.000Z', 'succeeded', { ok: true, stale: false }],
    ['success 2 periods ago', '2026-12-01T09:00:00.000Z', 'partial', { ok: true, stale: true }],
    ['success 4 periods ago', '2026-12-01T07:00:00.000Z', 'stopped', { ok: false, stale: false }],
    ['last run failed', '2026-12-01T10:30:00.000Z', 'failed', { ok: false, stale: false }],
  ] as const)('%s', (_name, lastSuccessAt, lastRunStatus, expected) => {
    expect(
      judgeHealth({ lastSuccessAt, lastRunStatus, periodMs: hour, since, now: new Date('2026-12-01T11:00:00.000Z') }),
    ).toEqual(expected);
  });

  it('counts from start-up while no success is on record', () => {
    expect(
      judgeHealth({
        lastSuccessAt: null,
        lastRunStatus: null,
        periodMs: hour,
        since,
        now: new Date('2026-12-01T00:30:00.000Z'),
      }),
    ).toEqual({ ok: true, stale: false });
    expect(
      judgeHealth({
        lastSuccessAt: null,
        lastRunStatus: null,
        periodMs: hour,
        since,
        now: new Date('2026-12-01T05:00:00.000Z'),
      }),
    ).toEqual({ ok: false, stale: false });
  });

  it('puts failing ahead of stale', () => {
    expect(healthBody({ ...HEALTHY, ok: false, stale: true }, NOW).status).toBe('failing');
  });
});

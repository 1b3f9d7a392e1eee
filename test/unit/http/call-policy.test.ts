import { Writable } from 'node:stream';
import Bottleneck from 'bottleneck';
import { describe, expect, it, vi } from 'vitest';
import { backoffMs, createCallPolicy, type CallPolicyOptions } from '../../../src/http/call-policy.ts';
import type { HttpFailureInfo, Resolution } from '../../../src/http/classify.ts';
import { SyncError } from '../../../src/errors.ts';
import { createLogger } from '../../../src/logger.ts';

/** A failure the fake API throws; the test classifier reads its resolution straight off it. */
class FakeFailure extends Error {
  readonly resolution: Resolution;
  readonly status: number | undefined;
  constructor(resolution: Resolution, status?: number) {
    super(`raw SDK text with Headers: {"authorization":"Bearer do-not-copy"}`);
    this.resolution = resolution;
    this.status = status;
  }
}

const RETRY: Resolution = {
  action: 'retry',
  kind: 'transient',
  code: 'x_server_error',
  reason: 'the server had trouble',
};
const FAIL: Resolution = {
  action: 'fail',
  kind: 'data',
  code: 'x_validation',
  reason: 'the request was invalid: name is required',
  category: 'VALIDATION_ERROR',
};
const STOP: Resolution = {
  action: 'stop_run',
  kind: 'quota',
  code: 'x_daily_limit',
  reason: 'the daily limit is used up',
};
const EXPIRED: Resolution = {
  action: 'refresh_auth',
  kind: 'auth',
  code: 'x_token_expired',
  reason: 'the token expired',
};

function toFailure(error: unknown): HttpFailureInfo {
  if (error instanceof FakeFailure)
    return { headers: {}, ...(error.status === undefined ? {} : { status: error.status }), message: 'short message' };
  return { headers: {} };
}

function classify(failure: HttpFailureInfo): Resolution {
  return (
    lastThrown?.resolution ?? {
      action: 'fail',
      kind: 'system',
      code: 'unknown',
      reason: `unclassified ${failure.status}`,
    }
  );
}
let lastThrown: FakeFailure | undefined;

/** An API that fails with the given outcomes in order, then returns 'ok'. */
function api(outcomes: Array<[Resolution, number?]>) {
  const calls = { count: 0 };
  const fn = async (): Promise<string> => {
    const next = outcomes[calls.count];
    calls.count += 1;
    if (!next) return 'ok';
    lastThrown = new FakeFailure(next[0], next[1]);
    throw lastThrown;
  };
  return { fn, calls };
}

function setup(overrides: Partial<CallPolicyOptions> = {}) {
  const waits: number[] = [];
  const lines: string[] = [];
  const log = createLogger({
    level: 'trace',
    destination: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
  });
  const policy = createCallPolicy({
    system: 'crm',
    limiter: new Bottleneck({ maxConcurrent: 2 }),
    classify,
    toFailure,
    log,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
  return { policy, waits, logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function failureOf(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SyncError);
  return error as SyncError;
}

describe('createCallPolicy', () => {
  it('retries after the wait the classifier names and returns the result', async () => {
    const { policy, waits } = setup();
    const { fn, calls } = api([[{ ...RETRY, waitMs: 10_000 }, 429]]);
    await expect(policy.run('companies.read', fn)).resolves.toBe('ok');
    expect(calls.count).toBe(2);
    expect(waits).toEqual([10_000]);
    expect(policy.stats()).toEqual({
      calls: { 'companies.read': 2 },
      total: 2,
      retries: 1,
      rateLimited: 1,
      failures: 0,
    });
  });

  it('backs off exponentially with jitter when no wait is named, capped by maxTimeoutMs', async () => {
    const { policy, waits } = setup({ minTimeoutMs: 100, maxTimeoutMs: 500 });
    const { fn } = api([
      [RETRY, 503],
      [RETRY, 503],
      [RETRY, 503],
      [RETRY, 503],
    ]);
    await policy.run('deals.read', fn);
    expect(waits).toHaveLength(4);
    [
      [100, 200],
      [200, 400],
      [400, 500],
      [500, 500],
    ].forEach(([low, high], i) => {
      expect(waits[i]).toBeGreaterThanOrEqual(low!);
      expect(waits[i]).toBeLessThanOrEqual(high!);
    });
    expect(backoffMs(3, 1_000, () => 0.5)).toBe(6_000);
  });

  it('gives up after the configured retries with a plain message, details and the cause', async () => {
    const { policy } = setup({ retries: 2 });
    const { fn, calls } = api([
      [RETRY, 503],
      [RETRY, 503],
      [RETRY, 503],
      [RETRY, 503],
    ]);
    const error = await failureOf(policy.run('companies.read', fn));
    expect(calls.count).toBe(3);
    expect(error.code).toBe('x_server_error');
    expect(error.kind).toBe('transient');
    expect(error.message).toBe(
      'crm companies.read failed (HTTP 503): the server had trouble; gave up after 3 attempts',
    );
    expect(error.details).toMatchObject({ status: 503, call: 'companies.read', attempts: 3 });
    expect(error.cause).toBeInstanceOf(FakeFailure);
    expect(policy.stats().failures).toBe(1);
  });

  it('fails at once on a non-retryable failure, without copying the SDK message', async () => {
    const { policy, waits } = setup();
    const { fn, calls } = api([[FAIL, 400]]);
    const error = await failureOf(policy.run('deals.upsert', fn));
    expect(calls.count).toBe(1);
    expect(waits).toEqual([]);
    expect(error).toMatchObject({
      code: 'x_validation',
      kind: 'data',
      details: { status: 400, category: 'VALIDATION_ERROR', call: 'deals.upsert' },
    });
    expect(error.message).toBe(
      'crm deals.upsert failed (HTTP 400, VALIDATION_ERROR): the request was invalid: name is required',
    );
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('do-not-copy');
  });

  it('stops the run at once on stop_run, with no retry', async () => {
    const { policy, waits } = setup();
    const { fn, calls } = api([
      [STOP, 429],
      [STOP, 429],
    ]);
    const error = await failureOf(policy.run('companies.read', fn));
    expect(calls.count).toBe(1);
    expect(waits).toEqual([]);
    expect(error).toMatchObject({ code: 'x_daily_limit', kind: 'quota' });
  });

  it('refreshes the credentials once and retries when the token expired', async () => {
    const refreshAuth = vi.fn(async () => {});
    const { policy } = setup({ refreshAuth });
    const { fn, calls } = api([[EXPIRED, 401]]);
    await expect(policy.run('owners.read', fn)).resolves.toBe('ok');
    expect(refreshAuth).toHaveBeenCalledTimes(1);
    expect(calls.count).toBe(2);
  });

  it('fails as auth when the token expires again right after a refresh', async () => {
    const refreshAuth = vi.fn(async () => {});
    const { policy } = setup({ refreshAuth });
    const { fn, calls } = api([
      [EXPIRED, 401],
      [EXPIRED, 401],
    ]);
    const error = await failureOf(policy.run('owners.read', fn));
    expect(refreshAuth).toHaveBeenCalledTimes(1);
    expect(calls.count).toBe(2);
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('already refreshed once');
  });

  it('fails as auth when the token expired and nothing can refresh it', async () => {
    const { policy } = setup();
    const { fn, calls } = api([[EXPIRED, 401]]);
    const error = await failureOf(policy.run('owners.read', fn));
    expect(calls.count).toBe(1);
    expect(error).toMatchObject({ kind: 'auth', code: 'x_token_expired' });
    expect(error.message).toContain('no way to refresh the credentials is configured');
  });

  it('reports a refresher that fails as an auth error', async () => {
    const { policy } = setup({ refreshAuth: async () => Promise.reject(new Error('invalid_grant')) });
    const { fn } = api([[EXPIRED, 401]]);
    const error = await failureOf(policy.run('owners.read', fn));
    expect(error).toMatchObject({ kind: 'auth', code: 'crm_auth_refresh_failed' });
  });

  it('sends every attempt through the limiter, and through the extra limiter when given', async () => {
    const limiter = new Bottleneck({ maxConcurrent: 1 });
    const extra = new Bottleneck({ maxConcurrent: 1 });
    const portal = vi.spyOn(limiter, 'schedule');
    const search = vi.spyOn(extra, 'schedule');
    const { policy } = setup({ limiter });
    await policy.run('companies.read', api([[RETRY, 503]]).fn);
    await policy.run('companies.search', api([]).fn, { limiter: extra });
    expect(portal).toHaveBeenCalledTimes(3);
    expect(search).toHaveBeenCalledTimes(1);
  });

  it('never runs more calls at once than the limiter allows', async () => {
    const { policy } = setup({ limiter: new Bottleneck({ maxConcurrent: 2 }) });
    let running = 0;
    let peak = 0;
    const fn = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 6 }, () => policy.run('companies.read', fn)));
    expect(peak).toBe(2);
    expect(policy.stats().total).toBe(6);
  });

  it('logs each retry at warn with numbers as fields', async () => {
    const { policy, logs } = setup();
    await policy.run('companies.read', api([[{ ...RETRY, waitMs: 1_500 }, 502]]).fn);
    const warn = logs().filter((l) => l['level'] === 40);
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatchObject({
      kind: 'companies.read',
      attempt: 1,
      waitMs: 1_500,
      status: 502,
      code: 'x_server_error',
    });
  });

  it('stops retrying when the signal is aborted', async () => {
    const controller = new AbortController();
    const { policy } = setup({
      signal: controller.signal,
      sleep: async () => {
        controller.abort(new Error('shutting down'));
      },
    });
    const { fn, calls } = api([
      [RETRY, 503],
      [RETRY, 503],
    ]);
    await expect(policy.run('companies.read', fn)).rejects.toThrow('shutting down');
    expect(calls.count).toBe(1);
  });
});

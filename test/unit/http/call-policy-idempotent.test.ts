import Bottleneck from 'bottleneck';
import { describe, expect, it } from 'vitest';
import { createCallPolicy, isAmbiguousFailure, type CallPolicy } from '../../../src/http/call-policy.ts';
import { classifyHttpDefault } from '../../../src/http/classify-default.ts';
import type { HttpFailureInfo } from '../../../src/http/classify.ts';
import { isSyncError, type SyncError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/logger.ts';

/** What the fake API throws: a status, or a network code as Node would put on a socket error. */
class ApiFailure extends Error {
  readonly failure: HttpFailureInfo;
  constructor(failure: Omit<HttpFailureInfo, 'headers'>) {
    super('api failure');
    this.failure = { headers: {}, ...failure };
  }
}

function policy(): CallPolicy {
  return createCallPolicy({
    system: 'x',
    limiter: new Bottleneck(),
    classify: (failure) => classifyHttpDefault(failure, { system: 'x', label: 'X' }),
    toFailure: (error) => (error instanceof ApiFailure ? error.failure : { headers: {} }),
    log: silentLogger(),
    retries: 3,
    sleep: async () => undefined,
  });
}

/** Runs a call that fails once with `failure`, then succeeds; returns how many times it was sent. */
async function failOnce(
  failure: Omit<HttpFailureInfo, 'headers'>,
  idempotent: boolean,
): Promise<{ sent: number; error?: SyncError }> {
  let sent = 0;
  try {
    await policy().run(
      'notes.create',
      async () => {
        sent += 1;
        if (sent === 1) throw new ApiFailure(failure);
        return 'ok';
      },
      { idempotent },
    );
    return { sent };
  } catch (error) {
    if (!isSyncError(error)) throw error;
    return { sent, error };
  }
}

describe('a call that is not idempotent (a create a resend could save twice)', () => {
  it.each([
    ['a 500', { status: 500 }],
    ['a 502 from a gateway', { status: 502 }],
    ['a 504 from a gateway', { status: 504 }],
    ['a reset connection', { networkCode: 'ECONNRESET' }],
    ['a socket hang up', { networkCode: 'NETWORK_ERROR' }],
    ['a timeout waiting for the answer', { networkCode: 'UND_ERR_HEADERS_TIMEOUT' }],
  ] as const)('is not resent after %s: it throws, marked ambiguous', async (_label, failure) => {
    const { sent, error } = await failOnce(failure, false);
    expect(sent).toBe(1);
    expect(error?.kind).toBe('transient');
    expect(error?.details).toMatchObject({ ambiguous: true, call: 'notes.create', attempts: 1 });
    expect(error?.message).toContain('may have been processed');
  });

  it.each([
    ['a 429', { status: 429 }],
    ['a 503', { status: 503 }],
    ['a refused connection', { networkCode: 'ECONNREFUSED' }],
    ['a DNS failure that may pass', { networkCode: 'EAI_AGAIN' }],
    ['a connect timeout', { networkCode: 'UND_ERR_CONNECT_TIMEOUT' }],
  ] as const)('is resent after %s, which proves nothing was processed', async (_label, failure) => {
    const { sent, error } = await failOnce(failure, false);
    expect(error).toBeUndefined();
    expect(sent).toBe(2);
  });

  it('a 400 fails as before, not marked ambiguous', async () => {
    const { sent, error } = await failOnce({ status: 400 }, false);
    expect(sent).toBe(1);
    expect(error?.kind).toBe('data');
    expect(error?.details['ambiguous']).toBeUndefined();
  });
});

describe('an idempotent call (the default)', () => {
  it.each([
    ['a 502', { status: 502 }],
    ['a reset connection', { networkCode: 'ECONNRESET' }],
  ] as const)('is resent after %s as before', async (_label, failure) => {
    const { sent, error } = await failOnce(failure, true);
    expect(error).toBeUndefined();
    expect(sent).toBe(2);
  });
});

describe('isAmbiguousFailure', () => {
  it('names the failures after which the server may have processed the request', () => {
    expect(isAmbiguousFailure({ headers: {}, status: 500 })).toBe(true);
    expect(isAmbiguousFailure({ headers: {}, status: 503 })).toBe(false);
    expect(isAmbiguousFailure({ headers: {}, status: 408 })).toBe(false);
    expect(isAmbiguousFailure({ headers: {}, networkCode: 'EPIPE' })).toBe(true);
    expect(isAmbiguousFailure({ headers: {}, networkCode: 'ENOTFOUND' })).toBe(false);
    expect(isAmbiguousFailure({ headers: {} })).toBe(false);
  });
});

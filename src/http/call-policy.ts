import { setTimeout as delay } from 'node:timers/promises';
import type Bottleneck from 'bottleneck';
import pRetry, { AbortError } from 'p-retry';
import { SyncError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Classifier, HttpFailureInfo, Resolution } from './classify.ts';

export interface CallPolicyOptions {
  /** Names the system in messages and error details: `hubspot`. */
  readonly system: string;
  /** The one limiter of the org or portal; every attempt goes through it. */
  readonly limiter: Bottleneck;
  readonly classify: Classifier;
  /** Turns whatever the SDK threw into status, headers and body, without headers of the request. */
  readonly toFailure: (error: unknown) => HttpFailureInfo;
  /** Retries after the first attempt. Default 6. */
  readonly retries?: number;
  /** First backoff step when the API gives no wait. Default 1,000 ms. */
  readonly minTimeoutMs?: number;
  /** Ceiling for any wait, backoff or Retry-After. Default 60,000 ms. */
  readonly maxTimeoutMs?: number;
  readonly log: Logger;
  /** Gets fresh credentials once per call when the classifier says the token expired. */
  readonly refreshAuth?: () => Promise<void>;
  /** Tests inject a sleep that records the wait instead of taking it. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly signal?: AbortSignal;
}

export interface CallStats {
  /** API calls sent, by kind label (`companies.read`); every attempt counts. */
  readonly calls: Readonly<Record<string, number>>;
  readonly total: number;
  /** Attempts that were followed by another one. */
  readonly retries: number;
  /** Responses with HTTP 429. */
  readonly rateLimited: number;
  /** Calls that ended in an error, after any retries. */
  readonly failures: number;
}

export interface RunOptions {
  /** A second limiter the attempt passes through first, e.g. a search-only bucket. */
  readonly limiter?: Bottleneck;
  /**
   * False for a call that a resend could apply twice (a create with no key the CRM dedupes on). After an
   * ambiguous failure (see `isAmbiguousFailure`) such a call is not resent: it throws a SyncError with
   * `details.ambiguous` set, and the caller looks up what the CRM saved. Failures that prove the request was
   * not processed (429, 503, connection refused, DNS, an expired token) are retried as for any call.
   * Default true.
   */
  readonly idempotent?: boolean;
}

export interface CallPolicy {
  run<T>(kind: string, fn: () => Promise<T>, options?: RunOptions): Promise<T>;
  stats(): CallStats;
}

interface Counters {
  readonly calls: Map<string, number>;
  total: number;
  retries: number;
  rateLimited: number;
  failures: number;
}

/** What one failed attempt knows, to build the error and the log line. */
interface AttemptFailure {
  readonly kind: string;
  readonly attempt: number;
  readonly failure: HttpFailureInfo;
  readonly resolution: Resolution;
  readonly cause: unknown;
}

const DEFAULT_RETRIES = 6;
const DEFAULT_MIN_TIMEOUT_MS = 1_000;
const DEFAULT_MAX_TIMEOUT_MS = 60_000;

/** The resolved options and live counters one policy shares between its calls. */
interface Policy {
  readonly options: CallPolicyOptions;
  readonly retries: number;
  readonly minTimeoutMs: number;
  readonly maxTimeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly counters: Counters;
}

/**
 * The one retry layer (DESIGN.md "Limits and retries"): each attempt goes through the limiter, a failure is
 * classified by a pure function, and the resolution decides: wait and retry, refresh credentials once, fail,
 * or stop the run. p-retry drives the loop; we do the waiting ourselves (its own delay is off) so the wait
 * is the API's when it names one and tests can inject the sleep.
 */
export function createCallPolicy(options: CallPolicyOptions): CallPolicy {
  const retries = options.retries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(retries) || retries < 0)
    throw new RangeError(`retries must be a non-negative integer, got ${retries}`);
  const policy: Policy = {
    options,
    retries,
    minTimeoutMs: options.minTimeoutMs ?? DEFAULT_MIN_TIMEOUT_MS,
    maxTimeoutMs: options.maxTimeoutMs ?? DEFAULT_MAX_TIMEOUT_MS,
    sleep: options.sleep ?? ((ms: number) => delay(ms, undefined, options.signal ? { signal: options.signal } : {})),
    counters: { calls: new Map(), total: 0, retries: 0, rateLimited: 0, failures: 0 },
  };
  const { counters } = policy;
  return {
    run: (kind, fn, runOptions) =>
      run(policy, { kind, fn, extra: runOptions?.limiter, idempotent: runOptions?.idempotent !== false }),
    stats: () => ({
      calls: Object.fromEntries(counters.calls),
      total: counters.total,
      retries: counters.retries,
      rateLimited: counters.rateLimited,
      failures: counters.failures,
    }),
  };
}

interface Call<T> {
  readonly kind: string;
  readonly fn: () => Promise<T>;
  readonly extra: Bottleneck | undefined;
  readonly idempotent: boolean;
}

async function run<T>(policy: Policy, call: Call<T>): Promise<T> {
  const { options, counters } = policy;
  const state = { refreshed: false, idempotent: call.idempotent };
  const attemptOnce = async (attempt: number): Promise<T> => {
    try {
      return await send(policy, call);
    } catch (error) {
      throw await settle(policy, describeFailure(policy, { kind: call.kind, attempt, error }), state);
    }
  };
  try {
    // minTimeout 0: p-retry schedules no timer of its own; `settle` has already waited.
    return await pRetry(attemptOnce, {
      retries: policy.retries,
      minTimeout: 0,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    counters.failures += 1;
    throw error;
  }
}

function send<T>(policy: Policy, call: Call<T>): Promise<T> {
  const { counters } = policy;
  const viaPortal = () =>
    policy.options.limiter.schedule(() => {
      counters.calls.set(call.kind, (counters.calls.get(call.kind) ?? 0) + 1);
      counters.total += 1;
      return call.fn();
    });
  return call.extra ? call.extra.schedule(viaPortal) : viaPortal();
}

function describeFailure(
  policy: Policy,
  thrown: { readonly kind: string; readonly attempt: number; readonly error: unknown },
): AttemptFailure {
  const failure = policy.options.toFailure(thrown.error);
  if (failure.status === 429) policy.counters.rateLimited += 1;
  return {
    kind: thrown.kind,
    attempt: thrown.attempt,
    failure,
    resolution: policy.options.classify(failure),
    cause: thrown.error,
  };
}

/** What one call's attempts share: whether credentials were refreshed, and whether a resend is safe. */
interface CallState {
  refreshed: boolean;
  readonly idempotent: boolean;
}

/**
 * Network failures after which the server may have processed the request: the connection broke or timed
 * out once it was open, so the request (or part of it) was sent. Refused connections, DNS failures,
 * unreachable networks and connect timeouts never reached the server.
 */
const AMBIGUOUS_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'NETWORK_ERROR',
]);

/**
 * A failure after which the server may have processed the request: a 5xx other than 503 (a 500 may come
 * after the save; a 502 or 504 is a gateway that got no timely answer from the server behind it, RFC 9110
 * §15.6.3, §15.6.5), or a connection that broke after it was open. A 503 (RFC 9110 §15.6.4, the server is
 * unable to handle the request), a 429, a 408 and every 4xx mean the request was not processed.
 */
export function isAmbiguousFailure(failure: HttpFailureInfo): boolean {
  const { status, networkCode } = failure;
  if (status !== undefined) return status >= 500 && status !== 503;
  return networkCode !== undefined && AMBIGUOUS_NETWORK_CODES.has(networkCode);
}

/** Decides what follows a failed attempt; returns the error to throw (an AbortError ends the loop). */
async function settle(policy: Policy, failed: AttemptFailure, state: CallState): Promise<Error> {
  const { system } = policy.options;
  const { resolution, attempt } = failed;
  const last = attempt > policy.retries;
  if (!state.idempotent && resolution.action !== 'stop_run' && isAmbiguousFailure(failed.failure))
    return new AbortError(toSyncError(system, failed, { ambiguous: true }));
  if (resolution.action === 'fail' || resolution.action === 'stop_run')
    return new AbortError(toSyncError(system, failed));
  if (resolution.action === 'refresh_auth') return refreshThenRetry(policy, failed, state);
  if (last) return new AbortError(toSyncError(system, failed, { exhausted: true }));
  const waitMs = Math.min(resolution.waitMs ?? backoffMs(attempt, policy.minTimeoutMs), policy.maxTimeoutMs);
  noteRetry(policy, failed, waitMs);
  await policy.sleep(waitMs);
  return toSyncError(system, failed);
}

/** An expired token: refresh once per call and retry at once; a second expiry, or no refresher, is an auth failure. */
async function refreshThenRetry(policy: Policy, failed: AttemptFailure, state: CallState): Promise<Error> {
  const { system, refreshAuth } = policy.options;
  const why = !refreshAuth
    ? 'no way to refresh the credentials is configured'
    : state.refreshed
      ? 'they were already refreshed once for this call'
      : failed.attempt > policy.retries
        ? 'no retries are left'
        : undefined;
  if (!refreshAuth || why !== undefined) {
    return new AbortError(
      toSyncError(system, {
        ...failed,
        resolution: { ...failed.resolution, kind: 'auth', reason: `${failed.resolution.reason}; ${why}` },
      }),
    );
  }
  state.refreshed = true;
  try {
    await refreshAuth();
  } catch (error) {
    return new AbortError(
      new SyncError(`${system} ${failed.kind}: refreshing the credentials failed`, {
        code: `${system}_auth_refresh_failed`,
        kind: 'auth',
        details: { system, call: failed.kind },
        cause: error,
      }),
    );
  }
  noteRetry(policy, failed, 0);
  return toSyncError(system, failed);
}

function noteRetry(policy: Policy, failed: AttemptFailure, waitMs: number): void {
  policy.counters.retries += 1;
  const { status, networkCode } = failed.failure;
  policy.options.log.warn(
    {
      kind: failed.kind,
      attempt: failed.attempt,
      waitMs,
      status,
      networkCode,
      code: failed.resolution.code,
      retriesLeft: policy.retries - failed.attempt,
    },
    `${failed.kind}: ${failed.resolution.reason}; retrying`,
  );
}

/** Exponential backoff with full-range jitter, as p-retry computes it with `randomize` (factor 2, x1..2). */
export function backoffMs(attempt: number, minTimeoutMs: number, random: () => number = Math.random): number {
  return Math.round((random() + 1) * minTimeoutMs * 2 ** (attempt - 1));
}

/**
 * The error callers see. Built from the failure's status, category and the classifier's reason, never from
 * the SDK's own message, which embeds response headers and bodies. An ambiguous failure of a call that is
 * not idempotent is `transient` with `details.ambiguous`: the caller finds out what the server saved.
 */
function toSyncError(
  system: string,
  failed: AttemptFailure,
  options: { readonly exhausted?: boolean; readonly ambiguous?: boolean } = {},
): SyncError {
  const { failure, resolution, kind, attempt } = failed;
  const what = [
    failure.status === undefined ? undefined : `HTTP ${failure.status}`,
    resolution.category ?? failure.networkCode,
  ]
    .filter(Boolean)
    .join(', ');
  const gaveUp = options.exhausted ? `; gave up after ${attempt} attempts` : '';
  const unsure = options.ambiguous === true ? '; the request may have been processed, so it is not resent blindly' : '';
  const details: Record<string, unknown> = { system, call: kind, attempts: attempt };
  if (failure.status !== undefined) details['status'] = failure.status;
  if (resolution.category !== undefined) details['category'] = resolution.category;
  if (options.ambiguous === true) details['ambiguous'] = true;
  const message = `${system} ${kind} failed${what ? ` (${what})` : ''}: ${resolution.reason}${gaveUp}${unsure}`;
  return new SyncError(message, {
    code: resolution.code,
    kind: options.ambiguous === true ? 'transient' : resolution.kind,
    details,
    cause: failed.cause,
  });
}

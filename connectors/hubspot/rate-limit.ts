import Bottleneck from 'bottleneck';
import { numericHeader } from '../../src/http/classify.ts';
import type { Logger } from '../../src/logger.ts';

/**
 * Client-side limits for one HubSpot portal, from
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines:
 * a rolling ten-second burst limit per app, a daily limit per account, and search's own bucket of five
 * requests per second. The response headers say where the portal stands; this module listens to them.
 */

export interface PortalRateLimit {
  readonly perTenSeconds: number;
  readonly searchPerSecond: number;
  readonly maxConcurrent: number;
}

export interface RateLimitSnapshot {
  /** X-HubSpot-RateLimit-Daily-Remaining from the latest response that carried it (private apps only). */
  readonly dailyRemaining?: number;
  /** X-HubSpot-RateLimit-Remaining: calls left in the current ten-second window. */
  readonly intervalRemaining?: number;
}

export interface PortalLimiter {
  /** Every call of the portal: the ten-second reservoir and the concurrency cap. */
  readonly limiter: Bottleneck;
  /** Search calls pass through this bucket first, then through `limiter`. */
  readonly search: Bottleneck;
  /** Reads the X-HubSpot-RateLimit-* headers of a response, success or error. */
  observe(headers: Readonly<Record<string, string | undefined>>): void;
  /** Resolves once the portal may send again; called inside the limiter right before each request. */
  gate(): Promise<void>;
  snapshot(): RateLimitSnapshot;
  /** Lets running and queued requests finish, then releases the limiters' timers. */
  stop(): Promise<void>;
}

export interface CreatePortalLimiterOptions {
  readonly rateLimit: PortalRateLimit;
  readonly log: Logger;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

const TEN_SECONDS_MS = 10_000;
const ONE_SECOND_MS = 1_000;

export function createPortalLimiter(options: CreatePortalLimiterOptions): PortalLimiter {
  const { rateLimit, log, sleep, now } = options;
  const limiter = new Bottleneck({
    maxConcurrent: rateLimit.maxConcurrent,
    reservoir: rateLimit.perTenSeconds,
    reservoirRefreshAmount: rateLimit.perTenSeconds,
    reservoirRefreshInterval: TEN_SECONDS_MS,
    // HubSpot's window is rolling while the reservoir refills at fixed instants: spacing the starts keeps
    // a full reservoir at the end of one refill period and another at the start of the next from landing
    // in the same ten seconds.
    minTime: Math.floor(TEN_SECONDS_MS / rateLimit.perTenSeconds),
  });
  const search = new Bottleneck({
    maxConcurrent: Math.min(rateLimit.maxConcurrent, rateLimit.searchPerSecond),
    reservoir: rateLimit.searchPerSecond,
    reservoirRefreshAmount: rateLimit.searchPerSecond,
    reservoirRefreshInterval: ONE_SECOND_MS,
    minTime: Math.floor(ONE_SECOND_MS / rateLimit.searchPerSecond),
  });
  let state: RateLimitSnapshot = {};
  let holdUntil = 0;
  let stopping: Promise<void> | undefined;

  const observe = (headers: Readonly<Record<string, string | undefined>>): void => {
    const remaining = numericHeader(headers, 'x-hubspot-ratelimit-remaining');
    const daily = numericHeader(headers, 'x-hubspot-ratelimit-daily-remaining');
    if (remaining !== undefined) state = { ...state, intervalRemaining: remaining };
    if (daily !== undefined) state = { ...state, dailyRemaining: daily };
    if (remaining !== 0) return;
    // The window is rolling; holding for a whole interval is the one wait certain to free a slot.
    const intervalMs = numericHeader(headers, 'x-hubspot-ratelimit-interval-milliseconds') ?? TEN_SECONDS_MS;
    const until = now() + intervalMs;
    if (until <= holdUntil) return;
    holdUntil = until;
    log.info(
      { intervalRemaining: 0, waitMs: intervalMs },
      'HubSpot ten-second allowance used up; holding new requests until the window passes',
    );
  };

  const gate = async (): Promise<void> => {
    const target = holdUntil;
    const waitMs = target - now();
    if (waitMs <= 0) return;
    await sleep(waitMs);
    if (holdUntil === target) holdUntil = 0;
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await search.stop({ dropWaitingJobs: false });
      await limiter.stop({ dropWaitingJobs: false });
      await Promise.all([search.disconnect(), limiter.disconnect()]);
    })();
    return stopping;
  };

  return { limiter, search, observe, gate, snapshot: () => state, stop };
}

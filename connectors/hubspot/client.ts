import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from '@hubspot/api-client';
import type DecoratorModule from '@hubspot/api-client/lib/src/services/ApiDecoratorService.js';
import { createCallPolicy, type CallStats } from '../../src/http/call-policy.ts';
import { scrubReason } from '../../src/http/classify.ts';
import { createReachability, hostOf } from '../../src/http/classify-default.ts';
import type { Logger } from '../../src/logger.ts';
import { classifyHubspot, toHubspotFailure } from './classify.ts';
import { createPortalLimiter, type PortalRateLimit, type RateLimitSnapshot } from './rate-limit.ts';

export interface HubspotClientOptions {
  readonly accessToken: string;
  /** Leave unset for https://api.hubapi.com; no trailing slash (paths are appended as-is). */
  readonly basePath?: string;
  readonly rateLimit: PortalRateLimit;
  readonly log: Logger;
  /** Retries after the first attempt. Default 6. */
  readonly retries?: number;
  /** Tests inject a sleep that records waits instead of taking them. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Clock for the rate-limit hold; tests advance it from their `sleep`. */
  readonly now?: () => number;
  /** OAuth apps: returns a fresh access token when HubSpot reports the current one expired. */
  readonly refreshAccessToken?: () => Promise<string>;
}

export type HubspotClientStats = CallStats & RateLimitSnapshot;

/**
 * Calls that create records a resend could save twice: notes have no unique property to create them on, so
 * after an ambiguous failure (a 5xx, a dropped connection) the call is not resent and the caller looks the
 * notes up by their reference. Deals are upserted on our unique key and updates go by id: resending those
 * cannot double anything.
 */
const NOT_IDEMPOTENT: ReadonlySet<string> = new Set(['notes.create']);

export interface HubspotClient {
  /** The SDK itself. Call it through `call`/`search`: used directly it bypasses the limiter and retries. */
  readonly sdk: Client;
  call<T>(kind: string, fn: (sdk: Client) => Promise<T>): Promise<T>;
  /** Like `call`, and also through search's own bucket of five requests per second. */
  search<T>(kind: string, fn: (sdk: Client) => Promise<T>): Promise<T>;
  stats(): HubspotClientStats;
  /** Lets queued calls finish, then releases the limiters' timers. */
  stop(): Promise<void>;
}

// Loaded with require so it is the very module instance the SDK's own require() uses, whatever the
// ESM/CJS interop of the runner.
const decorators = (
  createRequire(import.meta.url)(
    '@hubspot/api-client/lib/src/services/ApiDecoratorService.js',
  ) as typeof DecoratorModule
).default.getInstance();

/**
 * The SDK keeps its retry and limiter decorators in a process-wide singleton (`ApiDecoratorService`): every
 * `new Client()` and `setAccessToken()` replaces them, and each API object is decorated with whatever is
 * there when it is first built, lazily, on first property access. So we build our client and its API objects
 * with no decorators, and put back whatever another client had set.
 */
function undecorated<T>(fn: () => T): T {
  const saved = (decorators as unknown as { decorators: Parameters<typeof decorators.setDecorators>[0] }).decorators;
  decorators.setDecorators([]);
  try {
    return fn();
  } finally {
    decorators.setDecorators(saved);
  }
}

export function createHubspotClient(options: HubspotClientOptions): HubspotClient {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const portal = createPortalLimiter({
    rateLimit: options.rateLimit,
    log: options.log,
    sleep,
    now: options.now ?? Date.now,
  });
  const secrets = new Set([options.accessToken]);
  // A portal URL that never answered fails its first call at once instead of after the whole backoff.
  const reach = createReachability({
    classify: (failure) => scrubReason(classifyHubspot(failure), secrets),
    host: hostOf(options.basePath ?? 'https://api.hubapi.com'),
    system: 'hubspot',
    label: 'HubSpot',
  });
  const observe = (headers: Readonly<Record<string, string>>): void => {
    reach.answered();
    portal.observe(headers);
  };
  const sdk = createSdk({ accessToken: options.accessToken, basePath: options.basePath, observe });
  const refresh = options.refreshAccessToken;
  const policy = createCallPolicy({
    system: 'hubspot',
    limiter: portal.limiter,
    classify: reach.classify,
    toFailure: toHubspotFailure,
    log: options.log,
    sleep,
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(refresh
      ? {
          refreshAuth: async () => {
            const token = await refresh();
            secrets.add(token);
            undecorated(() => sdk.setAccessToken(token));
          },
        }
      : {}),
  });
  const attempt =
    <T>(fn: (client: Client) => Promise<T>) =>
    async (): Promise<T> => {
      await portal.gate();
      return sendOnce(sdk, fn);
    };

  return {
    sdk,
    call: (kind, fn) => policy.run(kind, attempt(fn), { idempotent: !NOT_IDEMPOTENT.has(kind) }),
    search: (kind, fn) => policy.run(kind, attempt(fn), { limiter: portal.search }),
    stats: () => ({ ...policy.stats(), ...portal.snapshot() }),
    stop: () => portal.stop(),
  };
}

function createSdk(options: {
  readonly accessToken: string;
  readonly basePath: string | undefined;
  readonly observe: (headers: Readonly<Record<string, string>>) => void;
}): Client {
  return undecorated(
    () =>
      new Client({
        accessToken: options.accessToken,
        ...(options.basePath ? { basePath: options.basePath } : {}),
        // The SDK adds its RetryDecorator only for a value above 0 (client.js getDecorators), and then counts
        // total attempts, so 1 would also mean one attempt; 0 leaves the decorator out. Our call policy is
        // the one retry layer. No limiterOptions: the portal limiter is the one limiter.
        numberOfApiCallRetries: 0,
        middleware: [
          { pre: (context: unknown) => context, post: (context: unknown) => observeResponse(context, options.observe) },
        ],
      }),
  );
}

/** One request through the SDK, bare of decorators, with the response it got remembered for errors. */
async function sendOnce<T>(sdk: Client, fn: (client: Client) => Promise<T>): Promise<T> {
  const seen: SeenResponse = {};
  try {
    // The SDK builds API objects synchronously inside `fn`, before its first await, so they are built bare.
    return await responses.run(seen, () => undecorated(() => fn(sdk)));
  } catch (error) {
    throw withResponse(error, seen);
  }
}

interface SeenResponse {
  status?: number;
  headers?: Record<string, string>;
}

/** The response of the attempt in progress, so an SDK failure without a status can be given one. */
const responses = new AsyncLocalStorage<SeenResponse>();

/** SDK middleware `post`: sees every response, errors included, before the SDK parses it. */
function observeResponse(context: unknown, observe: (headers: Readonly<Record<string, string>>) => void): unknown {
  const { httpStatusCode, headers } = (context ?? {}) as { httpStatusCode?: unknown; headers?: unknown };
  if (typeof headers !== 'object' || headers === null) return context;
  const strings = Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  observe(strings);
  const seen = responses.getStore();
  if (seen && typeof httpStatusCode === 'number') Object.assign(seen, { status: httpStatusCode, headers: strings });
  return context;
}

/**
 * The SDK throws a bare SyntaxError or "No Content-Type defined" when an error response's body is not the
 * JSON it announced (an edge proxy's 502, an empty 503), losing the status. Give it back, in the shape of
 * the SDK's ApiException ({code, body, headers}) so classification sees a 5xx, not an unknown error.
 */
export class UnreadableResponseError extends Error {
  readonly code: number;
  readonly body: undefined = undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, headers: Readonly<Record<string, string>>, cause: unknown) {
    super('the response body could not be read', { cause });
    this.name = 'UnreadableResponseError';
    this.code = status;
    this.headers = headers;
  }
}

function withResponse(error: unknown, seen: SeenResponse): unknown {
  const isApiException =
    error instanceof Error && typeof (error as { code?: unknown }).code === 'number' && 'body' in error;
  if (isApiException || seen.status === undefined || (seen.status >= 200 && seen.status < 300)) return error;
  return new UnreadableResponseError(seen.status, seen.headers ?? {}, error);
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { sign } from 'node:crypto';
import Bottleneck from 'bottleneck';
import { Connection } from 'jsforce';
import { SyncError } from '../../src/errors.ts';
import { createCallPolicy, type CallStats } from '../../src/http/call-policy.ts';
import { scrubReason } from '../../src/http/classify.ts';
import { createReachability, hostOf } from '../../src/http/classify-default.ts';
import type { Logger } from '../../src/logger.ts';
import { classifySalesforce, toSalesforceFailure, withCallContext } from './classify.ts';

/**
 * How the worker signs in. Both flows suit a server without a person: neither returns a refresh token,
 * so an expired session is renewed by running the grant again (jsforce's `refreshFn`).
 * - client credentials: https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_client_credentials_flow.htm
 *   (only against the org's My Domain URL, never login.salesforce.com)
 * - JWT bearer: https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
export type SalesforceAuth =
  | {
      readonly flow: 'client_credentials';
      readonly loginUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
    }
  | {
      readonly flow: 'jwt';
      readonly loginUrl: string;
      readonly clientId: string;
      readonly username: string;
      readonly privateKey: string;
      readonly audience?: string;
    };

export interface SalesforceClientOptions {
  readonly auth: SalesforceAuth;
  /** REST API version, set explicitly: jsforce's default (50.0) predates collections upsert. */
  readonly apiVersion: string;
  readonly log: Logger;
  /** Requests in flight at once for this org. Salesforce allows 25 long-running ones per org. */
  readonly maxConcurrent?: number;
  /** Stop before the run would use more than this share of the org's daily allocation (0..1). */
  readonly maxDailyShare?: number;
  readonly retries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export interface ApiUsage {
  readonly used: number;
  readonly limit: number;
}

export interface SalesforceClient {
  readonly conn: Connection;
  /** Signs in; every call does it first when needed. */
  connect(): Promise<void>;
  call<T>(kind: string, fn: (conn: Connection) => Promise<T>): Promise<T>;
  stats(): CallStats & { readonly apiUsage?: ApiUsage };
  stop(): Promise<void>;
}

/** JWT lifetime: Salesforce accepts an `exp` up to 3 minutes ahead. */
const JWT_SECONDS = 180;

/**
 * Calls that create records a resend could save twice: Salesforce may have saved them before a 500 or 502
 * answered, or before the connection dropped, so the call policy does not resend those after an ambiguous
 * failure and the caller looks the notes up by their reference. Every other write is
 * an update by Id or an upsert on an External ID (or a Bulk API job of those), which a resend cannot double.
 */
const NOT_IDEMPOTENT: ReadonlySet<string> = new Set(['notes.create', 'notes.link']);

/** The last error response one attempt of a call received; jsforce keeps neither its status nor headers. */
interface Seen {
  last?: { readonly status: number; readonly headers: Readonly<Record<string, string | undefined>> } | undefined;
}

/**
 * Watches the connection's transport so an attempt knows the status and headers of the error response its
 * jsforce error came from (the 429's Retry-After, the 502 behind a JSON body). Each attempt runs in its own
 * AsyncLocalStorage context, so concurrent calls never see each other's responses.
 */
function watchResponses(conn: Connection, seen: AsyncLocalStorage<Seen>): void {
  const transport = conn._transport;
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (request, options) => {
    const store = seen.getStore();
    if (store) store.last = undefined;
    const response = send(request, options);
    if (store)
      response.then(
        (res) => {
          store.last = res.statusCode >= 400 ? { status: res.statusCode, headers: lowerCased(res.headers) } : undefined;
        },
        () => undefined,
      );
    return response;
  };
}

function lowerCased(headers: Readonly<Record<string, unknown>> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers ?? {}))
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : undefined;
  return out;
}

export function createSalesforceClient(options: SalesforceClientOptions): SalesforceClient {
  const { auth } = options;
  const now = options.now ?? Date.now;
  const secrets = new Set<string>(auth.flow === 'jwt' ? [auth.privateKey] : [auth.clientSecret]);
  const limiter = new Bottleneck({ maxConcurrent: options.maxConcurrent ?? 5 });
  const grant = async (conn: Connection): Promise<void> => {
    const params =
      auth.flow === 'jwt'
        ? { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwtAssertion(auth, now()) }
        : { grant_type: 'client_credentials' };
    await conn.authorize(params);
    if (conn.accessToken) secrets.add(conn.accessToken);
  };
  const conn = new Connection({
    loginUrl: auth.loginUrl,
    version: options.apiVersion,
    oauth2: {
      loginUrl: auth.loginUrl,
      clientId: auth.clientId,
      ...(auth.flow === 'client_credentials' ? { clientSecret: auth.clientSecret } : {}),
      redirectUri: `${auth.loginUrl}/services/oauth2/success`,
    },
    // jsforce calls this on a 401 and replays the request with the new token (session-refresh-delegate).
    refreshFn: (c, callback) => {
      grant(c).then(
        () => callback(null, c.accessToken ?? undefined),
        (error: unknown) => callback(error instanceof Error ? error : new Error('session refresh failed')),
      );
    },
  });
  const seen = new AsyncLocalStorage<Seen>();
  watchResponses(conn, seen);
  /** One attempt, its error carrying the status, headers and idempotency the classifier needs. */
  const attempt = async <T>(kind: string, fn: (conn: Connection) => Promise<T>): Promise<T> => {
    const store: Seen = {};
    try {
      return await seen.run(store, () => fn(conn));
    } catch (error) {
      throw withCallContext(error, { ...store.last, idempotent: !NOT_IDEMPOTENT.has(kind) });
    }
  };
  let connected: Promise<void> | undefined;
  // Through the call policy, so a refused grant is classified (an auth error, exit 3) and a dropped
  // connection to the token endpoint is retried like any other call.
  const connect = (): Promise<void> => {
    connected ??= policy
      .run('auth.token', () => grant(conn).then(reach.answered))
      .catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
    return connected;
  };
  // A login URL that never answered fails its first call (the token request) at once, not after the backoff.
  const reach = createReachability({
    classify: (failure) => scrubReason(classifySalesforce(failure), secrets),
    host: hostOf(auth.loginUrl),
    system: 'salesforce',
    label: 'Salesforce',
  });
  const policy = createCallPolicy({
    system: 'salesforce',
    limiter,
    classify: reach.classify,
    toFailure: toSalesforceFailure,
    log: options.log,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    refreshAuth: () => grant(conn),
  });
  const maxShare = options.maxDailyShare ?? 1;
  const usage = (): ApiUsage | undefined => conn.limitInfo?.apiUsage;
  return {
    conn,
    connect,
    call: async (kind, fn) => {
      await connect();
      guardQuota(usage(), maxShare);
      return policy.run(kind, () => attempt(kind, fn), { idempotent: !NOT_IDEMPOTENT.has(kind) });
    },
    stats: () => {
      const apiUsage = usage();
      return { ...policy.stats(), ...(apiUsage ? { apiUsage } : {}) };
    },
    stop: async () => {
      await limiter.stop({ dropWaitingJobs: false });
    },
  };
}

/**
 * Every REST response says how much of the daily allocation is used (`Sforce-Limit-Info: api-usage=U/M`,
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm; jsforce
 * keeps it in `conn.limitInfo`). A run stops cleanly before it takes the org past the configured share,
 * leaving the rest of the allocation to the org's other integrations.
 */
export function guardQuota(apiUsage: ApiUsage | undefined, maxShare: number): void {
  if (apiUsage === undefined || apiUsage.limit <= 0 || maxShare >= 1) return;
  if (apiUsage.used / apiUsage.limit < maxShare) return;
  const share = Math.round(maxShare * 100);
  throw new SyncError(
    `Salesforce API usage is at ${apiUsage.used.toLocaleString('en-US')} of ${apiUsage.limit.toLocaleString('en-US')} daily requests, the ${share}% this worker may use (crm.salesforce.maxDailyShare); the run stops here and the next run resumes where it left off`,
    {
      code: 'salesforce_quota_share',
      kind: 'quota',
      details: { used: apiUsage.used, limit: apiUsage.limit, maxShare },
    },
  );
}

/** An RS256 JWT for the bearer flow: `iss` the consumer key, `sub` the username, `aud` the login URL. */
export function jwtAssertion(auth: Extract<SalesforceAuth, { flow: 'jwt' }>, nowMs: number): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    iss: auth.clientId,
    sub: auth.username,
    aud: auth.audience ?? auth.loginUrl,
    exp: Math.floor(nowMs / 1000) + JWT_SECONDS,
  };
  const unsigned = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), auth.privateKey).toString('base64url')}`;
}

import { clipMessage } from '../../src/clip.ts';
import { classifyHttpDefault } from '../../src/http/classify-default.ts';
import {
  messageChain,
  networkCodeOf,
  retryAfterMs,
  type HttpFailureInfo,
  type Resolution,
} from '../../src/http/classify.ts';

/**
 * How the worker reacts to each Salesforce failure. jsforce turns a REST error body
 * (`[{"message", "errorCode", "fields"}]`) into an HttpApiError whose `errorCode` is the API's and whose
 * HTTP status is dropped, so the API's error codes drive the decision. Sources:
 * - status codes and error codes: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 * - record-level status codes: https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm#statuscode
 * - the daily allocation: https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm
 * jsforce retries GET/PUT/DELETE itself on 5xx and connection errors, but never POST or PATCH, so this
 * layer retries; writes are upserts on an External ID or updates by Id, so a retried write cannot duplicate
 * a record. Because jsforce drops the HTTP status and headers, the client (`client.ts`) puts the status,
 * the headers and whether the call is safe to resend on the thrown error; `toSalesforceFailure` reads them.
 *
 * Transient statuses on writes (errorcodes.htm above, the table of HTTP response codes):
 * - 500: "an error has occurred within Lightning Platform, so the request couldn't be completed"; the body
 *   is `[{"errorCode": "UNKNOWN_EXCEPTION", "message": "An unexpected error occurred. Please include this
 *   ErrorId ..."}]`. Salesforce's own condition, not the request's: retried with backoff.
 * - 502 and 504: a gateway (Salesforce Edge or a proxy on the way) got no valid or timely answer from the
 *   instance (RFC 9110 §15.6.3, §15.6.5); the body is often HTML, so jsforce names it `ERROR_HTTP_502`.
 * - 503 `SERVER_UNAVAILABLE`: the server is unavailable or over capacity; the request was not processed.
 * - 429: too many requests (RFC 6585 §4). Salesforce's REST table does not list it (the daily allocation is
 *   a 403 `REQUEST_LIMIT_EXCEEDED`), but gateways and some Salesforce APIs send it; we wait as long as its
 *   Retry-After says (RFC 9110 §10.2.3), else back off.
 * 500, 502 and 504 are ambiguous: the instance may have saved the records before the answer was lost. A
 * write by Id or on an External ID is resent; a create that is not idempotent (notes, note links) is not,
 * since a resend could save them twice. 429 and 503 mean the request was refused, so every call is resent.
 */

const SYSTEM = 'salesforce';
const LABEL = 'Salesforce';
/** More than 25 long-running requests at once: wait for some to finish before the next attempt. */
const CONCURRENT_WAIT_MS = 5_000;
/** Another transaction holds the record: Salesforce releases row locks within seconds. */
const LOCK_WAIT_MS = 2_000;
const AUTH_FIX =
  'check the connected app (or external client app) credentials in the environment variables named by crm.salesforce.auth';

const RETRY: ReadonlyMap<string, { readonly code: string; readonly reason: string; readonly waitMs?: number }> =
  new Map([
    ['SERVER_UNAVAILABLE', { code: 'salesforce_server_unavailable', reason: 'Salesforce is temporarily unavailable' }],
    [
      'UNABLE_TO_LOCK_ROW',
      { code: 'salesforce_row_locked', reason: 'another transaction holds a lock on the record', waitMs: LOCK_WAIT_MS },
    ],
    [
      'REQUEST_RUNNING_TOO_LONG',
      { code: 'salesforce_request_too_long', reason: 'Salesforce ended a request that ran too long' },
    ],
  ]);

/** Mapping or query mistakes: a person fixes the mapping file; retrying changes nothing. */
const CONFIG = new Set([
  'MALFORMED_QUERY',
  'INVALID_FIELD',
  'INVALID_TYPE',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'NOT_FOUND_EXTERNAL_ID_FIELD',
  'INVALID_QUERY_FILTER_OPERATOR',
]);
const AUTH = new Set([
  'INVALID_SESSION_ID',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'invalid_grant',
  'invalid_client',
  'invalid_client_id',
  'unsupported_grant_type',
  'inactive_user',
  'inactive_org',
]);

/** What the classifier knows of a failed Salesforce call. */
export interface SalesforceFailure extends HttpFailureInfo {
  /** The API's error code from the body, or jsforce's `ERROR_HTTP_<status>` when the body had none. */
  readonly errorCode?: string;
  /** False for a create that a resend could save twice (notes, note links); a missing value means safe. */
  readonly idempotent?: boolean;
}

/** Statuses after which the instance may already have saved the request: only idempotent calls resend. */
const AMBIGUOUS_STATUSES = new Set([500, 502, 504]);

export function classifySalesforce(failure: SalesforceFailure): Resolution {
  const errorCode = failure.errorCode;
  const said = failure.message ? `: ${clipMessage(failure.message)}` : '';
  const status = failure.status ?? statusOf(errorCode);
  const retryAfter = retryAfterMs(failure.headers);
  if (status === 429)
    return {
      action: 'retry',
      kind: 'rate_limited',
      code: 'salesforce_rate_limited',
      reason: `Salesforce is rate limiting requests${said}`,
      ...(retryAfter === undefined ? {} : { waitMs: retryAfter }),
      ...(errorCode === undefined ? {} : { category: errorCode }),
    };
  const unsafe =
    failure.idempotent === false && (errorCode === 'UNKNOWN_EXCEPTION' || AMBIGUOUS_STATUSES.has(status ?? 0));
  if (unsafe)
    return {
      action: 'fail',
      kind: 'transient',
      code: 'salesforce_server_error_unconfirmed',
      reason: `Salesforce had a server error and may have saved the records; a create is not resent, so it cannot save them twice${said}`,
      ...(errorCode === undefined ? {} : { category: errorCode }),
    };
  if (errorCode === undefined || /^ERROR_HTTP_\d+$/.test(errorCode)) {
    return classifyHttpDefault(
      { ...failure, ...(status === undefined ? {} : { status }) },
      { system: SYSTEM, label: LABEL },
    );
  }
  const category = { category: errorCode };
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') return classifyLimit(failure.message ?? '', said);
  const retry = RETRY.get(errorCode);
  if (retry) {
    const waitMs = retry.waitMs ?? retryAfter;
    return {
      action: 'retry',
      kind: 'transient',
      code: retry.code,
      reason: `${retry.reason}${said}`,
      ...(waitMs === undefined ? {} : { waitMs }),
      ...category,
    };
  }
  // A 500 names UNKNOWN_EXCEPTION; a 502 or 504 through a gateway may carry any JSON body. Both are the
  // server's condition, not the request's.
  if (errorCode === 'UNKNOWN_EXCEPTION' || (status !== undefined && status >= 500))
    return {
      action: 'retry',
      kind: 'transient',
      code: 'salesforce_server_error',
      reason: `Salesforce had a server error${said}`,
      ...(retryAfter === undefined ? {} : { waitMs: retryAfter }),
      ...category,
    };
  if (errorCode === 'INVALID_SESSION_ID')
    return {
      action: 'refresh_auth',
      kind: 'auth',
      code: 'salesforce_session_expired',
      reason: `the Salesforce session expired or is invalid${said}`,
      ...category,
    };
  if (AUTH.has(errorCode))
    return {
      action: 'fail',
      kind: 'auth',
      code: 'salesforce_auth',
      reason: `Salesforce refused the credentials or access${said}; ${AUTH_FIX}`,
      ...category,
    };
  if (CONFIG.has(errorCode))
    return {
      action: 'fail',
      kind: 'config',
      code: 'salesforce_query_invalid',
      reason: `Salesforce rejected a field or query the mapping produced${said}; run expansion-sync check to see which field`,
      ...category,
    };
  if (errorCode === 'EXCEEDED_ID_LIMIT')
    return {
      action: 'fail',
      kind: 'system',
      code: 'salesforce_batch_too_large',
      reason: `a write carried more records than Salesforce takes in one call${said}`,
      ...category,
    };
  return {
    action: 'fail',
    kind: 'data',
    code: 'salesforce_rejected',
    reason: `Salesforce rejected the request${said}`,
    ...category,
  };
}

function classifyLimit(message: string, said: string): Resolution {
  // The same code covers "ConcurrentPerOrgLongTxn Limit exceeded": too many long requests at once, which
  // passes; the daily total ("TotalRequests Limit exceeded") does not pass within a run.
  if (/concurrent/i.test(message)) {
    return {
      action: 'retry',
      kind: 'rate_limited',
      code: 'salesforce_concurrent_limit',
      reason: `Salesforce's concurrent long-request limit was reached${said}`,
      waitMs: CONCURRENT_WAIT_MS,
      category: 'REQUEST_LIMIT_EXCEEDED',
    };
  }
  return {
    action: 'stop_run',
    kind: 'quota',
    code: 'salesforce_daily_limit',
    reason: `Salesforce's daily API request allocation for this org is used up${said}; the run stops here and the next run resumes where it left off`,
    category: 'REQUEST_LIMIT_EXCEEDED',
  };
}

function statusOf(errorCode: string | undefined): number | undefined {
  const match = errorCode === undefined ? null : /^ERROR_HTTP_(\d+)$/.exec(errorCode);
  return match ? Number(match[1]) : undefined;
}

/** What the client knew of a failed call that jsforce does not keep on its error. */
export interface CallContext {
  /** The status and headers of the last error response the call received, if any. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly idempotent: boolean;
}

const CONTEXT = Symbol('salesforceCallContext');

/** Puts the call's context on the error it threw (an object, as jsforce's errors are); returns the error. */
export function withCallContext(error: unknown, context: CallContext): unknown {
  if (typeof error === 'object' && error !== null && Object.isExtensible(error))
    Object.defineProperty(error, CONTEXT, { value: context, enumerable: false, configurable: true });
  return error;
}

function callContextOf(error: unknown): CallContext | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as { [CONTEXT]?: CallContext })[CONTEXT];
}

/** What a thrown jsforce error tells the classifier: its errorCode and message, or the network code. */
export function toSalesforceFailure(error: unknown): SalesforceFailure {
  const context = callContextOf(error);
  const extra = {
    headers: { ...context?.headers },
    ...(context?.status === undefined ? {} : { status: context.status }),
    ...(context?.idempotent === false ? { idempotent: false } : {}),
  };
  const networkCode = networkCodeOf(error);
  const errorCode = error instanceof Error ? (error as { errorCode?: unknown }).errorCode : undefined;
  const message = error instanceof Error ? firstLine(error.message) : undefined;
  if (typeof errorCode === 'string' && errorCode !== '')
    return { ...extra, errorCode, ...(message ? { message } : {}) };
  // OAuth failures come back as Error(name = the OAuth error, message = error_description).
  if (error instanceof Error && AUTH.has(error.name))
    return { ...extra, errorCode: error.name, ...(message ? { message } : {}) };
  const chain = messageChain(error);
  return {
    ...extra,
    ...(networkCode === undefined ? {} : { networkCode }),
    ...(chain === undefined ? {} : { message: firstLine(chain) }),
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 500) ?? '';
}

/** Per-record errors in a collection result that a later attempt may get past. */
export const RETRYABLE_RECORD_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'REQUEST_RUNNING_TOO_LONG',
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
]);

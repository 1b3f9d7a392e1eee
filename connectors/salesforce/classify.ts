import { classifyHttpDefault } from '../../src/http/classify-default.ts';
import { messageChain, networkCodeOf, type HttpFailureInfo, type Resolution } from '../../src/http/classify.ts';

/**
 * How the worker reacts to each Salesforce failure. jsforce turns a REST error body
 * (`[{"message", "errorCode", "fields"}]`) into an HttpApiError whose `errorCode` is the API's and whose
 * HTTP status is dropped, so the API's error codes drive the decision. Sources:
 * - status codes and error codes: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 * - record-level status codes: https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm#statuscode
 * - the daily allocation: https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm
 * jsforce retries GET/PUT/DELETE itself on 5xx and connection errors, but never POST or PATCH, so this
 * layer retries; writes are upserts on an External ID, so a retried write cannot duplicate a record.
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

export function classifySalesforce(failure: HttpFailureInfo & { readonly errorCode?: string }): Resolution {
  const errorCode = failure.errorCode;
  const said = failure.message ? `: ${failure.message}` : '';
  if (errorCode === undefined || /^ERROR_HTTP_\d+$/.test(errorCode)) {
    const status = failure.status ?? statusOf(errorCode);
    return classifyHttpDefault(
      { ...failure, ...(status === undefined ? {} : { status }) },
      { system: SYSTEM, label: LABEL },
    );
  }
  const category = { category: errorCode };
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') return classifyLimit(failure.message ?? '', said);
  const retry = RETRY.get(errorCode);
  if (retry)
    return {
      action: 'retry',
      kind: 'transient',
      code: retry.code,
      reason: `${retry.reason}${said}`,
      ...(retry.waitMs === undefined ? {} : { waitMs: retry.waitMs }),
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

/** What a thrown jsforce error tells the classifier: its errorCode and message, or the network code. */
export function toSalesforceFailure(error: unknown): HttpFailureInfo & { errorCode?: string } {
  const networkCode = networkCodeOf(error);
  const errorCode = error instanceof Error ? (error as { errorCode?: unknown }).errorCode : undefined;
  const message = error instanceof Error ? firstLine(error.message) : undefined;
  if (typeof errorCode === 'string' && errorCode !== '')
    return { headers: {}, errorCode, ...(message ? { message } : {}) };
  // OAuth failures come back as Error(name = the OAuth error, message = error_description).
  if (error instanceof Error && AUTH.has(error.name))
    return { headers: {}, errorCode: error.name, ...(message ? { message } : {}) };
  const chain = messageChain(error);
  return {
    headers: {},
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

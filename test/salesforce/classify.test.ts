import { describe, expect, it } from 'vitest';
import {
  classifySalesforce,
  RETRYABLE_RECORD_CODES,
  toSalesforceFailure,
  withCallContext,
} from '../../connectors/salesforce/classify.ts';

/** An error as jsforce's HttpApi.getError builds it: name and errorCode from the body, message from it too. */
function apiError(errorCode: string, message: string): Error {
  return Object.assign(new Error(message), { name: errorCode, errorCode, data: { errorCode, message } });
}

const classify = (error: unknown) => classifySalesforce(toSalesforceFailure(error));

describe('Salesforce failures, classified', () => {
  it.each([
    [
      'the daily allocation stops the run',
      apiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
      { action: 'stop_run', kind: 'quota', code: 'salesforce_daily_limit' },
    ],
    [
      'the concurrent long-request limit waits and retries',
      apiError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'),
      { action: 'retry', kind: 'rate_limited', code: 'salesforce_concurrent_limit', waitMs: 5_000 },
    ],
    [
      'an expired session asks for a new token',
      apiError('INVALID_SESSION_ID', 'Session expired or invalid'),
      { action: 'refresh_auth', kind: 'auth' },
    ],
    [
      "a bad query is the mapping's fault",
      apiError('MALFORMED_QUERY', "unexpected token: 'OR'"),
      { action: 'fail', kind: 'config', code: 'salesforce_query_invalid' },
    ],
    [
      "an unknown field is the mapping's fault",
      apiError('INVALID_FIELD', "No such column 'Seats__c' on entity 'Account'"),
      { action: 'fail', kind: 'config' },
    ],
    [
      'a locked row waits and retries',
      apiError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record'),
      { action: 'retry', kind: 'transient', waitMs: 2_000 },
    ],
    [
      'server unavailable retries',
      apiError('SERVER_UNAVAILABLE', 'Server temporarily unavailable'),
      { action: 'retry', kind: 'transient' },
    ],
    [
      'an HTML 503 retries',
      apiError('ERROR_HTTP_503', '<html>...</html>'),
      { action: 'retry', kind: 'transient', code: 'salesforce_server_error' },
    ],
    [
      'a 400 without a JSON body is rejected data',
      apiError('ERROR_HTTP_400', 'Bad Request'),
      { action: 'fail', kind: 'data' },
    ],
    [
      'too many records in one call is our bug',
      apiError('EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call'),
      { action: 'fail', kind: 'system' },
    ],
    [
      'missing access is an auth problem',
      apiError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id'),
      { action: 'fail', kind: 'auth' },
    ],
    [
      'a validation rule rejects data',
      apiError('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Amount must be positive'),
      { action: 'fail', kind: 'data', code: 'salesforce_rejected' },
    ],
    [
      'a bad JWT grant is an auth problem',
      Object.assign(new Error('invalid assertion'), { name: 'invalid_grant' }),
      { action: 'fail', kind: 'auth', code: 'salesforce_auth' },
    ],
    [
      'a reset connection retries',
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      }),
      { action: 'retry', kind: 'transient', code: 'salesforce_network_error' },
    ],
  ])('%s', (_label, error, expected) => {
    expect(classify(error)).toMatchObject(expected);
  });

  // What client.ts puts on the error: the status and headers jsforce dropped, and whether a resend is safe.
  const onWrite = (error: Error, status: number, headers: Record<string, string> = {}, idempotent = true) =>
    classify(withCallContext(error, { status, headers, idempotent }));
  const UNKNOWN = 'An unexpected error occurred. Please include this ErrorId if you contact support: 123-456';

  it.each([
    [
      'a 500 UNKNOWN_EXCEPTION on an update or upsert retries',
      onWrite(apiError('UNKNOWN_EXCEPTION', UNKNOWN), 500),
      { action: 'retry', kind: 'transient', code: 'salesforce_server_error', category: 'UNKNOWN_EXCEPTION' },
    ],
    [
      'a 500 UNKNOWN_EXCEPTION retries even when the status was not seen',
      classify(apiError('UNKNOWN_EXCEPTION', UNKNOWN)),
      { action: 'retry', kind: 'transient', code: 'salesforce_server_error' },
    ],
    [
      'a 502 with a JSON body retries',
      onWrite(apiError('UNKNOWN_EXCEPTION', 'HTTP 502'), 502),
      { action: 'retry', kind: 'transient', code: 'salesforce_server_error' },
    ],
    [
      'an HTML 502 retries',
      onWrite(apiError('ERROR_HTTP_502', '<html>Bad Gateway</html>'), 502),
      { action: 'retry', kind: 'transient', code: 'salesforce_server_error' },
    ],
    [
      'a 503 SERVER_UNAVAILABLE honours Retry-After',
      onWrite(apiError('SERVER_UNAVAILABLE', 'Server temporarily unavailable'), 503, { 'retry-after': '3' }),
      { action: 'retry', kind: 'transient', waitMs: 3_000 },
    ],
    [
      'a 429 waits as long as Retry-After says, whatever the body',
      onWrite(apiError('INVALID_INPUT', 'HTTP 429'), 429, { 'retry-after': '7' }),
      { action: 'retry', kind: 'rate_limited', code: 'salesforce_rate_limited', waitMs: 7_000 },
    ],
    [
      'a 429 without Retry-After backs off',
      onWrite(apiError('ERROR_HTTP_429', 'Too Many Requests'), 429),
      { action: 'retry', kind: 'rate_limited', code: 'salesforce_rate_limited' },
    ],
    [
      'a 500 on a note create is not resent: the notes may be saved already',
      onWrite(apiError('UNKNOWN_EXCEPTION', UNKNOWN), 500, {}, false),
      { action: 'fail', kind: 'transient', code: 'salesforce_server_error_unconfirmed' },
    ],
    [
      'an HTML 502 on a note create is not resent either',
      onWrite(apiError('ERROR_HTTP_502', '<html>Bad Gateway</html>'), 502, {}, false),
      { action: 'fail', kind: 'transient', code: 'salesforce_server_error_unconfirmed' },
    ],
    [
      'a 429 on a note create retries: the request was refused, nothing was saved',
      onWrite(apiError('INVALID_INPUT', 'HTTP 429'), 429, { 'retry-after': '2' }, false),
      { action: 'retry', kind: 'rate_limited', waitMs: 2_000 },
    ],
    [
      'a 503 on a note create retries: the request was not processed',
      onWrite(apiError('SERVER_UNAVAILABLE', 'Server temporarily unavailable'), 503, {}, false),
      { action: 'retry', kind: 'transient' },
    ],
    [
      'a 400 keeps failing as rejected data',
      onWrite(apiError('INVALID_INPUT', 'Invalid input'), 400),
      { action: 'fail', kind: 'data' },
    ],
  ])('on writes: %s', (_label, resolution, expected) => {
    expect(resolution).toMatchObject(expected);
  });

  it('a 429 without Retry-After leaves the wait to the backoff', () => {
    expect(onWrite(apiError('ERROR_HTTP_429', 'Too Many Requests'), 429)).not.toHaveProperty('waitMs');
  });

  it("keeps Salesforce's own message and code in the reason, on one line", () => {
    const resolution = classify(apiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.\nmore detail'));
    expect(resolution.reason).toBe(
      "Salesforce's daily API request allocation for this org is used up: TotalRequests Limit exceeded.; the run stops here and the next run resumes where it left off",
    );
    expect(resolution.category).toBe('REQUEST_LIMIT_EXCEEDED');
  });

  it('retries only record errors a later attempt can get past', () => {
    expect(RETRYABLE_RECORD_CODES.has('UNABLE_TO_LOCK_ROW')).toBe(true);
    expect(RETRYABLE_RECORD_CODES.has('REQUIRED_FIELD_MISSING')).toBe(false);
    expect(RETRYABLE_RECORD_CODES.has('DUPLICATE_VALUE')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { classifyHubspot, toHubspotFailure } from '../../connectors/hubspot/classify.ts';
import type { HttpFailureInfo } from '../../src/http/classify.ts';

const rateLimit = (policyName: string, message: string) => ({
  status: 'error',
  message,
  errorType: 'RATE_LIMIT',
  correlationId: 'c-1',
  policyName,
});
const TEN_SECONDLY = rateLimit('TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.');
const SECONDLY = rateLimit('SECONDLY', 'You have reached your secondly limit.');
const DAILY = rateLimit('DAILY', 'You have reached your daily limit.');
const error = (category: string, message: string, extra: object = {}) => ({
  status: 'error',
  message,
  correlationId: 'c-2',
  category,
  ...extra,
});

const at = (status: number | undefined, body?: unknown, headers: Record<string, string> = {}): HttpFailureInfo => ({
  headers,
  ...(status === undefined ? {} : { status }),
  ...(body === undefined ? {} : { body }),
});

describe('classifyHubspot', () => {
  it.each([
    [
      '429 ten-secondly waits for the stated window',
      at(429, TEN_SECONDLY, { 'x-hubspot-ratelimit-interval-milliseconds': '10000' }),
      {
        action: 'retry',
        kind: 'rate_limited',
        code: 'hubspot_ten_secondly_limit',
        waitMs: 10_000,
        category: 'TEN_SECONDLY_ROLLING',
      },
    ],
    ['429 ten-secondly without headers waits 10 s', at(429, TEN_SECONDLY), { action: 'retry', waitMs: 10_000 }],
    [
      '429 ten-secondly prefers Retry-After',
      at(429, TEN_SECONDLY, { 'retry-after': '3', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }),
      { action: 'retry', waitMs: 3_000 },
    ],
    [
      '429 secondly (search) waits 1 s',
      at(429, SECONDLY),
      { action: 'retry', kind: 'rate_limited', code: 'hubspot_secondly_limit', waitMs: 1_000 },
    ],
    [
      '429 daily stops the run',
      at(429, DAILY),
      { action: 'stop_run', kind: 'quota', code: 'hubspot_daily_limit', category: 'DAILY' },
    ],
    [
      '429 daily recognised by message when policyName is missing',
      at(429, { status: 'error', message: 'You have reached your daily limit.' }),
      { action: 'stop_run', code: 'hubspot_daily_limit' },
    ],
    [
      '429 of another policy backs off',
      at(429, rateLimit('SOMETHING_NEW', 'slow down')),
      { action: 'retry', kind: 'rate_limited', code: 'hubspot_rate_limited', category: 'SOMETHING_NEW' },
    ],
    ['500 retries', at(500, 'oops'), { action: 'retry', kind: 'transient', code: 'hubspot_server_error' }],
    ['502 retries', at(502), { action: 'retry', kind: 'transient', code: 'hubspot_server_error' }],
    ['503 retries', at(503), { action: 'retry', kind: 'transient' }],
    ['423 waits the 2 s lock', at(423), { action: 'retry', kind: 'transient', code: 'hubspot_locked', waitMs: 2_000 }],
    [
      '477 migration stops the run',
      at(477, undefined, { 'retry-after': '3600' }),
      { action: 'stop_run', code: 'hubspot_migration_in_progress' },
    ],
    [
      '401 expired token refreshes',
      at(401, error('EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired 0 second(s) ago.')),
      { action: 'refresh_auth', kind: 'auth', code: 'hubspot_token_expired' },
    ],
    [
      '401 invalid token fails as auth',
      at(401, error('INVALID_AUTHENTICATION', 'Authentication credentials not found.')),
      { action: 'fail', kind: 'auth', code: 'hubspot_auth', category: 'INVALID_AUTHENTICATION' },
    ],
    [
      '403 missing scopes fails as auth',
      at(403, error('MISSING_SCOPES', 'This app has not been granted all required scopes.')),
      { action: 'fail', kind: 'auth', code: 'hubspot_missing_scopes' },
    ],
    [
      '403 other fails as auth',
      at(403, error('FORBIDDEN', 'nope')),
      { action: 'fail', kind: 'auth', code: 'hubspot_forbidden' },
    ],
    [
      '404 fails as data',
      at(404, error('OBJECT_NOT_FOUND', 'Object not found.')),
      { action: 'fail', kind: 'data', code: 'hubspot_not_found' },
    ],
    [
      '409 fails as data',
      at(409, error('CONFLICT', 'A property named expansion_key already exists.')),
      { action: 'fail', kind: 'data', code: 'hubspot_conflict' },
    ],
    [
      '400 fails as validation',
      at(400, error('VALIDATION_ERROR', 'Property values were not valid')),
      { action: 'fail', kind: 'data', code: 'hubspot_validation', category: 'VALIDATION_ERROR' },
    ],
    [
      'ECONNRESET retries',
      { headers: {}, networkCode: 'ECONNRESET', message: 'fetch failed: socket hang up' },
      { action: 'retry', kind: 'transient', code: 'hubspot_network_error' },
    ],
    ['ETIMEDOUT retries', { headers: {}, networkCode: 'ETIMEDOUT' }, { action: 'retry', kind: 'transient' }],
    [
      'fetch failed retries',
      { headers: {}, networkCode: 'NETWORK_ERROR', message: 'fetch failed' },
      { action: 'retry', kind: 'transient' },
    ],
  ] as const)('%s', (_name, failure, expected) => {
    expect(classifyHubspot(failure)).toMatchObject(expected);
  });

  it('tells the user how to fix a rejected token', () => {
    expect(
      classifyHubspot(at(401, error('INVALID_AUTHENTICATION', 'Authentication credentials not found.'))).reason,
    ).toMatch(/Authentication credentials not found\..*private app token.*crm\.hubspot\.token/);
  });

  it('names the missing scopes when HubSpot lists them', () => {
    const body = error('MISSING_SCOPES', 'This app has not been granted all required scopes.', {
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: ['crm.objects.deals.write', 'crm.schemas.deals.read'] },
        },
      ],
    });
    expect(classifyHubspot(at(403, body)).reason).toContain('crm.objects.deals.write, crm.schemas.deals.read');
  });

  it("carries HubSpot's validation message, each property's problem said once as property: message", () => {
    const body = error(
      'VALIDATION_ERROR',
      'Property values were not valid: [{"name":"amount","message":"not a number"}]',
    );
    expect(classifyHubspot(at(400, body)).reason).toContain('Property values were not valid: amount: not a number');
  });

  it('cuts a long validation message to 300 characters', () => {
    const options = Array.from(
      { length: 40 },
      (_, i) => `label: "Stage ${i}"\nvalue: "stage${i}"\ndisplay_order: ${i}`,
    );
    const message = `Property values were not valid: ${JSON.stringify([
      { name: 'dealstage', message: `x was not one of the allowed options: [${options.join('\n, ')}\n]` },
    ])}`;
    const { reason } = classifyHubspot(at(400, error('VALIDATION_ERROR', message)));
    expect(reason).toMatch(/dealstage: x was not one of the allowed options: stage0, stage1, /);
    expect(reason).not.toContain('display_order');
    expect(reason.length).toBeLessThanOrEqual(360);
  });

  it('says the daily limit is used up and the next run resumes', () => {
    expect(classifyHubspot(at(429, DAILY)).reason).toMatch(/daily API limit.*used up.*next run resumes/);
  });

  it('reads a body the SDK left as a JSON string', () => {
    expect(classifyHubspot(at(429, JSON.stringify(DAILY)))).toMatchObject({ code: 'hubspot_daily_limit' });
  });
});

describe('toHubspotFailure', () => {
  /** The shape of the SDK's ApiException: one class per generated API, so built by hand here. */
  const apiException = (code: number, body: unknown, headers: Record<string, string>) =>
    Object.assign(
      new Error(
        `HTTP-Code: ${code}\nMessage: An error occurred.\nBody: ${JSON.stringify(body)}\nHeaders: ${JSON.stringify(headers)}`,
      ),
      { code, body, headers },
    );

  it('takes status, body, headers and the API message from an ApiException, not its message', () => {
    const failure = toHubspotFailure(
      apiException(400, error('VALIDATION_ERROR', 'bad amount'), {
        'Content-Type': 'application/json',
        'X-HubSpot-RateLimit-Remaining': '9',
      }),
    );
    expect(failure).toMatchObject({
      status: 400,
      message: 'bad amount',
      headers: { 'x-hubspot-ratelimit-remaining': '9' },
    });
    expect(failure.message).not.toContain('HTTP-Code');
  });

  it('parses a string body', () => {
    expect(toHubspotFailure(apiException(429, JSON.stringify(DAILY), {})).body).toMatchObject({ policyName: 'DAILY' });
  });

  it('reads the network code from a fetch error cause', () => {
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    });
    expect(toHubspotFailure(reset)).toEqual({
      headers: {},
      networkCode: 'ECONNRESET',
      message: 'fetch failed: socket hang up',
    });
  });

  it('leaves an unknown error without status or network code', () => {
    expect(toHubspotFailure(new Error('Cannot parse content. No Content-Type defined.'))).toEqual({
      headers: {},
      message: 'Cannot parse content. No Content-Type defined.',
    });
  });
});

import { Writable } from 'node:stream';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHubspotClient, type HubspotClient } from '../../connectors/hubspot/client.ts';
import { createLogger } from '../../src/logger.ts';

const BASE = 'http://hubspot.test';
const TOKEN = 'pat-na1-7f3c2a91-secret-e5d4';
const COMPANIES = /^\/crm\/v3\/objects\/companies(\?.*)?$/;

/**
 * The worst case: a server that echoes the Authorization header back in a response header and in the
 * error message. The SDK's ApiException then holds the token in its message, headers and body.
 */
function echoing(status: number, body: Record<string, unknown>) {
  return (request: Request) => {
    const authorization = request.headers.get('authorization') ?? '';
    return [
      status,
      {
        status: 'error',
        correlationId: 'c-1',
        ...body,
        message: `${String(body['message'])} (sent: ${authorization})`,
      },
      { 'content-type': 'application/json', 'x-echo-authorization': authorization },
    ] as const;
  };
}

const PATHS: ReadonlyArray<[string, (scope: nock.Scope) => void, string]> = [
  [
    '401 invalid token',
    (s) =>
      s
        .get(COMPANIES)
        .reply(echoing(401, { category: 'INVALID_AUTHENTICATION', message: 'Authentication credentials not found.' })),
    'hubspot_auth',
  ],
  [
    '401 expired token',
    (s) =>
      s.get(COMPANIES).reply(echoing(401, { category: 'EXPIRED_AUTHENTICATION', message: 'The OAuth token expired.' })),
    'hubspot_token_expired',
  ],
  [
    '403 missing scopes',
    (s) =>
      s.get(COMPANIES).reply(
        echoing(403, {
          category: 'MISSING_SCOPES',
          message: 'Missing scopes.',
          errors: [{ context: { requiredGranularScopes: ['crm.objects.companies.read'] } }],
        }),
      ),
    'hubspot_missing_scopes',
  ],
  [
    '429 daily limit',
    (s) =>
      s
        .get(COMPANIES)
        .reply(
          echoing(429, { policyName: 'DAILY', errorType: 'RATE_LIMIT', message: 'You have reached your daily limit.' }),
        ),
    'hubspot_daily_limit',
  ],
  [
    '5xx until retries run out',
    (s) =>
      s
        .get(COMPANIES)
        .times(2)
        .reply(echoing(503, { category: 'SERVICE_UNAVAILABLE', message: 'Service unavailable.' })),
    'hubspot_server_error',
  ],
  [
    'network reset until retries run out',
    (s) =>
      s
        .get(COMPANIES)
        .times(2)
        .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    'hubspot_network_error',
  ],
  [
    '400 validation',
    (s) =>
      s
        .get(COMPANIES)
        .reply(echoing(400, { category: 'VALIDATION_ERROR', message: 'Property values were not valid.' })),
    'hubspot_validation',
  ],
];

const clients: HubspotClient[] = [];
beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
  nock.cleanAll();
});

describe('the access token never leaves the Authorization header', () => {
  it.each(PATHS)('%s', async (_name, serve, code) => {
    const lines: string[] = [];
    const log = createLogger({
      level: 'trace',
      destination: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
    });
    const client = createHubspotClient({
      accessToken: TOKEN,
      basePath: BASE,
      rateLimit: { perTenSeconds: 1_000, searchPerSecond: 100, maxConcurrent: 4 },
      log,
      retries: 1,
      sleep: async () => {},
    });
    clients.push(client);
    const scope = nock(BASE);
    serve(scope);
    let seenToken = false;
    scope.on(
      'request',
      (request: Request) => (seenToken ||= request.headers.get('authorization') === `Bearer ${TOKEN}`),
    );

    const error = await client
      .call('companies.read', (sdk) => sdk.crm.companies.basicApi.getPage(10))
      .then(
        () => expect.fail('the call should have failed'),
        (e: unknown) => e as Error & { code: string; details: unknown },
      );

    expect(seenToken).toBe(true);
    expect(error.code).toBe(code);
    for (const text of [
      error.message,
      String(error),
      error.stack ?? '',
      JSON.stringify(error),
      JSON.stringify(error.details),
      lines.join('\n'),
    ]) {
      expect(text).not.toContain(TOKEN);
      expect(text.toLowerCase()).not.toContain('x-echo-authorization');
    }
    expect(scope.isDone()).toBe(true);
  });

  it('logs the retries it makes, so the log check above has something to read', async () => {
    const lines: string[] = [];
    const log = createLogger({
      level: 'trace',
      destination: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
    });
    const client = createHubspotClient({
      accessToken: TOKEN,
      basePath: BASE,
      rateLimit: { perTenSeconds: 1_000, searchPerSecond: 100, maxConcurrent: 4 },
      log,
      retries: 1,
      sleep: async () => {},
    });
    clients.push(client);
    nock(BASE)
      .get(COMPANIES)
      .times(2)
      .reply(echoing(503, { category: 'SERVICE_UNAVAILABLE', message: 'Service unavailable.' }));
    await client.call('companies.read', (sdk) => sdk.crm.companies.basicApi.getPage(10)).catch(() => undefined);
    const warnings = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['level'] === 40);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.['msg'])).toContain('Service unavailable. (sent: Bearer [redacted])');
  });
});

import { Client } from '@hubspot/api-client';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHubspotClient, type HubspotClient, type HubspotClientOptions } from '../../connectors/hubspot/client.ts';
import { SyncError } from '../../src/errors.ts';
import { silentLogger } from '../../src/logger.ts';

const BASE = 'http://hubspot.test';
const COMPANIES = /^\/crm\/v3\/objects\/companies(\?.*)?$/;
const SEARCH = '/crm/v3/objects/companies/search';
const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' };

type Step =
  | { readonly status: number; readonly body?: object | string; readonly headers?: Record<string, string> }
  | { readonly error: Error };

/** Registers one interceptor per step, in order, and counts what reached nock. */
function serve(method: 'GET' | 'POST', path: string | RegExp, steps: readonly Step[]) {
  const scope = nock(BASE);
  for (const step of steps) {
    const interceptor = scope.intercept(path, method);
    if ('error' in step) interceptor.replyWithError(step.error);
    else interceptor.reply(step.status, step.body ?? '', { ...JSON_TYPE, ...step.headers });
  }
  let requests = 0;
  let unmatched = 0;
  scope.on('request', () => (requests += 1));
  nock.emitter.on('no match', () => (unmatched += 1));
  return { requests: () => requests + unmatched, unmatched: () => unmatched };
}

const PAGE = {
  status: 200,
  body: {
    results: [
      {
        id: '1',
        properties: { name: 'Acme' },
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        archived: false,
      },
    ],
  },
};
const rateLimited = (policyName: string, message: string, headers: Record<string, string> = {}): Step => ({
  status: 429,
  body: { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: 'c-1', policyName },
  headers,
});
const hubspotError = (status: number, category: string, message: string): Step => ({
  status,
  body: { status: 'error', message, correlationId: 'c-2', category },
});
const connectionReset = (): Step => ({ error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });

const clients: HubspotClient[] = [];
/** A client whose sleep records the wait and moves a fake clock instead of waiting. */
function makeClient(overrides: Partial<HubspotClientOptions> = {}) {
  const waits: number[] = [];
  let now = 1_000_000;
  const client = createHubspotClient({
    accessToken: 'pat-test-token',
    basePath: BASE,
    rateLimit: { perTenSeconds: 1_000, searchPerSecond: 100, maxConcurrent: 4 },
    log: silentLogger(),
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    now: () => now,
    ...overrides,
  });
  clients.push(client);
  return { client, waits };
}

const readPage = (client: HubspotClient) =>
  client.call('companies.read', (sdk) => sdk.crm.companies.basicApi.getPage(10));
const search = (client: HubspotClient) =>
  client.search('companies.search', (sdk) => sdk.crm.companies.searchApi.doSearch({ filterGroups: [], limit: 1 }));

async function failureOf(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SyncError);
  return error as SyncError;
}

beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
  nock.cleanAll();
  nock.emitter.removeAllListeners('no match');
});

describe('createHubspotClient', () => {
  it('retries a ten-secondly 429 once after the window, with no retry inside the SDK', async () => {
    const { client, waits } = makeClient();
    const server = serve('GET', COMPANIES, [
      rateLimited('TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.', {
        'x-hubspot-ratelimit-interval-milliseconds': '10000',
        'x-hubspot-ratelimit-remaining': '0',
      }),
      PAGE,
    ]);
    const page = await readPage(client);
    expect(page.results[0]?.properties['name']).toBe('Acme');
    expect(server.requests()).toBe(2);
    expect(waits).toEqual([10_000]);
    expect(client.stats()).toMatchObject({ calls: { 'companies.read': 2 }, total: 2, retries: 1, rateLimited: 1 });
  });

  it('waits one second after a secondly 429 on search', async () => {
    const { client, waits } = makeClient();
    const server = serve('POST', SEARCH, [
      rateLimited('SECONDLY', 'You have reached your secondly limit.'),
      { status: 200, body: { total: 0, results: [] } },
    ]);
    await expect(search(client)).resolves.toMatchObject({ total: 0 });
    expect(server.requests()).toBe(2);
    expect(waits).toEqual([1_000]);
  });

  it('stops on the daily limit after exactly one request', async () => {
    const { client, waits } = makeClient();
    const server = serve('GET', COMPANIES, [rateLimited('DAILY', 'You have reached your daily limit.'), PAGE]);
    const error = await failureOf(readPage(client));
    expect(error).toMatchObject({
      code: 'hubspot_daily_limit',
      kind: 'quota',
      details: { status: 429, category: 'DAILY' },
    });
    expect(error.message).toContain('daily API limit');
    expect(server.requests()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('succeeds after 503, 503, 200 with three requests', async () => {
    const { client } = makeClient();
    const server = serve('GET', COMPANIES, [
      hubspotError(503, 'SERVICE_UNAVAILABLE', 'try again'),
      hubspotError(503, 'SERVICE_UNAVAILABLE', 'try again'),
      PAGE,
    ]);
    await expect(readPage(client)).resolves.toMatchObject({ results: [{ id: '1' }] });
    expect(server.requests()).toBe(3);
  });

  it('gives up on a server error after the configured retries', async () => {
    const { client } = makeClient({ retries: 2 });
    const server = serve('GET', COMPANIES, [
      hubspotError(500, 'INTERNAL_ERROR', 'oops'),
      hubspotError(500, 'INTERNAL_ERROR', 'oops'),
      hubspotError(500, 'INTERNAL_ERROR', 'oops'),
    ]);
    const error = await failureOf(readPage(client));
    expect(error).toMatchObject({ code: 'hubspot_server_error', kind: 'transient', details: { status: 500 } });
    expect(error.message).toContain('gave up after 3 attempts');
    expect(server.requests()).toBe(3);
  });

  it('retries a 5xx whose body the SDK cannot parse (empty JSON, an HTML page)', async () => {
    const { client } = makeClient();
    const html: Step = { status: 502, body: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } };
    const server = serve('GET', COMPANIES, [{ status: 503 }, { status: 504, body: 'gateway timeout' }, html, PAGE]);
    await expect(readPage(client)).resolves.toMatchObject({ results: [{ id: '1' }] });
    expect(server.requests()).toBe(4);
  });

  it('retries a connection reset', async () => {
    const { client } = makeClient();
    const server = serve('GET', COMPANIES, [connectionReset(), PAGE]);
    await expect(readPage(client)).resolves.toMatchObject({ results: [{ id: '1' }] });
    expect(server.requests()).toBe(2);
  });

  it("does not retry a 400 and carries HubSpot's message", async () => {
    const { client } = makeClient();
    const server = serve('GET', COMPANIES, [
      hubspotError(400, 'VALIDATION_ERROR', 'Property values were not valid: amount is not a number'),
      PAGE,
    ]);
    const error = await failureOf(readPage(client));
    expect(error).toMatchObject({
      code: 'hubspot_validation',
      kind: 'data',
      details: { status: 400, category: 'VALIDATION_ERROR', call: 'companies.read' },
    });
    expect(error.message).toContain('Property values were not valid: amount is not a number');
    expect(server.requests()).toBe(1);
  });

  it('fails as auth when the token expired and no refresher is configured', async () => {
    const { client } = makeClient();
    const server = serve('GET', COMPANIES, [
      hubspotError(401, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired 0 second(s) ago.'),
      PAGE,
    ]);
    const error = await failureOf(readPage(client));
    expect(error).toMatchObject({ kind: 'auth', code: 'hubspot_token_expired' });
    expect(server.requests()).toBe(1);
  });

  it('refreshes an expired token once and retries with the new one', async () => {
    const { client } = makeClient({ refreshAccessToken: async () => 'fresh-token' });
    nock(BASE)
      .get(COMPANIES)
      .matchHeader('authorization', 'Bearer pat-test-token')
      .reply(401, { status: 'error', message: 'expired', category: 'EXPIRED_AUTHENTICATION' }, JSON_TYPE);
    nock(BASE)
      .get(COMPANIES)
      .matchHeader('authorization', 'Bearer fresh-token')
      .reply(PAGE.status, PAGE.body, JSON_TYPE);
    await expect(readPage(client)).resolves.toMatchObject({ results: [{ id: '1' }] });
    expect(nock.isDone()).toBe(true);
  });

  it('counts calls by kind and 429s, and reports the rate-limit headers', async () => {
    const { client } = makeClient();
    const limits = { 'x-hubspot-ratelimit-remaining': '180', 'x-hubspot-ratelimit-daily-remaining': '249000' };
    serve('GET', COMPANIES, [{ ...PAGE, headers: limits }, PAGE]);
    serve('POST', SEARCH, [
      rateLimited('SECONDLY', 'You have reached your secondly limit.'),
      { status: 200, body: { total: 0, results: [] } },
    ]);
    await readPage(client);
    await readPage(client);
    await search(client);
    expect(client.stats()).toEqual({
      calls: { 'companies.read': 2, 'companies.search': 2 },
      total: 4,
      retries: 1,
      rateLimited: 1,
      failures: 0,
      intervalRemaining: 180,
      dailyRemaining: 249_000,
    });
  });

  it('holds new requests for the window once the interval allowance reaches 0', async () => {
    const { client, waits } = makeClient();
    const server = serve('GET', COMPANIES, [
      {
        ...PAGE,
        headers: { 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000' },
      },
      PAGE,
    ]);
    await readPage(client);
    expect(client.stats().intervalRemaining).toBe(0);
    await readPage(client);
    expect(waits).toEqual([10_000]);
    expect(server.requests()).toBe(2);
    expect(client.stats().rateLimited).toBe(0);
  });
});

describe('the SDK decorator singleton', () => {
  it('gives our client no SDK retries even when another client with retries was created after it', async () => {
    const { client } = makeClient({ retries: 0 });
    new Client({ accessToken: 'other', basePath: BASE, numberOfApiCallRetries: 3 });
    const server = serve('GET', COMPANIES, [hubspotError(503, 'SERVICE_UNAVAILABLE', 'try again'), PAGE, PAGE]);
    await expect(readPage(client)).rejects.toMatchObject({ code: 'hubspot_server_error' });
    expect(server.requests()).toBe(1);
  });

  it("leaves another client's SDK retries in place when ours is created", async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const other = new Client({ accessToken: 'other', basePath: BASE, numberOfApiCallRetries: 2 });
    makeClient();
    const server = serve('GET', COMPANIES, [hubspotError(503, 'SERVICE_UNAVAILABLE', 'try again'), PAGE]);
    await expect(other.crm.companies.basicApi.getPage(10)).resolves.toMatchObject({ results: [{ id: '1' }] });
    expect(server.requests()).toBe(2);
    quiet.mockRestore();
  });
});

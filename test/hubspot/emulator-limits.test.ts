import { Client } from '@hubspot/api-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rejectionOf } from '../support/rejection.ts';
import {
  startHubspotEmulator,
  type HubspotEmulator,
  type HubspotEmulatorOptions,
} from '../../connectors/hubspot/emulator/index.ts';

function sdk(emulator: HubspotEmulator, retries = 0, token = emulator.token): Client {
  return new Client({ accessToken: token, basePath: emulator.url, numberOfApiCallRetries: retries });
}

interface ApiError {
  readonly code: number;
  readonly body: Record<string, unknown> & { message: string; category?: string; context?: Record<string, string[]> };
}

const rejection = (promise: Promise<unknown>): Promise<ApiError> => rejectionOf<ApiError>(promise);

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

let emulator: HubspotEmulator | undefined;
let clock = 0;

async function start(options: Omit<HubspotEmulatorOptions, 'now' | 'port'> = {}): Promise<HubspotEmulator> {
  clock = Date.parse('2026-11-20T12:00:00.000Z');
  emulator = await startHubspotEmulator({
    port: 0,
    now: () => clock,
    seed: {
      objects: {
        companies: [
          { properties: { name: 'Acme', domain: 'acme.example' } },
          { properties: { name: 'Birch', domain: 'birch.example' } },
        ],
      },
    },
    ...options,
  });
  return emulator;
}

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await emulator?.stop();
  emulator = undefined;
});

const get = (e: HubspotEmulator, path = '/crm/v3/objects/companies?limit=1', token = e.token) =>
  fetch(`${e.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('rate limits', () => {
  it('counts down X-HubSpot-RateLimit-* headers and answers a full 10 s window with 429 TEN_SECONDLY_ROLLING', async () => {
    const e = await start({ limits: { perTenSeconds: 3, daily: 1000 } });
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await get(e);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
      expect(response.headers.get('x-hubspot-ratelimit-max')).toBe('3');
      expect(response.headers.get('x-hubspot-ratelimit-daily')).toBe('1000');
      remaining.push(response.headers.get('x-hubspot-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await get(e);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('997');
    expect(await limited.json()).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    clock += 10_000;
    expect((await get(e)).status).toBe(200);
  });

  it("the SDK's own retry (10 s after a TEN_SECONDLY_ROLLING 429) gets through once the window has rolled", async () => {
    const e = await start({ limits: { perTenSeconds: 2 } });
    for (let i = 0; i < 2; i += 1) await get(e);
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // the SDK announces each retry on stderr
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    const pending = sdk(e, 2)
      .crm.companies.basicApi.getPage(10)
      .finally(() => (settled = true));
    // The SDK waits on a (fake) 10 s timer; move it and the emulator's clock together, a second at a time.
    for (let i = 0; i < 200 && !settled; i += 1) {
      await nextTurn();
      if (e.requests.count({ status: 429 }) === 0) continue;
      clock += 1_000;
      await vi.advanceTimersByTimeAsync(1_000);
    }
    const page = await pending;
    expect(page.results).toHaveLength(2);
    expect(e.requests.log().map((r) => r.status)).toEqual([200, 200, 429, 200]);
  });

  it('a DAILY 429 is not retried by the SDK', async () => {
    const e = await start();
    e.limits.setDailyRemaining(0);
    const error = await rejection(sdk(e, 3).crm.companies.basicApi.getPage(10));
    expect(error.code).toBe(429);
    expect(error.body).toMatchObject({
      message: 'You have reached your daily limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'DAILY',
    });
    expect(e.requests.count()).toBe(1);
    e.limits.setDailyRemaining(2);
    const ok = await get(e);
    expect(ok.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('1');
    expect(e.limits.dailyRemaining()).toBe(1);
  });

  it('search has its own 5 per second bucket, answered with the SECONDLY body and no rate-limit headers', async () => {
    const e = await start();
    const search = () =>
      fetch(`${e.url}/crm/v3/objects/companies/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${e.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ filterGroups: [], limit: 1 }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await search()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await search();
    expect(await limited.json()).toMatchObject({
      message: 'You have reached your secondly limit.',
      policyName: 'SECONDLY',
    });
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBeNull();
    expect((await get(e)).status).toBe(200);
    clock += 1_000;
    expect((await search()).status).toBe(200);
  });

  it('limits: false never answers 429', async () => {
    const e = await start({ limits: false });
    const statuses = new Set<number>();
    for (let i = 0; i < 250; i += 1) statuses.add((await get(e)).status);
    expect([...statuses]).toEqual([200]);
  });
});

describe('authentication', () => {
  it('a missing or wrong token is INVALID_AUTHENTICATION; an expired one EXPIRED_AUTHENTICATION until a new token is set', async () => {
    const e = await start();
    const missing = await fetch(`${e.url}/crm/v3/objects/companies`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect((await rejection(sdk(e, 0, 'pat-na1-wrong').crm.companies.basicApi.getPage(1))).body.category).toBe(
      'INVALID_AUTHENTICATION',
    );

    e.expireToken();
    clock += 5_000;
    const expired = await rejection(sdk(e).crm.companies.basicApi.getPage(1));
    expect(expired.code).toBe(401);
    expect(expired.body).toMatchObject({
      status: 'error',
      message: 'The OAuth token used to make this call expired 5 second(s) ago.',
      category: 'EXPIRED_AUTHENTICATION',
      context: { 'expire time': ['2026-11-20T12:00:00.000Z'] },
    });
    const old = e.token;
    e.setToken('pat-na1-refreshed');
    expect((await sdk(e).crm.companies.basicApi.getPage(1)).results).toHaveLength(1);
    expect((await get(e, undefined, old)).status).toBe(401);
  });
});

describe('fault injection', () => {
  it('plays a status sequence on the matching route, and the SDK retries through the 5xx', async () => {
    const e = await start();
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // the SDK announces each retry on stderr
    const fault = e.faults.add({ method: 'POST', path: /\/batch\/update$/, sequence: [503, 502, 'pass'] });
    const [acme] = e.listObjects('companies');
    const result = await sdk(e, 3).crm.companies.batchApi.update({
      inputs: [{ id: acme!.id, properties: { name: 'Acme Inc' } }],
    });
    expect(result.results[0]?.properties['name']).toBe('Acme Inc');
    expect(
      e.requests
        .log()
        .filter((r) => r.route === 'POST /crm/v3/objects/{type}/batch/update')
        .map((r) => r.status),
    ).toEqual([503, 502, 200]);
    expect(fault.hits).toBe(3);
    expect((await get(e)).status).toBe(200);
  });

  it('a reset step destroys the connection; a custom body and a delay are served as given', async () => {
    const e = await start();
    e.faults.add({
      route: 'GET /crm/v3/objects/{type}',
      sequence: [
        'reset',
        { status: 500, body: { status: 'error', message: 'boom', category: 'INTERNAL_ERROR' } },
        { delayMs: 5 },
      ],
    });
    await expect(get(e)).rejects.toThrow();
    const custom = await get(e);
    expect(custom.status).toBe(500);
    expect(await custom.json()).toEqual({ status: 'error', message: 'boom', category: 'INTERNAL_ERROR' });
    expect((await get(e)).status).toBe(200);
    expect(e.requests.log().map((r) => r.status)).toEqual([0, 500, 200]);
  });

  it('failRecords makes matching batch inputs fail in a 207 while the rest are written, until removed', async () => {
    const e = await start();
    const [acme, birch] = e.listObjects('companies');
    const fault = e.faults.failRecords({
      objectType: 'companies',
      match: (input) => input.id === birch!.id,
      category: 'VALIDATION_ERROR',
      message: 'Property values were not valid: es_reasons is too long',
    });
    const update = () =>
      sdk(e).crm.companies.batchApi.update({
        inputs: [
          { id: acme!.id, properties: { name: 'A2' } },
          { id: birch!.id, properties: { name: 'B2' } },
        ],
      });
    const partial = await update();
    expect(partial.results.map((r) => r.id)).toEqual([acme!.id]);
    const errors = 'errors' in partial ? partial.errors : [];
    expect(errors.map((x) => [x.category, x.message, x.context?.['ids']])).toEqual([
      ['VALIDATION_ERROR', 'Property values were not valid: es_reasons is too long', [birch!.id]],
    ]);
    expect(e.getObject('companies', birch!.id)?.properties['name']).toBe('Birch');
    fault.remove();
    const full = await update();
    expect('errors' in full).toBe(false);
    expect(e.getObject('companies', birch!.id)?.properties['name']).toBe('B2');
  });
});

describe('request counters', () => {
  it('log method, path without query, route template and object type, and count only data-changing calls as writes', async () => {
    const e = await start();
    const client = sdk(e);
    const [acme] = e.listObjects('companies');
    await client.crm.companies.basicApi.getPage(5, undefined, ['name']);
    await client.crm.companies.searchApi.doSearch({ filterGroups: [], limit: 1 } as never);
    await client.crm.companies.batchApi.read({
      inputs: [{ id: acme!.id }],
      properties: ['name'],
      propertiesWithHistory: [],
    });
    await client.crm.properties.coreApi.create('deals', {
      name: 'expansion_key',
      label: 'Key',
      type: 'string',
      fieldType: 'text',
      groupName: 'dealinformation',
      hasUniqueValue: true,
    } as never);
    await client.crm.deals.batchApi.upsert({
      inputs: [
        { id: 'k1', idProperty: 'expansion_key', properties: { dealname: 'D', dealstage: 'appointmentscheduled' } },
      ],
    });
    const [deal] = e.listObjects('deals');
    await client.crm.associations.v4.batchApi.createDefault('deals', 'companies', {
      inputs: [{ _from: { id: deal!.id }, to: { id: acme!.id } }],
    });
    expect(e.requests.writes()).toBe(3);
    expect(e.writes()).toBe(3);
    expect(e.requests.count({ write: false })).toBe(3);
    const [list] = e.requests.log();
    expect(list).toMatchObject({
      method: 'GET',
      path: '/crm/v3/objects/companies',
      route: 'GET /crm/v3/objects/{type}',
      objectType: 'companies',
      status: 200,
      write: false,
    });
    expect(e.requests.count({ route: 'POST /crm/v3/objects/{type}/search', objectType: 'companies' })).toBe(1);
    expect(
      e.requests.count({
        route: 'POST /crm/v4/associations/{fromType}/{toType}/batch/associate/default',
        objectType: 'deals',
        write: true,
      }),
    ).toBe(1);
    e.requests.reset();
    expect([e.requests.count(), e.writes()]).toEqual([0, 0]);
  });
});

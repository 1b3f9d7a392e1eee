import type { Connection } from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../connectors/salesforce/emulator/index.ts';
import { rejectionOf } from '../support/rejection.ts';
import { connect, type JsforceError } from '../support/salesforce-emulator.ts';

let emulator: SalesforceEmulator | undefined;

async function start(): Promise<{ e: SalesforceEmulator; conn: Connection }> {
  emulator = await startSalesforceEmulator({
    now: () => Date.parse('2026-11-20T12:00:00.000Z'),
    seed: { accounts: [{ Name: 'Acme' }, { Name: 'Birch' }] },
  });
  return { e: emulator, conn: await connect(emulator) };
}

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const SOQL = 'SELECT Id, Name FROM Account';

describe('daily API allocation', () => {
  it('counts each REST call in Sforce-Limit-Info, which jsforce parses into limitInfo; /limits agrees', async () => {
    const { e, conn } = await start();
    await conn.query(SOQL);
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 1, limit: 15000 } });
    e.setDailyUsage(120);
    await conn.query(SOQL);
    expect(conn.limitInfo.apiUsage).toEqual({ used: 121, limit: 15000 });
    const limits = await conn.limits();
    expect(limits.DailyApiRequests).toEqual({ Max: 15000, Remaining: 15000 - 122 });
    expect(e.dailyUsage()).toEqual({ used: 122, max: 15000 });
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the allocation is used up; jsforce raises it without retrying', async () => {
    const { e, conn } = await start();
    e.setDailyMax(10);
    e.setDailyUsage(10);
    e.requests.reset();
    const error = await rejectionOf<JsforceError>(conn.query(SOQL));
    expect(error).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' });
    expect(e.requests.count()).toBe(1);
    const raw = await fetch(`${e.url}/services/data/v62.0/limits`, {
      headers: { authorization: `Bearer ${conn.accessToken ?? ''}` },
    });
    expect(raw.status).toBe(403);
    expect(raw.headers.get('sforce-limit-info')).toBe('api-usage=10/10');
    expect(raw.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(await raw.json()).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    e.setDailyMax(20);
    expect((await conn.query(SOQL)).totalSize).toBe(2);
  });
});

describe('fault injection', () => {
  it('plays a status sequence on a route: jsforce retries a GET through a 503 but never a PATCH', async () => {
    const { e, conn } = await start();
    const query = e.faults.add({ method: 'GET', path: /\/query$/, sequence: [503, 'pass'] });
    e.requests.reset();
    expect((await conn.query(SOQL)).totalSize).toBe(2);
    expect(e.requests.log().map((r) => r.status)).toEqual([503, 200]);
    expect(query.hits).toBe(2); // both steps of the sequence were played
    e.faults.add({ route: 'PATCH /composite/sobjects', sequence: [503] });
    const error = await rejectionOf<JsforceError>(
      conn.sobject('Account').update([{ Id: e.listRecords('Account')[0]?.Id ?? '', Name: 'Acme 2' }]),
    );
    expect(error.errorCode).toBe('SERVER_UNAVAILABLE');
    expect(e.requests.count({ route: 'PATCH /composite/sobjects' })).toBe(1);
    expect(e.listRecords('Account')[0]?.['Name']).toBe('Acme');
  });

  it('resets connections, adds latency, and answers injected bodies', async () => {
    const { e, conn } = await start();
    e.faults.add({ method: 'POST', path: /\/composite\/sobjects$/, sequence: ['reset'] });
    await expect(conn.sobject('Account').create([{ Name: 'Lost' }])).rejects.toThrow();
    expect(e.requests.count({ status: 0 })).toBe(1);
    expect(e.listRecords('Account')).toHaveLength(2);
    e.faults.add({
      route: 'GET /limits',
      sequence: [{ status: 500, body: [{ message: 'boom', errorCode: 'UNKNOWN_EXCEPTION' }] }],
    });
    const raw = await fetch(`${e.url}/services/data/v62.0/limits`, {
      headers: { authorization: `Bearer ${conn.accessToken ?? ''}` },
    });
    expect(raw.status).toBe(500);
    expect(await raw.json()).toEqual([{ message: 'boom', errorCode: 'UNKNOWN_EXCEPTION' }]);
    e.faults.setLatency(60);
    const started = Date.now();
    await conn.query(SOQL);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('request counters', () => {
  it('counts by route, method and object, and writes(); reset() clears the log and the faults', async () => {
    const { e, conn } = await start();
    e.requests.reset();
    await conn.query(SOQL);
    await conn.sobject('Account').describe();
    await conn.sobject('Account').create([{ Name: 'New' }]);
    await conn.sobject('Account').create({ Name: 'Single' });
    expect(e.requests.count()).toBe(4);
    expect(e.requests.count({ method: 'GET' })).toBe(2);
    expect(e.requests.count({ route: 'GET /sobjects/{type}/describe', object: 'Account' })).toBe(1);
    expect(e.writes()).toBe(2);
    e.faults.add({ path: /\/query$/, sequence: [503], repeat: true });
    e.reset();
    expect(e.requests.count()).toBe(0);
    expect(e.writes()).toBe(0);
    expect((await conn.query(SOQL)).totalSize).toBe(4);
  });
});

import type { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../connectors/salesforce/emulator/index.ts';
import { rejectionOf } from '../support/rejection.ts';
import { connect, type JsforceError } from '../support/salesforce-emulator.ts';

const ACCOUNTS = 4_500;
let emulator: SalesforceEmulator;
let conn: Connection;

beforeAll(async () => {
  const clock = Date.parse('2026-11-20T12:00:00.000Z');
  emulator = await startSalesforceEmulator({
    now: () => clock,
    seed: {
      accounts: Array.from({ length: ACCOUNTS }, (_, i) => ({
        Name: `Account ${String(i).padStart(4, '0')}`,
        NumberOfEmployees: i,
      })),
    },
  });
  conn = await connect(emulator);
});

afterAll(async () => {
  await emulator.stop();
});

describe('query paging', () => {
  it('answers 2,000 records a batch with a nextRecordsUrl that queryMore follows to done', async () => {
    const first = await conn.query('SELECT Id, Name FROM Account');
    expect(first.totalSize).toBe(ACCOUNTS);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    // jsforce rebuilds nextRecordsUrl from the locator; on the wire it is relative.
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
    const wire = await fetch(
      `${emulator.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`,
      { headers: { authorization: `Bearer ${conn.accessToken ?? ''}` } },
    );
    expect(((await wire.json()) as { nextRecordsUrl: string }).nextRecordsUrl).toMatch(
      /^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-2000$/,
    );
    expect(first.records[0]?.attributes).toEqual({
      type: 'Account',
      url: `/services/data/v62.0/sobjects/Account/${String(first.records[0]?.['Id'])}`,
    });
    const second = await conn.queryMore(first.nextRecordsUrl ?? '');
    expect(second.records).toHaveLength(2000);
    expect(second.nextRecordsUrl).toMatch(/-4000$/);
    const last = await conn.queryMore(second.nextRecordsUrl ?? '');
    expect(last).toMatchObject({ done: true, totalSize: ACCOUNTS });
    expect(last.records).toHaveLength(500);
    expect(last.nextRecordsUrl).toBeUndefined();
    const ids = new Set([...first.records, ...second.records, ...last.records].map((r) => r['Id']));
    expect(ids.size).toBe(ACCOUNTS);
  });

  it('honours Sforce-Query-Options batchSize, clamped to 200..2000, and autoFetch walks every batch', async () => {
    emulator.requests.reset();
    const small = await conn.query('SELECT Id FROM Account', { headers: { 'Sforce-Query-Options': 'batchSize=50' } });
    expect(small.records).toHaveLength(200);
    const all = await conn.query('SELECT Id, Name FROM Account', {
      autoFetch: true,
      maxFetch: 10_000,
      headers: { 'Sforce-Query-Options': 'batchSize=1000' },
    });
    expect(all.records).toHaveLength(ACCOUNTS);
    expect(emulator.requests.count({ route: 'GET /query' })).toBe(2);
    expect(emulator.requests.count({ route: 'GET /query/{locator}' })).toBe(4);
  });

  it('keeps at most 10 cursors open: the oldest locator is released', async () => {
    const firsts = [];
    for (let i = 0; i < 11; i += 1) firsts.push(await conn.query('SELECT Id FROM Account'));
    const released = await rejectionOf<JsforceError>(conn.queryMore(firsts[0]?.nextRecordsUrl ?? ''));
    expect(released.errorCode).toBe('INVALID_QUERY_LOCATOR');
    expect((await conn.queryMore(firsts[1]?.nextRecordsUrl ?? '')).records).toHaveLength(2000);
  });

  it('answers a WHERE query in one batch and an unknown locator with INVALID_QUERY_LOCATOR', async () => {
    const result = await conn.query("SELECT Id, Name FROM Account WHERE Name = 'Account 0042'");
    expect(result).toMatchObject({ totalSize: 1, done: true });
    expect(result.records[0]?.['Name']).toBe('Account 0042');
    const error = await rejectionOf<JsforceError>(conn.queryMore('01gHs0000000000zzzAAA-2000'));
    expect(error.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('turns SOQL errors into 400 [{message, errorCode}] that jsforce raises with the errorCode', async () => {
    const malformed = await rejectionOf<JsforceError>(conn.query('SELECT Id FROM'));
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    const field = await rejectionOf<JsforceError>(conn.query('SELECT Id, Nope__c FROM Account'));
    expect(field.errorCode).toBe('INVALID_FIELD');
    const type = await rejectionOf<JsforceError>(conn.query('SELECT Id FROM Nope__c'));
    expect(type.errorCode).toBe('INVALID_TYPE');
    const raw = await fetch(`${emulator.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT FROM')}`, {
      headers: { authorization: `Bearer ${conn.accessToken ?? ''}` },
    });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(await raw.json()).toEqual([expect.objectContaining({ errorCode: 'MALFORMED_QUERY' })]);
  });

  it('serves /queryAll and lists API versions; versions below 31.0 are not found', async () => {
    const all = await conn.query("SELECT Id FROM Account WHERE Name = 'Account 0001'", { scanAll: true });
    expect(all.totalSize).toBe(1);
    const versions = (await conn.request('/services/data')) as Array<{ version: string }>;
    expect(versions.map((v) => v.version)).toContain('62.0');
    expect(versions[0]?.version).toBe('31.0');
    const old = await fetch(`${emulator.url}/services/data/v30.0/limits`, {
      headers: { authorization: `Bearer ${conn.accessToken ?? ''}` },
    });
    expect(old.status).toBe(404);
  });
});

describe('describe', () => {
  it('describes standard fields with types, references, picklists and flags', async () => {
    const opportunity = await conn.sobject('Opportunity').describe();
    expect(opportunity).toMatchObject({ name: 'Opportunity', keyPrefix: '006' });
    const field = (name: string) => opportunity.fields.find((f) => f.name === name);
    expect(field('AccountId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Account',
      nillable: true,
    });
    expect(field('StageName')).toMatchObject({ type: 'picklist', nillable: false, restrictedPicklist: true });
    expect(field('StageName')?.picklistValues?.map((p) => p.value)).toContain('Closed Won');
    expect(field('Type')?.picklistValues?.map((p) => p.value)).toContain('Existing Customer - Upgrade');
    expect(field('IsWon')).toMatchObject({ type: 'boolean', createable: false, updateable: false });
    expect(field('Amount')).toMatchObject({ type: 'currency', precision: 18, scale: 2 });
    const account = await conn.sobject('Account').describe();
    expect(account.fields.find((f) => f.name === 'OwnerId')).toMatchObject({
      referenceTo: ['User'],
      relationshipName: 'Owner',
    });
    expect(account.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'Id',
        'Name',
        'Website',
        'NumberOfEmployees',
        'AnnualRevenue',
        'Type',
        'Industry',
        'SystemModstamp',
        'LastModifiedDate',
        'CreatedDate',
      ]),
    );
    const missing = await rejectionOf<JsforceError>(conn.sobject('Nope__c').describe());
    expect(missing.errorCode).toBe('NOT_FOUND');
  });

  it('adds custom fields through addField and the Tooling API; describe and SOQL see them, a duplicate is DUPLICATE_DEVELOPER_NAME', async () => {
    emulator.addField('Account', { name: 'Health__c', type: 'double', precision: 5, scale: 1 });
    const created = (await conn.request({
      method: 'POST',
      url: '/tooling/sobjects/CustomField',
      body: JSON.stringify({
        FullName: 'Account.Expansion_Key__c',
        Metadata: { label: 'Expansion key', type: 'Text', length: 80, externalId: true, unique: true },
      }),
      headers: { 'content-type': 'application/json' },
    })) as { id: string; success: boolean };
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/^00N/);
    const fields = (await conn.sobject('Account').describe()).fields;
    expect(fields.find((f) => f.name === 'Expansion_Key__c')).toMatchObject({
      type: 'string',
      length: 80,
      externalId: true,
      unique: true,
      custom: true,
      label: 'Expansion key',
    });
    expect(fields.find((f) => f.name === 'Health__c')).toMatchObject({ type: 'double', custom: true });
    const rows = await conn.query("SELECT Id, Expansion_Key__c FROM Account WHERE Name = 'Account 0007'");
    expect(rows.records[0]?.['Expansion_Key__c']).toBeNull();
    const duplicate = await rejectionOf<JsforceError>(
      conn.request({
        method: 'POST',
        url: '/tooling/sobjects/CustomField',
        body: JSON.stringify({
          FullName: 'Account.Expansion_Key__c',
          Metadata: { label: 'Again', type: 'Text', length: 80 },
        }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(duplicate.errorCode).toBe('DUPLICATE_DEVELOPER_NAME');
  });
});

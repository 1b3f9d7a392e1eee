import type { Connection } from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../connectors/salesforce/emulator/index.ts';
import { rejectionOf } from '../support/rejection.ts';
import { connect, type JsforceError } from '../support/salesforce-emulator.ts';

let emulator: SalesforceEmulator | undefined;
let clock = 0;

async function start(): Promise<{ e: SalesforceEmulator; conn: Connection }> {
  clock = Date.parse('2026-11-20T12:00:00.000Z');
  emulator = await startSalesforceEmulator({
    now: () => clock,
    seed: {
      fields: {
        Opportunity: [{ name: 'Expansion_Key__c', type: 'string', length: 80, externalId: true, unique: true }],
        Account: [{ name: 'Legacy_Id__c', type: 'string', length: 20, externalId: true }],
      },
      accounts: [
        { Name: 'Acme', Legacy_Id__c: 'L-1' },
        { Name: 'Birch', Legacy_Id__c: 'L-2' },
        { Name: 'Birch Duplicate', Legacy_Id__c: 'l-2' },
      ],
    },
  });
  return { e: emulator, conn: await connect(emulator) };
}

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

interface Result {
  readonly id?: string;
  readonly success: boolean;
  readonly created?: boolean;
  readonly errors: ReadonlyArray<{ statusCode: string; message: string; fields: string[] }>;
}

const codes = (results: readonly Result[]) =>
  results.map((r) => (r.success ? 'ok' : r.errors.map((e) => e.statusCode).join('+')));
const accountId = (e: SalesforceEmulator, name: string) =>
  e.listRecords('Account').find((a) => a['Name'] === name)?.Id ?? '';
const opportunity = (e: SalesforceEmulator, fields: Record<string, unknown> = {}) => ({
  Name: 'Expansion',
  StageName: 'Prospecting',
  CloseDate: '2026-12-31',
  AccountId: accountId(e, 'Acme'),
  ...fields,
});

describe('sObject Collections create', () => {
  it('answers 200 with one result per record in input order, validating each against the schema', async () => {
    const { e, conn } = await start();
    const results = (await conn
      .sobject('Opportunity')
      .create([
        opportunity(e, { Amount: 1200.5, Type: 'Existing Customer - Upgrade' }),
        { Name: 'No stage' },
        opportunity(e, { StageName: 'Maybe' }),
        opportunity(e, { Colour__c: 'red' }),
        opportunity(e, { Name: 'x'.repeat(121) }),
        opportunity(e, { StageName: 'Closed Won' }),
      ])) as unknown as Result[];
    expect(codes(results)).toEqual([
      'ok',
      'REQUIRED_FIELD_MISSING',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'INVALID_FIELD',
      'STRING_TOO_LONG',
      'ok',
    ]);
    expect(results[1]?.errors[0]).toEqual({
      statusCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [StageName, CloseDate]',
      fields: ['StageName', 'CloseDate'],
    });
    expect(results[0]?.id).toMatch(/^006[A-Za-z0-9]{15}$/);
    const open = e.getRecord('Opportunity', results[0]?.id ?? '');
    expect(open).toMatchObject({
      IsClosed: false,
      IsWon: false,
      Probability: 10,
      Amount: 1200.5,
      CreatedDate: '2026-11-20T12:00:00.000Z',
      SystemModstamp: '2026-11-20T12:00:00.000Z',
    });
    expect(open?.['OwnerId']).toBe(e.listRecords('User')[0]?.Id);
    expect(e.getRecord('Opportunity', results[5]?.id ?? '')).toMatchObject({
      IsClosed: true,
      IsWon: true,
      Probability: 100,
    });
    expect(e.listRecords('Opportunity')).toHaveLength(2);
  });

  it('allOrNone rolls every record back and marks the valid ones ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const { e, conn } = await start();
    const results = (await conn
      .sobject('Opportunity')
      .create([opportunity(e), { Name: 'Bad' }, opportunity(e, { Name: 'Second' })], {
        allOrNone: true,
      })) as unknown as Result[];
    expect(codes(results)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'REQUIRED_FIELD_MISSING',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    ]);
    expect(results.every((r) => r.id === undefined)).toBe(true);
    expect(e.listRecords('Opportunity')).toHaveLength(0);
  });

  it('refuses more than 200 records with 400 EXCEEDED_ID_LIMIT; allowRecursive splits them', async () => {
    const { e, conn } = await start();
    const records = Array.from({ length: 201 }, (_, i) => ({ Name: `Bulk ${i}` }));
    const error = await rejectionOf<JsforceError>(conn.sobject('Account').create(records));
    expect(error.errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(e.listRecords('Account')).toHaveLength(3);
    const split = (await conn.sobject('Account').create(records, { allowRecursive: true })) as unknown as Result[];
    expect(split.filter((r) => r.success)).toHaveLength(201);
    expect(e.requests.count({ route: 'POST /composite/sobjects', status: 200 })).toBe(2);
  });

  it('fails records matched by failRecords with the injected status code, the others succeed', async () => {
    const { e, conn } = await start();
    const fault = e.faults.failRecords({
      object: 'Account',
      match: (r) => r['Name'] === 'Cursed',
      statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Blocked by a validation rule',
    });
    const results = (await conn
      .sobject('Account')
      .create([{ Name: 'Fine' }, { Name: 'Cursed' }])) as unknown as Result[];
    expect(codes(results)).toEqual(['ok', 'FIELD_CUSTOM_VALIDATION_EXCEPTION']);
    expect(results[1]?.errors[0]?.message).toBe('Blocked by a validation rule');
    expect(fault.hits).toBe(1);
  });
});

describe('sObject Collections update', () => {
  it('updates by Id, moves LastModifiedDate and SystemModstamp, and reports unknown ids and read-only fields per record', async () => {
    const { e, conn } = await start();
    const acme = accountId(e, 'Acme');
    clock += 60_000;
    const results = (await conn.sobject('Account').update([
      { Id: acme, Website: 'https://acme.example' },
      { Id: '001Hs0000000zzzAAA', Name: 'Ghost' },
      { Id: accountId(e, 'Birch'), SystemModstamp: '2020-01-01T00:00:00Z' },
    ])) as unknown as Result[];
    expect(codes(results)).toEqual(['ok', 'ENTITY_IS_DELETED', 'INVALID_FIELD_FOR_INSERT_UPDATE']);
    expect(e.getRecord('Account', acme)).toMatchObject({
      Website: 'https://acme.example',
      CreatedDate: '2026-11-20T12:00:00.000Z',
      SystemModstamp: '2026-11-20T12:01:00.000Z',
      LastModifiedDate: '2026-11-20T12:01:00.000Z',
    });
  });

  it('updateRecord simulates an AE edit that the next SystemModstamp query sees', async () => {
    const { e, conn } = await start();
    clock += 3_600_000;
    e.updateRecord('Account', accountId(e, 'Birch'), { Industry: 'Retail' });
    const changed = await conn.query('SELECT Id, Name FROM Account WHERE SystemModstamp > 2026-11-20T12:30:00Z');
    expect(changed.records.map((r) => r['Name'])).toEqual(['Birch']);
    expect(() => e.updateRecord('Opportunity', '006Hs0000000zzzAAA', { Name: 'x' })).toThrow(/ENTITY_IS_DELETED/);
  });
});

describe('sObject Collections upsert', () => {
  it('creates then updates on an external id, with created true/false', async () => {
    const { e, conn } = await start();
    const first = (await conn
      .sobject('Opportunity')
      .upsert(
        [
          opportunity(e, { Expansion_Key__c: 'acme:seats:2026' }),
          opportunity(e, { Expansion_Key__c: 'acme:tier:2026' }),
        ],
        'Expansion_Key__c',
      )) as unknown as Result[];
    expect(first.map((r) => r.created)).toEqual([true, true]);
    clock += 1_000;
    const second = (await conn
      .sobject('Opportunity')
      .upsert([{ Expansion_Key__c: 'ACME:SEATS:2026', Amount: 900 }], 'Expansion_Key__c')) as unknown as Result[];
    expect(second).toEqual([{ id: first[0]?.id, success: true, errors: [], created: false }]);
    expect(e.getRecord('Opportunity', first[0]?.id ?? '')).toMatchObject({
      Amount: 900,
      Expansion_Key__c: 'acme:seats:2026',
      SystemModstamp: '2026-11-20T12:00:01.000Z',
    });
    expect(e.listRecords('Opportunity')).toHaveLength(2);
    expect(e.requests.count({ route: 'PATCH /composite/sobjects/{type}/{field}', object: 'Opportunity' })).toBe(2);
  });

  it('fails every item that repeats a key within the call, and a key that matches several records', async () => {
    const { e, conn } = await start();
    const dupes = (await conn
      .sobject('Opportunity')
      .upsert(
        [
          opportunity(e, { Expansion_Key__c: 'k1' }),
          opportunity(e, { Expansion_Key__c: 'k2' }),
          opportunity(e, { Expansion_Key__c: 'K1' }),
        ],
        'Expansion_Key__c',
      )) as unknown as Result[];
    expect(codes(dupes)).toEqual(['DUPLICATE_EXTERNAL_ID', 'ok', 'DUPLICATE_EXTERNAL_ID']);
    const several = (await conn.sobject('Account').upsert(
      [
        { Legacy_Id__c: 'L-2', Website: 'https://birch.example' },
        { Legacy_Id__c: 'L-1', Website: 'https://acme.example' },
      ],
      'Legacy_Id__c',
    )) as unknown as Result[];
    expect(codes(several)).toEqual(['DUPLICATE_EXTERNAL_ID', 'ok']);
    expect(several[0]?.errors[0]?.message).toMatch(
      /^Legacy_Id__c: more than one record found for external id field: \[001/,
    );
  });

  it('refuses a key that is not an external id, an unknown field, and records of another type', async () => {
    const { conn } = await start();
    const notExternal = await rejectionOf<JsforceError>(
      conn.sobject('Account').upsert([{ Name: 'Acme', Website: 'x' }], 'Name'),
    );
    expect(notExternal.errorCode).toBe('INVALID_FIELD');
    const unknown = await rejectionOf<JsforceError>(conn.sobject('Account').upsert([{ Nope__c: 'a' }], 'Nope__c'));
    expect(unknown.errorCode).toBe('NOT_FOUND');
    const mixed = await rejectionOf<JsforceError>(
      conn.sobject('Account').upsert([{ Legacy_Id__c: 'L-9', attributes: { type: 'Opportunity' } }], 'Legacy_Id__c'),
    );
    expect(mixed.errorCode).toBe('INVALID_INPUT');
  });
});

describe('single records', () => {
  it('upserts one record by external id: 201 created, then 200 updated, 300 when several match', async () => {
    const { e, conn } = await start();
    const created = await conn
      .sobject('Opportunity')
      .upsert(opportunity(e, { Expansion_Key__c: 'acme:api:2026' }), 'Expansion_Key__c');
    expect(created).toMatchObject({ success: true });
    const again = await conn
      .sobject('Opportunity')
      .upsert({ Expansion_Key__c: 'acme:api:2026', StageName: 'Closed Lost' }, 'Expansion_Key__c');
    expect(again).toMatchObject({ success: true });
    expect(
      e.requests
        .log()
        .filter((r) => r.route === 'PATCH /sobjects/{type}/{field}/{value}')
        .map((r) => r.status),
    ).toEqual([201, 200]);
    expect(e.listRecords('Opportunity')).toEqual([
      expect.objectContaining({ StageName: 'Closed Lost', IsClosed: true, IsWon: false, Probability: 0 }),
    ]);
    const token = conn.accessToken ?? '';
    const several = await fetch(`${e.url}/services/data/v62.0/sobjects/Account/Legacy_Id__c/L-2`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"Website":"x"}',
    });
    expect(several.status).toBe(300);
  });

  it('creates (201), reads and updates (204) one record; a failed create is a 400 error array', async () => {
    const { conn } = await start();
    const created = await conn
      .sobject('Task')
      .create({ Subject: 'Call', WhatId: undefined, ActivityDate: '2026-12-01' });
    expect(created).toMatchObject({ success: true });
    const id = created.id ?? '';
    expect(id.startsWith('00T')).toBe(true);
    const task = await conn.sobject('Task').retrieve(id);
    expect(task).toMatchObject({ Subject: 'Call', Status: 'Not Started', ActivityDate: '2026-12-01' });
    expect(String(task['CreatedDate'])).toBe('2026-11-20T12:00:00.000+0000');
    await expect(conn.sobject('Task').update({ Id: id, Status: 'Completed' })).resolves.toMatchObject({
      success: true,
    });
    expect((await conn.sobject('Task').retrieve(id))['Status']).toBe('Completed');
    const bad = await rejectionOf<JsforceError>(conn.sobject('Task').create({ Status: 'Sleeping' }));
    expect(bad.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const missing = await rejectionOf<JsforceError>(conn.sobject('Task').retrieve('00THs0000000zzzAAA'));
    expect(missing.errorCode).toBe('NOT_FOUND');
  });

  it('links a ContentNote to a record with a ContentDocumentLink, checking the reference types', async () => {
    const { e, conn } = await start();
    const note = await conn
      .sobject('ContentNote')
      .create({ Title: 'Evidence', Content: Buffer.from('<p>Seats at 96%</p>').toString('base64') });
    const link = await conn
      .sobject('ContentDocumentLink')
      .create({ ContentDocumentId: note.id, LinkedEntityId: accountId(e, 'Acme'), ShareType: 'V' });
    expect(link.success).toBe(true);
    expect(e.listRecords('ContentDocumentLink')[0]).toMatchObject({
      ContentDocumentId: note.id,
      Visibility: 'AllUsers',
    });
    const wrong = await rejectionOf<JsforceError>(
      conn
        .sobject('ContentDocumentLink')
        .create({ ContentDocumentId: accountId(e, 'Acme'), LinkedEntityId: accountId(e, 'Acme') }),
    );
    expect(wrong.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });
});

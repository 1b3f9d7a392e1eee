import type { Connection } from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import {
  seededUserId,
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../../connectors/salesforce/emulator/index.ts';
import { rejectionOf } from '../support/rejection.ts';
import { API_VERSION, connect, type JsforceError } from '../support/salesforce-emulator.ts';

let emulator: SalesforceEmulator | undefined;

async function start(): Promise<{ e: SalesforceEmulator; conn: Connection }> {
  emulator = await startSalesforceEmulator({
    now: () => Date.parse('2026-11-20T12:00:00.000Z'),
    seed: {
      users: [
        { Username: 'ae@acme.example', FirstName: 'Ada', LastName: 'Exec', Email: 'ae@acme.example', IsActive: true },
      ],
      fields: { Account: [{ name: 'Legacy_Id__c', type: 'string', length: 20, externalId: true, unique: true }] },
      accounts: ['Acme', 'Birch', 'Cedar', 'Delta', 'Elm'].map((Name, i) => ({
        Name,
        Legacy_Id__c: `L-${i + 1}`,
        Website: `${Name.toLowerCase()}.example`,
        OwnerId: seededUserId(0),
      })),
    },
  });
  return { e: emulator, conn: await connect(emulator) };
}

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const FAST = { pollInterval: 5, pollTimeout: 5_000 };
const idOf = (e: SalesforceEmulator, name: string): string =>
  e.listRecords('Account').find((a) => a['Name'] === name)?.Id ?? '';
type Row = Readonly<Record<string, string>>;
const rows = (list: unknown): Row[] => list as Row[];
const base = (e: SalesforceEmulator) => `${e.url}/services/data/v${API_VERSION}/jobs`;

describe('Bulk API 2.0 ingest through jsforce bulk2', () => {
  it('updates by Id: successfulResults and failedResults as documented, #N/A clears, an empty cell leaves the value', async () => {
    const { e, conn } = await start();
    e.faults.failRecords({
      object: 'Account',
      operations: ['update'],
      match: (r) => r['Name'] === 'Birch 2',
      message: 'Website must be set',
      fields: ['Website'],
    });
    const result = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'update',
      input: [
        { Id: idOf(e, 'Acme'), Name: 'Acme 2', Website: null },
        { Id: idOf(e, 'Birch'), Name: 'Birch 2', Website: 'b.example' },
        { Id: idOf(e, 'Cedar'), Name: 'Cedar 2' },
      ],
      ...FAST,
    });
    expect(
      rows(result.successfulResults)
        .map((r) => [r['sf__Id'], r['sf__Created'], r['Name']])
        .sort(),
    ).toEqual([
      [idOf(e, 'Acme 2'), 'false', 'Acme 2'],
      [idOf(e, 'Cedar 2'), 'false', 'Cedar 2'],
    ]);
    expect(result.failedResults).toEqual([
      {
        sf__Id: idOf(e, 'Birch'),
        sf__Error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION:Website must be set:Website --',
        Id: idOf(e, 'Birch'),
        Name: 'Birch 2',
        Website: 'b.example',
      },
    ]);
    expect(result.unprocessedRecords).toEqual([]);
    expect(e.getRecord('Account', idOf(e, 'Acme 2'))?.['Website']).toBeNull();
    expect(e.getRecord('Account', idOf(e, 'Cedar 2'))?.['Website']).toBe('cedar.example');
    expect(e.getRecord('Account', idOf(e, 'Birch'))?.['Website']).toBe('birch.example');
  });

  it('upserts by external id: created and updated rows, a validation failure with no sf__Id', async () => {
    const { e, conn } = await start();
    e.faults.failRecords({
      object: 'Account',
      match: (r) => r['Name'] === 'Cursed',
      statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Blocked: by a rule',
    });
    const result = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'upsert',
      externalIdFieldName: 'Legacy_Id__c',
      input: [
        { Legacy_Id__c: 'L-1', Name: 'Acme Renamed' },
        { Legacy_Id__c: 'L-99', Name: 'Fresh' },
        { Legacy_Id__c: 'L-100', Name: 'Cursed' },
      ],
      ...FAST,
    });
    const byKey = new Map(rows(result.successfulResults).map((r) => [r['Legacy_Id__c'], r]));
    expect(byKey.get('L-1')?.['sf__Created']).toBe('false');
    expect(byKey.get('L-1')?.['sf__Id']).toBe(idOf(e, 'Acme Renamed'));
    expect(byKey.get('L-99')?.['sf__Created']).toBe('true');
    expect(e.getRecord('Account', byKey.get('L-99')?.['sf__Id'] ?? '')?.['Name']).toBe('Fresh');
    expect(rows(result.failedResults).map((r) => [r['sf__Id'], r['sf__Error'], r['Legacy_Id__c']])).toEqual([
      ['', 'FIELD_CUSTOM_VALIDATION_EXCEPTION:Blocked: by a rule: --', 'L-100'],
    ]);
    expect(e.listRecords('Account')).toHaveLength(6);
  });

  it('answers InProgress to the first poll after close, then JobComplete with counts; every call is metered', async () => {
    const { e, conn } = await start();
    const used = e.dailyUsage().used;
    const job = conn.bulk2.createJob({ object: 'Account', operation: 'insert', lineEnding: 'LF' });
    const opened = await job.open();
    expect(opened).toMatchObject({
      state: 'Open',
      operation: 'insert',
      object: 'Account',
      contentType: 'CSV',
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
      apiVersion: 62,
    });
    expect(opened.id).toMatch(/^750/);
    await job.uploadData('Name,Website\nFir,fir.example\n"Oak, Inc",\n');
    await job.close();
    expect((await job.check()).state).toBe('InProgress');
    const done = await job.check();
    expect(done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
    expect(e.listRecords('Account').map((a) => a['Name'])).toContain('Oak, Inc');
    // open, upload, close and two polls: five calls against the daily allocation.
    expect(e.dailyUsage().used - used).toBe(5);
    expect(e.requests.count({ path: `/services/data/v${API_VERSION}/jobs/ingest/${opened.id}/batches` })).toBe(1);
  });

  it('refuses a wrong state transition with 400 INVALIDJOBSTATE, and data for a closed job', async () => {
    const { e, conn } = await start();
    const job = conn.bulk2.createJob({ object: 'Account', operation: 'insert' });
    const { id } = await job.open();
    await job.uploadData('Name\nFir\n');
    await job.close();
    const again = await rejectionOf<JsforceError>(job.close());
    expect(again.errorCode).toBe('INVALIDJOBSTATE');
    const put = await fetch(`${base(e)}/ingest/${id}/batches`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${conn.accessToken ?? ''}`, 'content-type': 'text/csv' },
      body: 'Name\nLate\n',
    });
    expect(put.status).toBe(400);
    expect(await put.json()).toEqual([
      { errorCode: 'INVALIDJOBSTATE', message: 'Unable to upload data to a job in state UploadComplete' },
    ]);
    await job.poll(5, 5_000);
    expect((await rejectionOf<JsforceError>(job.abort())).errorCode).toBe('INVALIDJOBSTATE');
  });

  it('an aborted job writes nothing and lists its rows in unprocessedrecords', async () => {
    const { e, conn } = await start();
    const job = conn.bulk2.createJob({ object: 'Account', operation: 'insert' });
    await job.open();
    await job.uploadData('Name,Website\nFir,fir.example\n');
    await job.abort();
    expect(job.getInfo().state).toBe('Aborted');
    expect(await job.getUnprocessedRecords()).toEqual([{ Name: 'Fir', Website: 'fir.example' }]);
    expect(e.listRecords('Account')).toHaveLength(5);
  });

  it('fails the whole job when a column names no field', async () => {
    const { conn } = await start();
    const failure = await rejectionOf<Error>(
      conn.bulk2.loadAndWaitForResults({
        object: 'Account',
        operation: 'insert',
        input: 'Name,Colour__c\nFir,red\n',
        ...FAST,
      }),
    );
    expect(failure.message).toContain('InvalidBatch : Field name not found : Colour__c');
  });
});

describe('Bulk API 2.0 query', () => {
  it('pages results by maxRecords and Sforce-Locator, with parent fields as Owner.Name columns', async () => {
    const { e, conn } = await start();
    const auth = { authorization: `Bearer ${conn.accessToken ?? ''}` };
    const created = await fetch(`${base(e)}/query`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'query', query: 'SELECT Id, Name, Owner.Name FROM Account ORDER BY Name' }),
    });
    const info = (await created.json()) as { id: string; state: string };
    expect(info.state).toBe('UploadComplete');
    expect(
      ((await (await fetch(`${base(e)}/query/${info.id}`, { headers: auth })).json()) as { state: string }).state,
    ).toBe('JobComplete');
    const pages: string[] = [];
    let locator = '';
    do {
      const res = await fetch(
        `${base(e)}/query/${info.id}/results?maxRecords=2${locator ? `&locator=${locator}` : ''}`,
        { headers: auth },
      );
      expect(res.headers.get('content-type')).toBe('text/csv');
      expect(Number(res.headers.get('sforce-numberofrecords'))).toBe(pages.length < 2 ? 2 : 1);
      pages.push(await res.text());
      locator = res.headers.get('sforce-locator') ?? 'null';
    } while (locator !== 'null');
    expect(pages).toHaveLength(3);
    expect(pages[0]).toBe(
      `"Id","Name","Owner.Name"\n"${idOf(e, 'Acme')}","Acme","Ada Exec"\n"${idOf(e, 'Birch')}","Birch","Ada Exec"\n`,
    );
    expect(pages[2]).toBe(`"Id","Name","Owner.Name"\n"${idOf(e, 'Elm')}","Elm","Ada Exec"\n`);
  });

  it('serves conn.bulk2.query as a record stream', async () => {
    const { conn } = await start();
    conn.bulk2.pollInterval = 5;
    const stream = await conn.bulk2.query("SELECT Name, Website FROM Account WHERE Name LIKE '%e%' ORDER BY Name");
    const records: unknown[] = [];
    for await (const record of stream) records.push(record);
    expect(records).toEqual([
      { Name: 'Acme', Website: 'acme.example' },
      { Name: 'Cedar', Website: 'cedar.example' },
      { Name: 'Delta', Website: 'delta.example' },
      { Name: 'Elm', Website: 'elm.example' },
    ]);
  });

  it('refuses a malformed query when the job is created', async () => {
    const { conn } = await start();
    const error = await rejectionOf<JsforceError>(conn.bulk2.query('SELECT Nope FROM Account'));
    expect(error.errorCode).toBe('INVALID_FIELD');
  });
});

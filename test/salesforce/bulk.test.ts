import { afterEach, describe, expect, it } from 'vitest';
import { bulkWrite, parseBulkError } from '../../connectors/salesforce/bulk.ts';
import { createSalesforceClient, type SalesforceClient } from '../../connectors/salesforce/client.ts';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../connectors/salesforce/emulator/index.ts';
import { silentLogger } from '../../src/logger.ts';
import '../support/salesforce-emulator.ts';

const USER = {
  Username: 'integration@acme.example',
  FirstName: 'Integration',
  LastName: 'User',
  Email: 'integration@acme.example',
  IsActive: true,
};

let emulator: SalesforceEmulator | undefined;
let client: SalesforceClient | undefined;
afterEach(async () => {
  await client?.stop();
  await emulator?.stop();
  client = undefined;
  emulator = undefined;
});

async function start(accounts: number): Promise<{ e: SalesforceEmulator; c: SalesforceClient }> {
  emulator = await startSalesforceEmulator({
    seed: {
      users: [USER],
      fields: {
        Account: [
          { name: 'Legacy_Id__c', type: 'string', length: 20, externalId: true, unique: true },
          { name: 'Expansion_Score__c', type: 'double', precision: 18, scale: 2 },
        ],
      },
      accounts: Array.from({ length: accounts }, (_, i) => ({
        Name: `Account ${i}`,
        Legacy_Id__c: `L-${i}`,
        Website: `a${i}.example`,
      })),
    },
  });
  const e = emulator;
  client = createSalesforceClient({
    auth: { flow: 'client_credentials', loginUrl: e.url, clientId: e.clientId, clientSecret: e.clientSecret },
    apiVersion: '62.0',
    log: silentLogger(),
    sleep: async () => {},
  });
  return { e, c: client };
}

const FAST = { pollIntervalMs: 5, pollTimeoutMs: 10_000 };

describe('bulkWrite (Bulk API 2.0 ingest through jsforce)', () => {
  it('1,000 account updates with one rejected record: 999 updated and 1 failed with the CRM message, matched by Id', async () => {
    const { e, c } = await start(1_000);
    const accounts = e.listRecords('Account');
    e.faults.failRecords({
      object: 'Account',
      match: (r) => r['Expansion_Score__c'] === '500',
      statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Score: needs an owner',
      fields: ['Expansion_Score__c'],
    });
    const records = accounts.map((a, i) => ({
      Id: a.Id,
      Expansion_Score__c: i,
      ...(i === 1 ? { Website: null } : {}),
    }));
    const refs = accounts.map((a) => `ref-${a.Id}`);
    const outcomes = await bulkWrite({ client: c, object: 'Account', operation: 'update', records, refs, ...FAST });
    expect(outcomes).toHaveLength(1_000);
    expect(outcomes.map((o) => o.ref)).toEqual(refs);
    expect(outcomes.filter((o) => o.status === 'updated')).toHaveLength(999);
    const failed = outcomes.filter((o) => o.status === 'failed');
    expect(failed).toEqual([
      {
        ref: `ref-${accounts[500]?.Id ?? ''}`,
        status: 'failed',
        code: 'salesforce_field_custom_validation_exception',
        message: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Score: needs an owner',
        retryable: false,
      },
    ]);
    expect(outcomes[7]).toEqual({ ref: refs[7], status: 'updated', crmId: accounts[7]?.Id });
    expect(e.getRecord('Account', accounts[7]?.Id ?? '')?.['Expansion_Score__c']).toBe(7);
    expect(e.getRecord('Account', accounts[1]?.Id ?? '')?.['Website']).toBeNull();
    expect(e.getRecord('Account', accounts[2]?.Id ?? '')?.['Website']).toBe('a2.example');
    expect(e.getRecord('Account', accounts[500]?.Id ?? '')?.['Expansion_Score__c']).toBeNull();
    expect(e.requests.count({ method: 'PUT' })).toBe(1);
  });

  it('upserts by external id: new keys are created, existing ones updated', async () => {
    const { e, c } = await start(3);
    const outcomes = await bulkWrite({
      client: c,
      object: 'Account',
      operation: 'upsert',
      externalIdField: 'Legacy_Id__c',
      records: [
        { Legacy_Id__c: 'L-NEW', Name: 'Newco' },
        { Legacy_Id__c: 'L-1', Name: 'Account One Renamed' },
      ],
      refs: ['new', 'existing'],
      ...FAST,
    });
    const created = e.listRecords('Account').find((a) => a['Legacy_Id__c'] === 'L-NEW');
    expect(outcomes).toEqual([
      { ref: 'new', status: 'created', crmId: created?.Id },
      {
        ref: 'existing',
        status: 'updated',
        crmId: e.listRecords('Account').find((a) => a['Legacy_Id__c'] === 'L-1')?.Id,
      },
    ]);
    expect(created?.['Name']).toBe('Newco');
    expect(e.listRecords('Account').find((a) => a['Legacy_Id__c'] === 'L-1')?.['Name']).toBe('Account One Renamed');
  });

  it('a record the job reports nothing for is unconfirmed and retryable', async () => {
    const { c } = await start(1);
    const outcomes = await bulkWrite({
      client: c,
      object: 'Account',
      operation: 'upsert',
      externalIdField: 'Legacy_Id__c',
      records: [{ Name: 'No key' }, { Legacy_Id__c: 'L-0', Name: 'Keyed' }],
      refs: ['a', 'b'],
      ...FAST,
    });
    expect(outcomes[0]).toMatchObject({ ref: 'a', status: 'failed', code: 'salesforce_unconfirmed', retryable: true });
    expect(outcomes[1]).toMatchObject({ ref: 'b', status: 'updated' });
  });
});

describe('parseBulkError', () => {
  it('splits STATUS_CODE:message:fields --, keeping colons in the message', () => {
    expect(parseBulkError('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --')).toEqual({
      statusCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name]',
    });
    expect(parseBulkError('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record: --')).toEqual({
      statusCode: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access to this record',
    });
  });
});

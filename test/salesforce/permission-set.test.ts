import type { Connection } from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import { createSalesforceClient, type SalesforceClient } from '../../connectors/salesforce/client.ts';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../connectors/salesforce/emulator/index.ts';
import { ensureFieldAccess, type FieldRef } from '../../connectors/salesforce/permission-set.ts';
import { isSyncError } from '../../src/errors.ts';
import { silentLogger } from '../../src/logger.ts';
import { rejectionOf } from '../support/rejection.ts';
import { API_VERSION, connect, type JsforceError } from '../support/salesforce-emulator.ts';

const USERNAME = 'integration@acme.example';
const FIELDS: readonly FieldRef[] = [
  { object: 'Account', name: 'Expansion_Score__c' },
  { object: 'Account', name: 'Expansion_Health__c' },
  { object: 'Opportunity', name: 'Expansion_Key__c' },
];

let emulator: SalesforceEmulator | undefined;
let client: SalesforceClient | undefined;
afterEach(async () => {
  await client?.stop();
  await emulator?.stop();
  client = undefined;
  emulator = undefined;
});

async function start(): Promise<{ e: SalesforceEmulator; c: SalesforceClient }> {
  emulator = await startSalesforceEmulator({
    seed: {
      users: [
        { Username: USERNAME, FirstName: 'Integration', LastName: 'User', Email: USERNAME },
        { Username: 'ae@acme.example', LastName: 'Executive', Email: 'ae@acme.example' },
      ],
      fields: {
        Account: [
          { name: 'Expansion_Score__c', type: 'double', precision: 5, scale: 2 },
          { name: 'Expansion_Health__c', type: 'string', length: 40 },
        ],
        Opportunity: [{ name: 'Expansion_Key__c', type: 'string', length: 80, externalId: true, unique: true }],
      },
    },
  });
  const auth = {
    flow: 'client_credentials' as const,
    loginUrl: emulator.url,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
  };
  client = createSalesforceClient({ auth, apiVersion: API_VERSION, log: silentLogger(), sleep: async () => {} });
  return { e: emulator, c: client };
}

const userId = (e: SalesforceEmulator): string =>
  e.listRecords('User').find((u) => u['Username'] === USERNAME)?.Id ?? '';

describe('ensureFieldAccess (real jsforce against the emulator)', () => {
  it('creates the permission set, one read+edit FieldPermissions per field and the assignment to the session user', async () => {
    const { e, c } = await start();
    const result = await ensureFieldAccess({ client: c, fields: FIELDS, dryRun: false });
    expect(result).toEqual({
      created: [
        'permission set Expansion_Sync',
        'field access Account.Expansion_Score__c',
        'field access Account.Expansion_Health__c',
        'field access Opportunity.Expansion_Key__c',
        `assignment to ${USERNAME}`,
      ],
      existing: [],
      missing: [],
    });
    const [set, ...others] = e.listRecords('PermissionSet');
    expect(others).toHaveLength(0);
    expect(set).toMatchObject({ Name: 'Expansion_Sync', Label: 'Expansion Sync', IsOwnedByProfile: false });
    expect(set?.Id).toMatch(/^0PS/);
    const grants = e.listRecords('FieldPermissions').map((g) => ({
      ParentId: g['ParentId'],
      SobjectType: g['SobjectType'],
      Field: g['Field'],
      PermissionsRead: g['PermissionsRead'],
      PermissionsEdit: g['PermissionsEdit'],
    }));
    expect(grants).toEqual(
      FIELDS.map((f) => ({
        ParentId: set?.Id,
        SobjectType: f.object,
        Field: `${f.object}.${f.name}`,
        PermissionsRead: true,
        PermissionsEdit: true,
      })),
    );
    expect(e.listRecords('PermissionSetAssignment')).toEqual([
      expect.objectContaining({ AssigneeId: userId(e), PermissionSetId: set?.Id }),
    ]);
    // One create for the set, one collection call for the three grants, one for the assignment.
    expect(e.requests.writes()).toBe(3);
  });

  it('a second call creates nothing and makes zero write calls', async () => {
    const { e, c } = await start();
    await ensureFieldAccess({ client: c, fields: FIELDS, dryRun: false });
    e.reset();
    const again = await ensureFieldAccess({ client: c, fields: FIELDS, dryRun: false });
    expect(again.created).toEqual([]);
    expect(again.missing).toEqual([]);
    expect(again.existing).toEqual([
      'permission set Expansion_Sync',
      'field access Account.Expansion_Score__c',
      'field access Account.Expansion_Health__c',
      'field access Opportunity.Expansion_Key__c',
      `assignment to ${USERNAME}`,
    ]);
    expect(e.requests.writes()).toBe(0);
    expect(e.listRecords('FieldPermissions')).toHaveLength(3);
    expect(e.listRecords('PermissionSetAssignment')).toHaveLength(1);
  });

  it('a dry run writes nothing and lists everything that is missing', async () => {
    const { e, c } = await start();
    const result = await ensureFieldAccess({ client: c, fields: FIELDS, dryRun: true });
    expect(result).toEqual({
      created: [],
      existing: [],
      missing: [
        'permission set Expansion_Sync',
        'field access Account.Expansion_Score__c',
        'field access Account.Expansion_Health__c',
        'field access Opportunity.Expansion_Key__c',
        `assignment to ${USERNAME}`,
      ],
    });
    expect(e.requests.writes()).toBe(0);
    expect(e.listRecords('PermissionSet')).toHaveLength(0);
  });

  it('a set that already grants some fields gets only the rest; a read-only grant is raised to edit', async () => {
    const { e, c } = await start();
    const setId = e.createRecord('PermissionSet', { Name: 'Expansion_Sync', Label: 'Expansion Sync' });
    e.createRecord('FieldPermissions', {
      ParentId: setId,
      SobjectType: 'Account',
      Field: 'Account.Expansion_Score__c',
      PermissionsRead: true,
      PermissionsEdit: true,
    });
    const readOnly = e.createRecord('FieldPermissions', {
      ParentId: setId,
      SobjectType: 'Opportunity',
      Field: 'Opportunity.Expansion_Key__c',
      PermissionsRead: true,
    });
    e.createRecord('PermissionSetAssignment', { AssigneeId: userId(e), PermissionSetId: setId });

    const dry = await ensureFieldAccess({ client: c, fields: FIELDS, dryRun: true });
    expect(dry.missing).toEqual([
      'field access Account.Expansion_Health__c',
      'field access Opportunity.Expansion_Key__c',
    ]);
    expect(e.requests.writes()).toBe(0);

    const result = await ensureFieldAccess({ client: c, fields: FIELDS, dryRun: false });
    expect(result).toEqual({
      created: ['field access Account.Expansion_Health__c', 'field access Opportunity.Expansion_Key__c'],
      existing: [
        'permission set Expansion_Sync',
        'field access Account.Expansion_Score__c',
        `assignment to ${USERNAME}`,
      ],
      missing: [],
    });
    expect(e.listRecords('PermissionSet')).toHaveLength(1);
    expect(e.listRecords('FieldPermissions')).toHaveLength(3);
    expect(e.getRecord('FieldPermissions', readOnly)).toMatchObject({ PermissionsRead: true, PermissionsEdit: true });
    expect(e.requests.writes()).toBe(2);
  });

  it('with no fields to grant it asks nothing of Salesforce', async () => {
    const { e, c } = await start();
    expect(await ensureFieldAccess({ client: c, fields: [], dryRun: false })).toEqual({
      created: [],
      existing: [],
      missing: [],
    });
    expect(e.requests.count({})).toBe(0);
  });

  it('a field Salesforce will not grant fails the call naming it, after granting the others', async () => {
    const { e, c } = await start();
    const fields = [...FIELDS, { object: 'Account', name: 'No_Such_Field__c' }];
    const error = await ensureFieldAccess({ client: c, fields, dryRun: false }).catch((thrown: unknown) => thrown);
    expect(isSyncError(error) && error.code).toBe('salesforce_field_access_failed');
    expect(String((error as Error).message)).toContain(
      'field access Account.No_Such_Field__c (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    );
    expect(e.listRecords('FieldPermissions')).toHaveLength(3);
    expect(e.listRecords('PermissionSetAssignment')).toHaveLength(1);
  });
});

describe('emulator permission objects', () => {
  async function direct(): Promise<{ e: SalesforceEmulator; conn: Connection; setId: string }> {
    const { e } = await start();
    const conn = await connect(e);
    const created = await conn.sobject('PermissionSet').create({ Name: 'Expansion_Sync', Label: 'Expansion Sync' });
    return { e, conn, setId: created.id ?? '' };
  }

  it('assigning the same user the same set twice fails with DUPLICATE_VALUE', async () => {
    const { e, conn, setId } = await direct();
    await conn.sobject('PermissionSetAssignment').create({ AssigneeId: userId(e), PermissionSetId: setId });
    const error = await rejectionOf<JsforceError>(
      conn.sobject('PermissionSetAssignment').create({ AssigneeId: userId(e), PermissionSetId: setId }),
    );
    expect(error.errorCode).toBe('DUPLICATE_VALUE');
    expect(e.listRecords('PermissionSetAssignment')).toHaveLength(1);
  });

  it('permission set names are unique developer names; IsOwnedByProfile is false and read-only', async () => {
    const { e, conn } = await direct();
    expect(
      (
        await rejectionOf<JsforceError>(
          conn.sobject('PermissionSet').create({ Name: 'expansion_sync', Label: 'Again' }),
        )
      ).errorCode,
    ).toBe('DUPLICATE_VALUE');
    expect(
      (await rejectionOf<JsforceError>(conn.sobject('PermissionSet').create({ Name: 'Bad Name', Label: 'Bad' })))
        .errorCode,
    ).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect(
      (
        await rejectionOf<JsforceError>(
          conn.sobject('PermissionSet').create({ Name: 'Other', Label: 'Other', IsOwnedByProfile: true }),
        )
      ).errorCode,
    ).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const rows = await conn.query<{ Name: string; IsOwnedByProfile: boolean }>(
      'SELECT Name, IsOwnedByProfile FROM PermissionSet WHERE IsOwnedByProfile = false',
    );
    expect(rows.records.map((r) => [r.Name, r.IsOwnedByProfile])).toEqual([['Expansion_Sync', false]]);
    expect(e.listRecords('PermissionSet')).toHaveLength(1);
  });

  it('FieldPermissions: edit requires read, the field must exist on the object, and the API spelling is stored', async () => {
    const { conn, setId } = await direct();
    const grant = (fields: Record<string, unknown>) => ({
      ParentId: setId,
      SobjectType: 'Account',
      Field: 'Account.Expansion_Score__c',
      ...fields,
    });
    const results = (await conn
      .sobject('FieldPermissions')
      .create(
        [
          grant({ PermissionsEdit: true }),
          grant({ Field: 'Account.Nope__c', PermissionsRead: true }),
          grant({ SobjectType: 'Opportunity', PermissionsRead: true }),
          grant({ Field: 'account.expansion_score__c', PermissionsRead: true, PermissionsEdit: true }),
          grant({ PermissionsRead: true }),
        ],
        { allOrNone: false },
      )) as unknown as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>;
    expect(results.map((r) => (r.success ? 'ok' : r.errors[0]?.statusCode))).toEqual([
      'FIELD_INTEGRITY_EXCEPTION',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'ok',
      'DUPLICATE_VALUE',
    ]);
    const rows = await conn.query<{ Field: string; Parent: { Name: string } }>(
      `SELECT Field, Parent.Name FROM FieldPermissions WHERE ParentId = '${setId}'`,
    );
    expect(rows.records.map((r) => [r.Field, r.Parent.Name])).toEqual([
      ['Account.Expansion_Score__c', 'Expansion_Sync'],
    ]);
  });
});

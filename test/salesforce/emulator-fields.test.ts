import { afterEach, describe, expect, it } from 'vitest';
import { connect, type JsforceError } from '../support/salesforce-emulator.ts';
import { startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';

/**
 * The emulator's Setup controls the schema-drift contract tests use (test/contract/schema-drift.ts): an admin
 * deletes, retypes, shortens or locks a field, and describe, SOQL and the stored values follow.
 */

let harness: SalesforceHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Salesforce emulator field controls', () => {
  it('deleteField takes a custom field out of describe and SOQL, with its values; updateField retypes, shortens and locks', async () => {
    harness = await startSalesforceHarness();
    const conn = await connect(harness.emulator);
    const id = harness.accountId('acme.example');
    harness.emulator.deleteField('Account', 'plan__c'); // names are case-insensitive
    const describe = await conn.request<{ fields: Array<{ name: string }> }>('/sobjects/Account/describe');
    expect(describe.fields.map((f) => f.name)).not.toContain('Plan__c');
    expect(harness.emulator.getRecord('Account', id)).not.toHaveProperty('Plan__c');
    const error = (await conn.query('SELECT Id, Plan__c FROM Account').then(
      () => undefined,
      (e: unknown) => e,
    )) as JsforceError | undefined;
    expect(error?.errorCode).toBe('INVALID_FIELD');
    expect(error?.message).toMatch(/No such column 'Plan__c' on entity 'Account'/);
    expect(() => harness!.emulator.deleteField('Account', 'Name')).toThrow(/cannot be deleted/);

    harness.emulator.updateField('Account', 'Modules_Owned__c', { length: 3 });
    harness.emulator.updateField('Account', 'NumberOfEmployees', { updateable: false });
    harness.emulator.updateField('Account', 'Licensed_Seats__c', {
      type: 'picklist',
      picklistValues: [{ value: '50' }, { value: '40' }],
    });
    const fields = new Map(
      (
        await conn.request<{
          fields: Array<{
            name: string;
            type: string;
            length: number;
            updateable: boolean;
            picklistValues: Array<{ value: string }>;
          }>;
        }>('/sobjects/Account/describe')
      ).fields.map((f) => [f.name, f]),
    );
    expect(fields.get('Modules_Owned__c')).toMatchObject({ type: 'string', length: 3 });
    expect(fields.get('NumberOfEmployees')).toMatchObject({ updateable: false });
    expect(fields.get('Licensed_Seats__c')).toMatchObject({
      type: 'picklist',
      length: 255,
      picklistValues: [{ value: '50' }, { value: '40' }],
    });
    // Stored values follow the new definition: cut to the new length, numbers now picklist text.
    expect(harness.emulator.getRecord('Account', id)).toMatchObject({
      Modules_Owned__c: 'cor',
      Licensed_Seats__c: '50',
    });
    expect(() => harness!.emulator.updateRecord('Account', id, { Modules_Owned__c: 'core' })).toThrow(
      /STRING_TOO_LONG/,
    );
    await expect(conn.sobject('Account').update({ Id: id, NumberOfEmployees: 5 })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    });
  }, 20_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import { connect, type JsforceError } from '../support/salesforce-emulator.ts';
import { startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';
import type { Assessment } from '../../src/model/assessment.ts';
import type { StoredAssessment } from '../../src/state/store.ts';

/**
 * The org's fields change between runs (an admin deletes, retypes or shortens one, or takes away edit
 * access): the next sync describes the objects again, switches off only the rules that no longer fit,
 * says what changed since the last run, cuts or drops values the field cannot take, and still writes
 * everything else (src/engine/schema-guard.ts). Fields are changed with the emulator's `deleteField` and
 * `updateField`, as Setup would.
 */

const HOUR = 3_600_000;

let harness: SalesforceHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** One field of every Account, by Website (the harness's domains). */
const values = (h: SalesforceHarness, field: string) => Object.fromEntries(h.emulator.listRecords('Account').map((a) => [String(a['Website']), a[field] ?? null]));
const filled = (record: Record<string, unknown>) => Object.values(record).filter((v) => v !== null && v !== '').length;

/** Clears a field on every Account, as an admin's mass update would (an hour later, so the incremental read sees it). */
function clearAll(h: SalesforceHarness, field: string): void {
  h.advance(HOUR);
  for (const a of h.emulator.listRecords('Account')) h.emulator.updateRecord('Account', a.Id, { [field]: null });
}

/** The inputs the stored assessment was scored without (`assessment` is stored as JSON). */
const missingOf = (a: StoredAssessment): readonly string[] => (a.assessment as Assessment).missing;

describe('Salesforce emulator field controls', () => {
  it('deleteField takes a custom field out of describe and SOQL, with its values; updateField retypes, shortens and locks', async () => {
    harness = await startSalesforceHarness();
    const conn = await connect(harness.emulator);
    const id = harness.accountId('acme.example');
    harness.emulator.deleteField('Account', 'plan__c'); // names are case-insensitive
    const describe = await conn.request<{ fields: Array<{ name: string }> }>('/sobjects/Account/describe');
    expect(describe.fields.map((f) => f.name)).not.toContain('Plan__c');
    expect(harness.emulator.getRecord('Account', id)).not.toHaveProperty('Plan__c');
    const error = (await conn.query('SELECT Id, Plan__c FROM Account').then(() => undefined, (e: unknown) => e)) as JsforceError | undefined;
    expect(error?.errorCode).toBe('INVALID_FIELD');
    expect(error?.message).toMatch(/No such column 'Plan__c' on entity 'Account'/);
    expect(() => harness!.emulator.deleteField('Account', 'Name')).toThrow(/cannot be deleted/);

    harness.emulator.updateField('Account', 'Modules_Owned__c', { length: 3 });
    harness.emulator.updateField('Account', 'NumberOfEmployees', { updateable: false });
    harness.emulator.updateField('Account', 'Licensed_Seats__c', { type: 'picklist', picklistValues: [{ value: '50' }, { value: '40' }] });
    const fields = new Map((await conn.request<{ fields: Array<{ name: string; type: string; length: number; updateable: boolean; picklistValues: Array<{ value: string }> }> }>('/sobjects/Account/describe')).fields.map((f) => [f.name, f]));
    expect(fields.get('Modules_Owned__c')).toMatchObject({ type: 'string', length: 3 });
    expect(fields.get('NumberOfEmployees')).toMatchObject({ updateable: false });
    expect(fields.get('Licensed_Seats__c')).toMatchObject({ type: 'picklist', length: 255, picklistValues: [{ value: '50' }, { value: '40' }] });
    // Stored values follow the new definition: cut to the new length, numbers now picklist text.
    expect(harness.emulator.getRecord('Account', id)).toMatchObject({ Modules_Owned__c: 'cor', Licensed_Seats__c: '50' });
    expect(() => harness!.emulator.updateRecord('Account', id, { Modules_Owned__c: 'core' })).toThrow(/STRING_TOO_LONG/);
    await expect(conn.sobject('Account').update({ Id: id, NumberOfEmployees: 5 })).rejects.toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
  }, 20_000);
});

describe('schema drift between runs (Salesforce)', () => {
  it('a deleted read field disables just its rule; a deleted Expansion_* field is recreated and refilled', async () => {
    harness = await startSalesforceHarness();
    const first = await harness.run();
    expect(first.status).toBe('succeeded');
    expect(first.schema.disabled).toEqual([]);
    const signals = values(harness, 'Expansion_Top_Signals__c');
    const scores = values(harness, 'Expansion_Score__c');
    expect(filled(signals)).toBeGreaterThan(0);
    expect((await harness.withStore((s) => s.listAssessments())).every((a) => !missingOf(a).includes('plan'))).toBe(true);

    harness.emulator.deleteField('Account', 'Plan__c'); // read: plan (mappings/salesforce.accounts.yaml:26)
    harness.emulator.deleteField('Account', 'Expansion_Top_Signals__c'); // written: provisioning creates it again

    const second = await harness.run();
    expect(second.status).toBe('succeeded');
    expect(second.failures).toEqual([]);
    expect(second.schema.disabled).toEqual([
      expect.objectContaining({ severity: 'error', file: expect.stringMatching(/mappings\/salesforce\.accounts\.yaml$/), line: 26, object: 'Account', field: 'Plan__c', rule: 'read', change: 'deleted or renamed in the CRM since the last run' }),
    ]);
    // Scored without a plan: every assessment lists it as missing input (the read query no longer names Plan__c).
    const after = await harness.withStore((s) => s.listAssessments());
    expect(after).toHaveLength(5);
    expect(after.every((a) => missingOf(a).includes('plan'))).toBe(true);
    // The written field is back with the same values; the other written fields are untouched.
    expect(values(harness, 'Expansion_Top_Signals__c')).toEqual(signals);
    expect(values(harness, 'Expansion_Score__c')).toEqual(scores);
    expect(second.writes.account.failed).toBe(0);
    expect(second.writes.account.updated).toBeGreaterThanOrEqual(filled(signals));
  }, 20_000);

  it('a written field made read-only disables its rule (no change in type), the rest is written', async () => {
    harness = await startSalesforceHarness();
    expect((await harness.run()).status).toBe('succeeded');
    harness.emulator.updateField('Account', 'Expansion_Potential_ARR__c', { updateable: false });
    clearAll(harness, 'Expansion_Score__c');
    const second = await harness.run();
    expect(second.status).toBe('succeeded');
    expect(second.failures).toEqual([]);
    expect(second.schema.disabled).toEqual([
      expect.objectContaining({ line: 55, field: 'Expansion_Potential_ARR__c', rule: 'write', message: 'Expansion_Potential_ARR__c is read-only for the integration user (not updateable)' }),
    ]);
    expect(second.schema.disabled[0]).not.toHaveProperty('change');
    expect(filled(values(harness, 'Expansion_Score__c'))).toBe(5);
  }, 20_000);

  it('Expansion_Health__c losing "yellow" from its picklist: yellow is not sent (schema.rejected), green and red are', async () => {
    harness = await startSalesforceHarness();
    expect((await harness.run()).status).toBe('succeeded');
    const health = values(harness, 'Expansion_Health__c');
    const yellow = Object.entries(health).filter(([, v]) => v === 'yellow').length;
    expect(yellow).toBeGreaterThan(0);
    harness.emulator.updateField('Account', 'Expansion_Health__c', { picklistValues: [{ value: 'green' }, { value: 'red' }] });
    clearAll(harness, 'Expansion_Health__c');

    const second = await harness.run();
    expect(second.status).toBe('succeeded');
    expect(second.failures).toEqual([]);
    expect(second.schema.disabled.map((d) => d.field)).not.toContain('Expansion_Health__c');
    expect(second.schema.rejected).toEqual([{ object: 'Account', field: 'Expansion_Health__c', count: yellow, values: ['yellow'] }]);
    const now = values(harness, 'Expansion_Health__c');
    for (const [domain, value] of Object.entries(health)) expect(now[domain]).toBe(value === 'yellow' ? null : value);
    expect(second.writes.account.updated).toBe(5 - yellow);
  }, 20_000);

  it('Expansion_Reasons__c retyped to Text(40): values are cut to fit (schema.truncated), and a rerun writes nothing new', async () => {
    harness = await startSalesforceHarness();
    expect((await harness.run()).status).toBe('succeeded');
    expect(Object.values(values(harness, 'Expansion_Reasons__c')).every((v) => typeof v === 'string' && v.length > 40)).toBe(true);
    harness.emulator.updateField('Account', 'Expansion_Reasons__c', { type: 'string', length: 40 });
    clearAll(harness, 'Expansion_Reasons__c'); // the admin empties the cut values, so the worker refills them

    const second = await harness.run();
    expect(second.status).toBe('succeeded');
    expect(second.failures).toEqual([]);
    expect(second.schema.disabled).toEqual([]);
    expect(second.schema.truncated).toEqual([{ object: 'Account', field: 'Expansion_Reasons__c', count: 5, length: 40 }]);
    expect(second.schema.warnings).toEqual([expect.objectContaining({ severity: 'warning', field: 'Expansion_Reasons__c', line: 61 })]);
    const reasons = values(harness, 'Expansion_Reasons__c');
    for (const v of Object.values(reasons)) {
      expect(typeof v).toBe('string');
      expect((v as string).length).toBeLessThanOrEqual(40);
    }
    expect(second.writes.account.updated).toBe(5);

    harness.advance(HOUR);
    const writes = harness.emulator.writes();
    const third = await harness.run();
    expect(third.status).toBe('succeeded');
    expect(third.conflicts).toEqual([]);
    expect(third.writes.account).toEqual({ created: 0, updated: 0, failed: 0 });
    expect(values(harness, 'Expansion_Reasons__c')).toEqual(reasons);
    expect(harness.emulator.writes()).toBe(writes);
  }, 20_000);

  // Salesforce cuts stored values when a field is shortened; the guard cuts ours the same way, so the
  // CRM's value equals what we want and nothing reads as a person's edit.
  it('shortening Expansion_Reasons__c with values in it does not look like a human edit', async () => {
    harness = await startSalesforceHarness();
    expect((await harness.run()).status).toBe('succeeded');
    harness.emulator.updateField('Account', 'Expansion_Reasons__c', { type: 'string', length: 40 });
    harness.advance(HOUR);
    const second = await harness.run();
    expect(second.schema.truncated).toEqual([{ object: 'Account', field: 'Expansion_Reasons__c', count: 5, length: 40 }]);
    expect(second.conflicts).toEqual([]);
  }, 20_000);
});

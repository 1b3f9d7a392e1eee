import { describe, expect, it } from 'vitest';
import type { CrmConnector } from '../../../src/engine/crm.ts';
import { applySchema } from '../../../src/engine/schema-guard.ts';
import { silentLogger } from '../../../src/logger.ts';
import { objectFields, type CrmField, type FieldCatalog, type MappingFile } from '../../../src/mapping/index.ts';
import { useTempDirs } from '../state/temp-dirs.ts';

const { openStore } = useTempDirs();

const field = (name: string, overrides: Partial<CrmField> = {}): CrmField => ({
  name,
  kind: 'text',
  crmType: 'string',
  createable: true,
  updateable: true,
  unique: false,
  ...overrides,
});

const accounts: MappingFile = {
  file: '/m/accounts.yaml',
  version: 1,
  system: 'salesforce',
  object: 'Account',
  entity: 'account',
  read: [
    { field: 'Plan__c', to: 'plan', transforms: [], line: 4 },
    { field: 'Seats__c', to: 'licensedSeats', transforms: [], line: 7 },
  ],
  write: [
    { from: 'health', field: 'Health__c', policy: 'unless-edited', line: 12 },
    { from: 'reasons', field: 'Reasons__c', policy: 'unless-edited', line: 15 },
  ],
};
const opportunities: MappingFile = {
  file: '/m/opps.yaml',
  version: 1,
  system: 'salesforce',
  object: 'Opportunity',
  entity: 'opportunity',
  read: [],
  write: [],
};

const mappings = { account: accounts, opportunity: opportunities };

/** Just enough of a connector: the schema it describes. The engine holds the mappings. */
function fakeCrm(fields: readonly CrmField[]): Pick<CrmConnector, 'describeFields'> {
  const catalog: FieldCatalog = {
    account: objectFields('Account', fields, { caseInsensitive: true }),
    opportunity: objectFields('Opportunity', [], { caseInsensitive: true }),
  };
  return { describeFields: async () => catalog };
}

const healthy = [
  field('Plan__c'),
  field('Seats__c', { kind: 'number', crmType: 'double' }),
  field('Health__c', { kind: 'picklist', crmType: 'picklist', picklist: ['green', 'yellow', 'red'] }),
  field('Reasons__c', { length: 20 }),
];

describe('schema drift at run time', () => {
  it('a field deleted since the last run switches off only its rule, and says what changed', async () => {
    const store = await openStore();
    await applySchema({
      crm: fakeCrm(healthy),
      mappings,
      store,
      sync: 's',
      persist: true,
      provisioned: [],
      log: silentLogger(),
    });
    const crm = fakeCrm(healthy.filter((f) => f.name !== 'Plan__c'));
    const guard = await applySchema({
      crm,
      mappings,
      store,
      sync: 's',
      persist: true,
      provisioned: [],
      log: silentLogger(),
    });
    expect(guard.report().disabled.map((d) => [d.field, d.line, d.change])).toEqual([
      ['Plan__c', 4, 'deleted or renamed in the CRM since the last run'],
    ]);
    expect(guard.mappings.account.read.map((r) => r.field)).toEqual(['Seats__c']);
    expect(guard.mappings.account.write).toHaveLength(2);
  });

  it('a retyped field is named with its old and new type', async () => {
    const store = await openStore();
    await applySchema({
      crm: fakeCrm(healthy),
      mappings,
      store,
      sync: 's',
      persist: true,
      provisioned: [],
      log: silentLogger(),
    });
    const retyped = healthy.map((f) =>
      f.name === 'Seats__c' ? field('Seats__c', { kind: 'date', crmType: 'date' }) : f,
    );
    const guard = await applySchema({
      crm: fakeCrm(retyped),
      mappings,
      store,
      sync: 's',
      persist: true,
      provisioned: [],
      log: silentLogger(),
    });
    expect(guard.report().disabled[0]?.change).toBe('changed from double to date since the last run');
  });

  it('cuts values to the field length and refuses enum values the picklist lacks, counting each per field', async () => {
    const store = await openStore();
    const narrow = healthy.map((f) => (f.name === 'Health__c' ? { ...f, picklist: ['green', 'red'] } : f));
    const crm = fakeCrm(narrow);
    const guard = await applySchema({
      crm,
      mappings,
      store,
      sync: 's',
      persist: false,
      provisioned: [],
      log: silentLogger(),
    });
    const fields = guard.writeFields('account');
    expect(fields({ health: 'yellow', reasons: 'Green: active users grew 24% over the month.' })).toEqual([
      { field: 'Reasons__c', from: 'reasons', policy: 'unless-edited', value: 'Green: active users ' },
    ]);
    expect(fields({ health: 'green', reasons: 'short' }).map((f) => f.value)).toEqual(['green', 'short']);
    fields({ health: 'yellow', reasons: 'x'.repeat(30) });
    const report = guard.report();
    expect(report.rejected).toEqual([{ object: 'Account', field: 'Health__c', count: 2, values: ['yellow'] }]);
    expect(report.truncated).toEqual([{ object: 'Account', field: 'Reasons__c', count: 2, length: 20 }]);
    expect(report.disabled).toEqual([]);
  });

  it('a dry run before the first sync expects the fields the worker will create', async () => {
    const store = await openStore();
    const crm = fakeCrm(healthy.filter((f) => f.name !== 'Health__c'));
    const guard = await applySchema({
      crm,
      mappings,
      store,
      sync: 's',
      persist: false,
      provisioned: ['Account.Health__c'],
      log: silentLogger(),
    });
    expect(guard.report().disabled).toEqual([]);
    expect(guard.mappings.account.write).toHaveLength(2);
    expect(await store.getCheckpoint('s', 'crm-schema')).toBeUndefined();
  });
});

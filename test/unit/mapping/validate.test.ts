import { describe, expect, it } from 'vitest';
import {
  objectFields,
  validateMapping,
  withoutDisabled,
  type CrmField,
  type MappingFile,
} from '../../../src/mapping/index.ts';

const field = (name: string, overrides: Partial<CrmField> = {}): CrmField => ({
  name,
  kind: 'text',
  crmType: 'string',
  createable: true,
  updateable: true,
  unique: false,
  ...overrides,
});

function account(read: MappingFile['read'], write: MappingFile['write'] = []): MappingFile {
  return {
    file: '/m/accounts.yaml',
    version: 1,
    system: 'salesforce',
    object: 'Account',
    entity: 'account',
    read,
    write,
  };
}

const fields = objectFields(
  'Account',
  [
    field('Name'),
    field('Seats__c', { kind: 'number', crmType: 'double' }),
    field('Renewal__c', { kind: 'date', crmType: 'date' }),
    field('Tier__c', { kind: 'picklist', crmType: 'picklist', picklist: ['Gold', 'Silver'] }),
    field('Modules__c', { kind: 'multipicklist', crmType: 'multipicklist', picklist: ['a', 'b'] }),
    field('Health__c', { kind: 'picklist', crmType: 'picklist', picklist: ['green', 'red'] }),
    field('Formula__c', { kind: 'number', crmType: 'double', updateable: false, createable: false }),
    field('Short__c', { length: 40 }),
    field('Long__c', { kind: 'textarea', crmType: 'textarea', length: 32_768 }),
  ],
  { caseInsensitive: true },
);

describe('validating a mapping against the live schema', () => {
  it.each([
    {
      name: 'a read field that exists, of a fitting type',
      read: { field: 'Seats__c', to: 'licensedSeats' },
      severity: undefined,
    },
    {
      name: 'text read into a number, converted by transforms',
      read: { field: 'Name', to: 'licensedSeats' },
      severity: undefined,
    },
    {
      name: 'field names compare case-insensitively on Salesforce',
      read: { field: 'seats__C', to: 'licensedSeats' },
      severity: undefined,
    },
    {
      name: 'a read field that does not exist',
      read: { field: 'Gone__c', to: 'plan' },
      severity: 'error',
      message: /Gone__c does not exist on Account/,
    },
    {
      name: 'a date read into a whole number',
      read: { field: 'Renewal__c', to: 'licensedSeats' },
      severity: 'error',
      message: /licensedSeats needs a whole number, but Renewal__c is a date field \(date\)/,
    },
    {
      name: 'a number read into a date',
      read: { field: 'Seats__c', to: 'renewalDate' },
      severity: 'error',
      message: /renewalDate needs a date/,
    },
    {
      name: 'a date read into a list',
      read: { field: 'Renewal__c', to: 'modulesOwned' },
      severity: 'error',
      message: /modulesOwned needs a list/,
    },
    {
      name: 'a multi-select picklist read into a list',
      read: { field: 'Modules__c', to: 'modulesOwned' },
      severity: undefined,
    },
  ])('$name', ({ read, severity, message }) => {
    const problems = validateMapping(account([{ ...read, transforms: [], line: 7 }]), fields);
    expect(problems[0]?.severity).toBe(severity);
    if (message)
      expect(problems[0]).toMatchObject({
        file: '/m/accounts.yaml',
        line: 7,
        field: read.field,
        rule: 'read',
        message: expect.stringMatching(message),
      });
  });

  it.each([
    { name: 'a number written to a number field', write: { from: 'score', field: 'Seats__c' }, severity: undefined },
    {
      name: 'a read-only field',
      write: { from: 'score', field: 'Formula__c' },
      severity: 'error',
      message: /read-only for the integration user/,
    },
    {
      name: 'a number written to a date field',
      write: { from: 'score', field: 'Renewal__c' },
      severity: 'error',
      message: /score is a number, but Renewal__c is a date field/,
    },
    {
      name: 'health to a picklist lacking yellow',
      write: { from: 'health', field: 'Health__c' },
      severity: 'error',
      message: /picklist lacks "yellow"/,
    },
    {
      name: 'reasons to a 40-character field',
      write: { from: 'reasons', field: 'Short__c' },
      severity: 'warning',
      message: /holds 40 characters; reasons can be up to 4000/,
    },
    { name: 'reasons to a long text field', write: { from: 'reasons', field: 'Long__c' }, severity: undefined },
    {
      name: 'a missing field the worker creates',
      write: { from: 'score', field: 'Expansion_Score__c' },
      severity: 'info',
      provisioned: true,
    },
    {
      name: 'a missing field nobody creates',
      write: { from: 'score', field: 'Expansion_Score__c' },
      severity: 'error',
      message: /does not exist/,
    },
    {
      name: 'create-only on an account field',
      write: { from: 'score', field: 'Seats__c', policy: 'create-only' as const },
      severity: 'warning',
      message: /never creates accounts/,
    },
  ])('$name', ({ write, severity, message, provisioned }) => {
    const mapping = account([], [{ policy: 'unless-edited', ...write, line: 12 }]);
    const problems = validateMapping(
      mapping,
      fields,
      provisioned ? { provisioned: new Set(['expansion_score__c']) } : {},
    );
    expect(problems[0]?.severity).toBe(severity);
    if (message)
      expect(problems[0]).toMatchObject({ line: 12, rule: 'write', message: expect.stringMatching(message) });
  });

  it('an optional read field the CRM lacks is a note, and its rule is dropped from the read without being disabled', () => {
    const mapping = account([
      { field: 'Name', to: 'name', transforms: [], line: 2 },
      { field: 'Customer_Since__c', to: 'customerSince', transforms: [], optional: true, line: 5 },
    ]);
    const problems = validateMapping(mapping, fields);
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'info',
        line: 5,
        skipped: true,
        message: 'Customer_Since__c is not on Account; customerSince stays unknown (optional rule, skipped)',
      }),
    ]);
    expect(withoutDisabled(mapping, problems).read.map((r) => r.field)).toEqual(['Name']);
  });

  it('an enum map on a picklist: keys the picklist lacks and values the map misses are warnings', () => {
    const mapping = account([
      {
        field: 'Tier__c',
        to: 'plan',
        transforms: [{ enum: { map: { Gold: 'enterprise', Bronze: 'starter' } } }],
        line: 3,
      },
    ]);
    const messages = validateMapping(mapping, fields).map((p) => `${p.severity}: ${p.message}`);
    expect(messages).toEqual([
      'warning: enum maps "Bronze", which Tier__c\'s picklist does not have',
      'warning: Tier__c\'s picklist values "Silver" are not in the enum map and there is no fallback',
    ]);
  });

  it('opportunities: the upsert key must be unique, and written fields createable', () => {
    const opportunity: MappingFile = {
      file: '/m/opps.yaml',
      version: 1,
      system: 'salesforce',
      object: 'Opportunity',
      entity: 'opportunity',
      read: [],
      write: [
        { from: 'expansionKey', field: 'Key__c', policy: 'create-only', line: 4 },
        { from: 'amount', field: 'Amount', policy: 'unless-edited', line: 5 },
      ],
    };
    const oppFields = objectFields(
      'Opportunity',
      [field('Key__c'), field('Amount', { kind: 'number', crmType: 'currency', createable: false })],
      { caseInsensitive: true },
    );
    expect(validateMapping(opportunity, oppFields).map((p) => [p.line, p.message])).toEqual([
      [4, expect.stringMatching(/not unique/)],
      [5, expect.stringMatching(/not createable/)],
    ]);
  });

  it('reports every problem at once, and a run keeps every rule but those with errors', () => {
    const mapping = account(
      [
        { field: 'Gone__c', to: 'plan', transforms: [], line: 2 },
        { field: 'Seats__c', to: 'licensedSeats', transforms: [], line: 3 },
      ],
      [
        { from: 'score', field: 'Formula__c', policy: 'always', line: 8 },
        { from: 'reasons', field: 'Short__c', policy: 'unless-edited', line: 9 },
      ],
    );
    const problems = validateMapping(mapping, fields);
    expect(problems.map((p) => [p.line, p.severity])).toEqual([
      [2, 'error'],
      [8, 'error'],
      [9, 'warning'],
    ]);
    const active = withoutDisabled(mapping, problems);
    expect(active.read.map((r) => r.field)).toEqual(['Seats__c']);
    expect(active.write.map((w) => w.field)).toEqual(['Short__c']);
  });
});

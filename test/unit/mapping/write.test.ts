import { describe, expect, it } from 'vitest';
import { writeFieldsFor, type MappingFile } from '../../../src/mapping/index.ts';

const deals: MappingFile = {
  file: '/x/deals.yaml',
  version: 1,
  system: 'hubspot',
  object: 'deals',
  entity: 'opportunity',
  read: [],
  write: [
    { from: 'name', field: 'dealname', policy: 'create-only', line: 1 },
    { from: 'amount', field: 'amount', policy: 'unless-edited', line: 2 },
    { from: 'probability', field: 'es_probability', policy: 'always', line: 3 },
    { from: 'signals', field: 'es_signals', policy: 'if-empty', line: 4 },
  ],
};

describe('writeFieldsFor', () => {
  it("renames outputs to CRM fields and carries each rule's policy", () => {
    expect(
      writeFieldsFor(deals, {
        name: 'Acme · Seat expansion',
        amount: '12000',
        probability: '0.40',
        signals: 'seat_pressure',
      }),
    ).toEqual([
      { field: 'dealname', from: 'name', value: 'Acme · Seat expansion', policy: 'create-only' },
      { field: 'amount', from: 'amount', value: '12000', policy: 'unless-edited' },
      { field: 'es_probability', from: 'probability', value: '0.40', policy: 'always' },
      { field: 'es_signals', from: 'signals', value: 'seat_pressure', policy: 'if-empty' },
    ]);
  });

  it('writes nothing for outputs the mapping does not mention, or that are absent', () => {
    const fields = writeFieldsFor(deals, {
      amount: '5000',
      expectedValue: '2000',
      stage: 'qualified',
      name: undefined,
    });
    expect(fields.map((f) => f.field)).toEqual(['amount']);
  });

  it('passes null through so a field can be cleared', () => {
    expect(writeFieldsFor(deals, { signals: null })).toEqual([
      { field: 'es_signals', from: 'signals', value: null, policy: 'if-empty' },
    ]);
  });
});

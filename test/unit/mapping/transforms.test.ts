import { describe, expect, it } from 'vitest';
import { applyReadMapping, runTransforms, type MappingFile, type Transform } from '../../../src/mapping/index.ts';

type Case = readonly [
  label: string,
  transforms: readonly Transform[],
  input: string | null | undefined,
  expected: unknown,
];

/** [label, transforms, CRM value, canonical value or undefined when missing] */
const CONVERTS: readonly Case[] = [
  ['trim strips both ends', ['trim'], '  Acme Inc \t', 'Acme Inc'],
  ['lowercase', ['lowercase'], 'ACME.Example', 'acme.example'],
  ['number reads decimals', ['number'], '1200.50', 1200.5],
  ['number tolerates surrounding spaces', ['number'], ' 42 ', 42],
  ['number reads a negative', ['number'], '-3', -3],
  ['integer reads digits', ['integer'], '40', 40],
  ['integer accepts a whole decimal as HubSpot may send it', ['integer'], '40.0', 40],
  ['date keeps a date', ['date'], '2027-08-01', '2027-08-01'],
  ['date turns a UTC date-time into its date', ['date'], '2027-08-01T23:30:00Z', '2027-08-01'],
  ['date turns an offset date-time into its UTC date', ['date'], '2027-08-01T22:00:00-05:00', '2027-08-02'],
  ['date reads a Salesforce-style offset', ['date'], '2027-08-01T10:00:00.000+0000', '2027-08-01'],
  ['date reads a date-time without offset as UTC', ['date'], '2027-08-01T23:59:59', '2027-08-01'],
  ['date reads HubSpot epoch milliseconds', ['date'], '1785542400000', '2026-08-01'],
  ['boolean reads true', ['boolean'], 'true', true],
  ['boolean reads Yes', ['boolean'], 'Yes', true],
  ['boolean reads 0', ['boolean'], '0', false],
  ['hostname strips scheme, www, path and case', ['hostname'], 'https://www.Acme.com/about?x=1', 'acme.com'],
  ['hostname reads a bare www domain', ['hostname'], 'www.birch.example', 'birch.example'],
  ['hostname keeps a subdomain other than www', ['hostname'], 'http://eu.cobalt.example:8080', 'eu.cobalt.example'],
  ['enum maps a known value', [{ enum: { map: { Gold: 'enterprise', Silver: 'growth' } } }], 'Gold', 'enterprise'],
  [
    'enum falls back for an unknown value',
    [{ enum: { map: { Gold: 'enterprise' }, fallback: 'other' } }],
    'Bronze',
    'other',
  ],
  ['split makes a list and drops empty items', [{ split: ';' }], 'core;;crm;', ['core', 'crm']],
  ['split then trim and lowercase each item', [{ split: ';' }, 'trim', 'lowercase'], 'Core; ;CRM ', ['core', 'crm']],
  ['default fills an empty value', [{ default: 'starter' }], '', 'starter'],
  ['default goes through the transforms after it', [{ default: 5 }, 'integer'], null, 5],
  ['default fills a value trim emptied', ['trim', { default: 'starter' }, 'lowercase'], '   ', 'starter'],
  ['default leaves a present value alone', [{ default: 'starter' }], 'growth', 'growth'],
  ['an empty value stays missing', ['trim', 'number'], '', undefined],
  ['a null value stays missing', ['date'], null, undefined],
  ['an absent value stays missing', [{ split: ';' }], undefined, undefined],
  ['a list emptied by split is missing', [{ split: ';' }], ';;', undefined],
];

/** [label, transforms, CRM value, words the reason must contain] */
const REFUSES: readonly Case[] = [
  ['number refuses words', ['number'], 'forty', /not a number/],
  ['number refuses thousands separators', ['number'], '1,200', /thousands separators/],
  ['number refuses currency signs', ['number'], '$1200', /not a number/],
  ['integer refuses a fraction', ['integer'], '40.5', /not a whole number/],
  ['date refuses an impossible day', ['date'], '2027-02-30', /not a date/],
  ['date refuses a day-first date', ['date'], '01/08/2027', /not a date/],
  ['date refuses a short number', ['date'], '20270801', /not a date/],
  ['boolean refuses maybe', ['boolean'], 'maybe', /yes\/no/],
  ['hostname refuses a word that is no domain', ['hostname'], 'Acme', /not a website or domain/],
  ['hostname refuses spaces inside', ['hostname'], 'acme .com', /not a website or domain/],
  [
    'enum without fallback refuses an unknown value',
    [{ enum: { map: { Gold: 'enterprise' } } }],
    'gold',
    /not in the enum map \(known values: Gold\)/,
  ],
  ['a failing list item is named', [{ split: ';' }, 'integer'], '3;x', /item "x": not a whole number/],
];

describe('transforms', () => {
  it.each(CONVERTS)('%s', (_label, transforms, input, expected) => {
    expect(runTransforms(input, transforms)).toEqual({ ok: true, value: expected });
  });

  it.each(REFUSES)('%s', (_label, transforms, input, reason) => {
    const result = runTransforms(input, transforms);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toMatch(reason as RegExp);
  });
});

describe('applyReadMapping', () => {
  const mapping: MappingFile = {
    file: '/x/companies.yaml',
    version: 1,
    system: 'hubspot',
    object: 'companies',
    entity: 'account',
    read: [
      { field: 'name', to: 'name', transforms: ['trim'], line: 1 },
      { field: 'licensed_seats', to: 'licensedSeats', transforms: ['integer'], line: 2 },
      { field: 'arr', to: 'arr', transforms: ['number'], line: 3 },
      { field: 'renewal_date', to: 'renewalDate', transforms: ['date'], line: 4 },
      { field: 'employees', to: 'employees', transforms: ['integer'], line: 5 },
    ],
    write: [],
  };

  it('leaves a value that fails a transform out and reports it with the field and the value', () => {
    const result = applyReadMapping(mapping, {
      name: ' Birch ',
      licensed_seats: 'forty',
      arr: '24000',
      renewal_date: '',
    });
    expect(result.values).toEqual({ name: 'Birch', arr: 24000 });
    expect(result.problems).toEqual([
      {
        field: 'licensed_seats',
        to: 'licensedSeats',
        value: 'forty',
        message: expect.stringMatching(/not a whole number/),
      },
    ]);
  });

  it('refuses a number the canonical field cannot hold instead of passing it on', () => {
    const result = applyReadMapping(mapping, { name: 'Birch', arr: '-100', employees: '-2' });
    expect(result.values).toEqual({ name: 'Birch' });
    expect(result.problems.map((p) => [p.to, p.message])).toEqual([
      ['arr', 'must not be negative'],
      ['employees', 'must not be negative'],
    ]);
  });

  it('treats empty strings, nulls and absent properties as missing, not as problems', () => {
    const result = applyReadMapping(mapping, { name: '', licensed_seats: null });
    expect(result).toEqual({ values: {}, problems: [] });
  });

  it('refuses a motion outside the closed set', () => {
    const deals: MappingFile = {
      ...mapping,
      object: 'deals',
      entity: 'opportunity',
      read: [{ field: 'es_motion', to: 'motion', transforms: ['trim'], line: 1 }],
    };
    expect(applyReadMapping(deals, { es_motion: 'upsell' }).problems[0]?.message).toBe(
      'not one of seat_add, tier_upgrade, module_cross_sell',
    );
    expect(applyReadMapping(deals, { es_motion: 'seat_add' }).values).toEqual({ motion: 'seat_add' });
  });
});

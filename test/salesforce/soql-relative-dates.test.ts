import { describe, expect, it } from 'vitest';
import { makeContext, names, soqlError } from './soql-fixture.ts';

/** One account per day from `from` to `to` inclusive, named by its Renewal_Date__c; SystemModstamp at 00:00 UTC that day. */
function days(from: string, to: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (
    let ms = Date.parse(`${from}T00:00:00Z`), index = 0;
    ms <= Date.parse(`${to}T00:00:00Z`);
    ms += 86_400_000, index += 1
  ) {
    const day = new Date(ms).toISOString().slice(0, 10);
    rows.push({
      Id: `001${String(index).padStart(12, '0')}AAA`,
      Name: day,
      Renewal_Date__c: day,
      SystemModstamp: `${day}T00:00:00.000Z`,
    });
  }
  return rows;
}

const ACCOUNTS = [
  ...days('2025-09-01', '2027-04-30'),
  { Id: '001999999999999AAA', Name: 'no date', Renewal_Date__c: null, SystemModstamp: null },
];

/** The first and last matching day (names sort as dates) and how many matched. */
function span(where: string, now: string): readonly [unknown, unknown, number] {
  const matched = names(
    `SELECT Name FROM Account WHERE ${where} ORDER BY Renewal_Date__c`,
    makeContext({ now: new Date(now), accounts: ACCOUNTS }),
  );
  return [matched[0], matched[matched.length - 1], matched.length];
}

describe('SOQL relative date literals denote ranges (UTC, weeks from Sunday, calendar quarters)', () => {
  it.each([
    // now, literal, first day, last day, days in range
    ['2026-12-01T10:00:00Z', 'TODAY', '2026-12-01', '2026-12-01', 1],
    ['2026-12-01T10:00:00Z', 'YESTERDAY', '2026-11-30', '2026-11-30', 1],
    ['2026-12-31T23:30:00Z', 'TOMORROW', '2027-01-01', '2027-01-01', 1],
    ['2026-01-01T00:00:00Z', 'YESTERDAY', '2025-12-31', '2025-12-31', 1],
    ['2026-12-01T10:00:00Z', 'THIS_WEEK', '2026-11-29', '2026-12-05', 7],
    ['2026-12-01T10:00:00Z', 'LAST_WEEK', '2026-11-22', '2026-11-28', 7],
    ['2026-12-01T10:00:00Z', 'NEXT_WEEK', '2026-12-06', '2026-12-12', 7],
    ['2026-11-29T00:00:00Z', 'THIS_WEEK', '2026-11-29', '2026-12-05', 7],
    ['2026-12-05T23:59:59Z', 'THIS_WEEK', '2026-11-29', '2026-12-05', 7],
    ['2026-12-31T23:30:00Z', 'THIS_MONTH', '2026-12-01', '2026-12-31', 31],
    ['2026-12-31T23:30:00Z', 'NEXT_MONTH', '2027-01-01', '2027-01-31', 31],
    ['2026-01-15T00:00:00Z', 'LAST_MONTH', '2025-12-01', '2025-12-31', 31],
    ['2026-03-31T12:00:00Z', 'LAST_MONTH', '2026-02-01', '2026-02-28', 28],
    ['2026-12-31T23:30:00Z', 'THIS_QUARTER', '2026-10-01', '2026-12-31', 92],
    ['2026-12-31T23:30:00Z', 'NEXT_QUARTER', '2027-01-01', '2027-03-31', 90],
    ['2026-01-01T00:00:00Z', 'LAST_QUARTER', '2025-10-01', '2025-12-31', 92],
    ['2026-03-31T23:59:59Z', 'THIS_QUARTER', '2026-01-01', '2026-03-31', 90],
    ['2026-04-01T00:00:00Z', 'THIS_QUARTER', '2026-04-01', '2026-06-30', 91],
    ['2026-06-15T00:00:00Z', 'THIS_YEAR', '2026-01-01', '2026-12-31', 365],
    ['2026-01-01T00:00:00Z', 'LAST_YEAR', '2025-09-01', '2025-12-31', 122],
    ['2026-12-31T23:30:00Z', 'NEXT_YEAR', '2027-01-01', '2027-04-30', 120],
    ['2026-12-01T10:00:00Z', 'LAST_N_DAYS:7', '2026-11-24', '2026-12-01', 8],
    ['2026-12-01T10:00:00Z', 'LAST_N_DAYS:1', '2026-11-30', '2026-12-01', 2],
    ['2026-12-01T10:00:00Z', 'NEXT_N_DAYS:3', '2026-12-02', '2026-12-04', 3],
    ['2026-12-01T10:00:00Z', 'LAST_90_DAYS', '2026-09-02', '2026-12-01', 91],
    ['2026-12-01T10:00:00Z', 'NEXT_90_DAYS', '2026-12-02', '2027-03-01', 90],
  ])('at %s, Renewal_Date__c = %s spans %s..%s', (now, literal, first, last, count) => {
    expect(span(`Renewal_Date__c = ${literal}`, now)).toEqual([first, last, count]);
    expect(span(`SystemModstamp = ${literal}`, now)).toEqual([first, last, count]);
  });

  it.each([
    ['Renewal_Date__c < THIS_MONTH', '2025-09-01', '2026-11-30'],
    ['Renewal_Date__c <= THIS_MONTH', '2025-09-01', '2026-12-31'],
    ['Renewal_Date__c > THIS_MONTH', '2027-01-01', '2027-04-30'],
    ['Renewal_Date__c >= THIS_MONTH', '2026-12-01', '2027-04-30'],
    ['Renewal_Date__c > LAST_N_DAYS:7', '2026-12-02', '2027-04-30'],
    ['Renewal_Date__c < LAST_N_DAYS:7', '2025-09-01', '2026-11-23'],
    ['SystemModstamp >= LAST_N_DAYS:7', '2026-11-24', '2027-04-30'],
    ['SystemModstamp < TODAY', '2025-09-01', '2026-11-30'],
    ['SystemModstamp > TODAY', '2026-12-02', '2027-04-30'],
  ])('%s is relative to the range ends', (where, first, last) => {
    const [from, to] = span(where, '2026-12-01T10:00:00Z');
    expect([from, to]).toEqual([first, last]);
  });

  it('!= a relative literal excludes the range and keeps nulls', () => {
    const [, , count] = span('Renewal_Date__c != THIS_YEAR', '2026-06-15T00:00:00Z');
    expect(count).toBe(ACCOUNTS.length - 365);
  });

  it('matches datetimes anywhere within the day, and nothing past the range end', () => {
    const accounts = [
      { Id: '001000000000001AAA', Name: 'late yesterday', SystemModstamp: '2026-11-30T23:59:59.999Z' },
      { Id: '001000000000002AAA', Name: 'early today', SystemModstamp: '2026-12-01T00:00:00.000Z' },
      { Id: '001000000000003AAA', Name: 'late today', SystemModstamp: '2026-12-01T23:59:59.999Z' },
      { Id: '001000000000004AAA', Name: 'early tomorrow', SystemModstamp: '2026-12-02T00:00:00.000Z' },
    ];
    const context = makeContext({ now: new Date('2026-12-01T10:00:00Z'), accounts });
    expect(names('SELECT Name FROM Account WHERE SystemModstamp = TODAY ORDER BY SystemModstamp', context)).toEqual([
      'early today',
      'late today',
    ]);
  });

  it.each([
    ['Renewal_Date__c = LAST_N_DAYS', 'unexpected token: <EOF>'],
    ['Renewal_Date__c = LAST_N_DAYS:x', "unexpected token: 'x'"],
    ['Renewal_Date__c = LAST_FORTNIGHT', "unexpected token: 'LAST_FORTNIGHT'"],
  ])('%s is MALFORMED_QUERY', (where, message) => {
    const error = soqlError(`SELECT Name FROM Account WHERE ${where}`);
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain(message);
  });

  it('a relative literal against a non-date field is INVALID_FIELD', () => {
    expect(soqlError('SELECT Name FROM Account WHERE NumberOfEmployees = TODAY').errorCode).toBe('INVALID_FIELD');
  });
});

import { describe, expect, it } from 'vitest';
import { makeContext, names, soqlError } from './soql-fixture.ts';

const named = (...values: string[]) =>
  makeContext({
    accounts: values.map((Name, index) => ({ Id: `0010000000000${String(index).padStart(2, '0')}AAA`, Name })),
  });

/** The worker's escaper (reference/crm-apis.md §3.2): backslash first, then quotes and control characters. */
const escapeSoql = (s: string): string =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\f/g, '\\f')
    // eslint-disable-next-line no-control-regex -- verbatim from the reference; \x08 is the backspace \b escape.
    .replace(/\x08/g, '\\b');

/** jsforce's SOQL builder escaper (src/soql-builder.ts): quotes only. */
const jsforceEscape = (s: string): string => s.replace(/'/g, "\\'");

describe('SOQL string escapes decode exactly', () => {
  it.each([
    ['\\n', '\n'],
    ['\\N', '\n'],
    ['\\r', '\r'],
    ['\\R', '\r'],
    ['\\t', '\t'],
    ['\\T', '\t'],
    ['\\b', '\b'],
    ['\\B', '\b'],
    ['\\f', '\f'],
    ['\\F', '\f'],
    ['\\"', '"'],
    ["\\'", "'"],
    ['\\\\', '\\'],
    ['\\u00e9', 'é'],
    ['\\u00C9', 'É'],
    ['\\u263A', '☺'],
  ])("'x%sy' matches a name holding the decoded character", (escape, decoded) => {
    const decoys = [`x${escape}y`, `x${escape.slice(1)}y`, 'xy', 'x y'].filter((name) => name !== `x${decoded}y`);
    const context = named(`x${decoded}y`, ...decoys);
    expect(names(`SELECT Name FROM Account WHERE Name = 'x${escape}y'`, context)).toEqual([`x${decoded}y`]);
  });

  it.each([
    ["Name = 'a\\x'", "'\\x'"],
    ["Name = 'a\\a'", "'\\a'"],
    ["Name = 'a\\u12'", "'\\u12'"],
    ["Name = 'a\\uZZZZ'", "'\\uZZZZ'"],
    ["Name = '100\\%'", "'\\%'"],
    ["Name = 'Widgets\\_Co'", "'\\_'"],
    ["Name IN ('ok', 'bad\\q')", "'\\q'"],
  ])('an invalid backslash sequence is MALFORMED_QUERY: %s', (where, sequence) => {
    const error = soqlError(`SELECT Name FROM Account WHERE ${where}`);
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain(`Illegal character sequence ${sequence}`);
    expect(error.message).toMatch(/ERROR at Row:1:Column:\d+/);
  });

  it('a bad escape is MALFORMED_QUERY even where the field or object is also wrong', () => {
    expect(soqlError("SELECT Id FROM Nope WHERE Name = 'a\\x'").errorCode).toBe('MALFORMED_QUERY');
    expect(soqlError("SELECT Id FROM Account WHERE NumberOfEmployees = 'a\\x'").errorCode).toBe('MALFORMED_QUERY');
  });

  it.each([
    ["Name = 'Acme", 'unterminated string literal'],
    ["Name = 'Acme\\'", 'unterminated string literal'],
    ["Name = 'O'Reilly'", 'unterminated string literal'],
    ["Name = 'O'Reilly", "unexpected token: 'Reilly'"],
    ["Name = 'a' 'b'", "unexpected token: 'b'"],
  ])('a broken string is MALFORMED_QUERY: %s', (where, message) => {
    const error = soqlError(`SELECT Name FROM Account WHERE ${where}`);
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain(message);
  });
});

describe('SOQL injection through string literals', () => {
  const payload = "\\' OR Name != null OR Name = '";

  it('with the worker escaper, the payload matches only a record literally named with it', () => {
    const soql = `SELECT Name FROM Account WHERE Name = '${escapeSoql(payload)}'`;
    expect(names(soql, named('Acme', payload, 'Globex'))).toEqual([payload]);
    expect(names(soql, named('Acme', 'Globex'))).toEqual([]);
  });

  it('escapes every character the escaper handles so that the decoded value round-trips', () => {
    const tricky = 'a\\b\'c"d\ne\rf\tg\fh\x08i';
    expect(names(`SELECT Name FROM Account WHERE Name = '${escapeSoql(tricky)}'`, named('Acme', tricky))).toEqual([
      tricky,
    ]);
  });

  it('with jsforce quote-only escaping, the payload escapes the literal: the query is MALFORMED_QUERY, never a match', () => {
    // '\\' OR Name != null OR Name = \'' : the payload's backslash escapes the added one, the quote closes the
    // literal, and the rest is parsed as SOQL. A strict parser (ours, and Salesforce's) then meets a bare backslash
    // and rejects the query, so every value containing a backslash breaks the sync; a lenient one would return every
    // record. Either way the worker must not use this escaper.
    const soql = `SELECT Name FROM Account WHERE Name = '${jsforceEscape(payload)}'`;
    expect(soql).toBe("SELECT Name FROM Account WHERE Name = '\\\\' OR Name != null OR Name = \\''");
    const error = soqlError(soql, named('Acme', payload, 'Globex'));
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain("unexpected token: '\\''");
  });
});

describe('SOQL date and dateTime literals', () => {
  const accounts = (where: string): unknown[] => names(`SELECT Name FROM Account WHERE ${where} ORDER BY Name`);

  it.each([
    ['Renewal_Date__c = 2026-12-15', ['Acme']],
    ['Renewal_Date__c >= 2026-12-15', ['Acme', 'Globex']],
    ['Renewal_Date__c < 2026-12-15', ['100% Widgets_Co']],
    ['Renewal_Date__c != 2026-12-15', ['100% Widgets_Co', 'Globex', 'Initech']],
    ['SystemModstamp = 2026-11-30T12:00:00Z', ['Acme']],
    ['SystemModstamp = 2026-11-30T12:00:00.000Z', ['Acme']],
    ['SystemModstamp = 2026-11-30T13:00:00+01:00', ['Acme']],
    ['SystemModstamp = 2026-11-30T07:00:00-05:00', ['Acme']],
    ['SystemModstamp > 2026-11-30T12:00:00Z', ['Initech']],
    ['SystemModstamp >= 2026-11-30T12:00:00Z', ['Acme', 'Initech']],
    ['SystemModstamp < 2026-10-01T00:00:00Z', ['100% Widgets_Co']],
    ['SystemModstamp <= 2026-10-01T01:00:00+01:00', ['100% Widgets_Co', 'Globex']],
  ])('%s', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });

  it.each([
    'Renewal_Date__c = 2026-02-30',
    'Renewal_Date__c = 2026-13-01',
    'SystemModstamp = 2026-11-30T25:00:00Z',
    'SystemModstamp = 2026-11-30T12:00:00',
    'SystemModstamp = 2026-11-30T12:00Z',
  ])('%s is MALFORMED_QUERY', (where) => {
    expect(soqlError(`SELECT Name FROM Account WHERE ${where}`).errorCode).toBe('MALFORMED_QUERY');
  });
});

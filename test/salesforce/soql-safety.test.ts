import { describe, expect, it } from 'vitest';
import {
  chunkInValues,
  escapeSoqlString,
  isSoqlIdentifier,
  soqlDate,
  soqlDateTime,
  soqlIdentifier,
  soqlInList,
  soqlLikeLiteral,
  soqlString,
} from '../../connectors/salesforce/soql.ts';

describe('SOQL string literals', () => {
  it.each([
    ['plain', 'Acme', "'Acme'"],
    ['a quote', "O'Brien", "'O\\'Brien'"],
    ['a backslash, escaped first', 'a\\b', "'a\\\\b'"],
    ['a backslash before a quote stays two escapes', "\\'", "'\\\\\\''"],
    ['double quotes', 'say "hi"', '\'say \\"hi\\"\''],
    ['control characters', 'a\nb\rc\td\fe\bf', "'a\\nb\\rc\\td\\fe\\bf'"],
  ])('%s', (_label, input, expected) => {
    expect(soqlString(input)).toBe(expected);
  });

  it('the jsforce-builder breakout payload stays inside the literal', () => {
    const payload = "\\' OR Id != null OR Name = '";
    const literal = soqlString(payload);
    // Every quote inside is preceded by an odd number of backslashes: none of them ends the literal.
    const inner = literal.slice(1, -1);
    for (let i = inner.indexOf("'"); i !== -1; i = inner.indexOf("'", i + 1)) {
      let backslashes = 0;
      for (let j = i - 1; j >= 0 && inner[j] === '\\'; j -= 1) backslashes += 1;
      expect(backslashes % 2).toBe(1);
    }
    expect(escapeSoqlString(payload)).toBe("\\\\\\' OR Id != null OR Name = \\'");
  });

  it('LIKE literals escape the wildcards too', () => {
    expect(soqlLikeLiteral('50%_off')).toBe("'50\\%\\_off'");
    expect(soqlLikeLiteral('acme', { prefix: true })).toBe("'acme%'");
  });

  it('IN lists quote every value and refuse an empty list', () => {
    expect(soqlInList(['001A', "x' OR '1'='1"])).toBe("('001A', 'x\\' OR \\'1\\'=\\'1')");
    expect(() => soqlInList([])).toThrow(/at least one value/);
  });

  it('chunks IN values so each list stays under the size bound, losing none', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `001${String(i).padStart(15, '0')}`);
    const chunks = chunkInValues(ids, 2_000);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(ids);
    for (const chunk of chunks) expect(soqlInList(chunk).length).toBeLessThanOrEqual(2_000);
  });
});

describe('SOQL identifiers and date literals', () => {
  it.each(['Name', 'Expansion_Key__c', 'ns__Seats__c', 'Owner', 'Parent__r', 'NumberOfEmployees'])(
    'accepts %s',
    (name) => {
      expect(isSoqlIdentifier(name)).toBe(true);
    },
  );

  it.each(['', 'Name, Id', "Name'", 'Na me', '1Name', 'a__b__c__d', 'Name__', 'Id FROM User--', 'Name)'])(
    'refuses %j',
    (name) => {
      expect(isSoqlIdentifier(name)).toBe(false);
    },
  );

  it('checks every segment of a relationship path and names the bad one', () => {
    expect(soqlIdentifier('Owner.Name')).toBe('Owner.Name');
    expect(() => soqlIdentifier('Owner.Name FROM User', 'mappings/salesforce.accounts.yaml')).toThrow(
      /"Owner.Name FROM User" in mappings\/salesforce.accounts.yaml is not a Salesforce API name/,
    );
  });

  it('formats date-times and dates as unquoted literals, refusing anything else', () => {
    expect(soqlDateTime('2026-11-01T10:00:00.123Z')).toBe('2026-11-01T10:00:00Z');
    expect(() => soqlDateTime("2026-11-01T10:00:00Z' OR Name != '")).toThrow(/not a UTC date-time/);
    expect(soqlDate('2026-11-01')).toBe('2026-11-01');
    expect(() => soqlDate('2026-02-30x')).toThrow(/not a date/);
  });
});

import { describe, expect, it } from 'vitest';
import { IDS, names, soqlError } from './soql-fixture.ts';

const accounts = (where: string): unknown[] => names(`SELECT Name FROM Account WHERE ${where} ORDER BY Name`);

describe('SOQL comparison operators', () => {
  it.each([
    ["Name = 'Acme'", ['Acme']],
    ["Name = 'ACME'", ['Acme']],
    ["Name != 'Acme'", ['100% Widgets_Co', 'Globex', 'Initech']],
    ["Name <> 'Acme'", ['100% Widgets_Co', 'Globex', 'Initech']],
    ['NumberOfEmployees = 500', ['Acme']],
    ['NumberOfEmployees > 50', ['100% Widgets_Co', 'Acme']],
    ['NumberOfEmployees >= 50', ['100% Widgets_Co', 'Acme', 'Globex']],
    ['NumberOfEmployees < 500', ['Globex']],
    ['NumberOfEmployees <= 500', ['Acme', 'Globex']],
    ['AnnualRevenue > 199999.5', ['100% Widgets_Co', 'Acme', 'Globex']],
    ['Expansion_Score__c = 0.8', ['100% Widgets_Co', 'Acme']],
    ['Expansion_Score__c < -1', []],
    ["Type = 'customer'", ['100% Widgets_Co', 'Acme']],
    ["Name > 'B'", ['Globex', 'Initech']],
    ["Name < 'b'", ['100% Widgets_Co', 'Acme']],
    [`Id = '${IDS.globex}'`, ['Globex']],
    [`OwnerId = '${IDS.ada.slice(0, 15)}'`, ['100% Widgets_Co', 'Acme']],
  ])('%s', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });

  it('compares booleans, and treats a null boolean as false', () => {
    expect(names('SELECT Name FROM Opportunity WHERE IsClosed = true')).toEqual(['Initech tier']);
    expect(names('SELECT Name FROM Opportunity WHERE IsClosed = FALSE ORDER BY Name')).toEqual([
      'Acme seats',
      'Orphan',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE IsClosed = null ORDER BY Name')).toEqual(['Acme seats', 'Orphan']);
    expect(names('SELECT Name FROM Opportunity WHERE IsClosed != null')).toEqual(['Initech tier']);
  });
});

describe('SOQL null semantics', () => {
  it.each([
    ['Website = null', ['100% Widgets_Co', 'Globex']],
    ['Website != null', ['Acme', 'Initech']],
    ['NumberOfEmployees = null', ['Initech']],
    // Null is a value in SOQL: != against a value keeps the null rows ...
    ["Type != 'Customer'", ['Globex', 'Initech']],
    ['NumberOfEmployees != 500', ['100% Widgets_Co', 'Globex', 'Initech']],
    // ... while ordering operators never match null.
    ['NumberOfEmployees < 100000', ['100% Widgets_Co', 'Acme', 'Globex']],
    ['Renewal_Date__c < 2030-01-01', ['100% Widgets_Co', 'Acme', 'Globex']],
    ["Type NOT IN ('Customer')", ['Globex', 'Initech']],
    ["Type IN ('Prospect', null)", ['Globex', 'Initech']],
    ["Website LIKE '%'", ['Acme', 'Initech']],
  ])('%s', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });
});

describe('SOQL logical operators', () => {
  it.each([
    ["Type = 'Customer' AND NumberOfEmployees > 600", ['100% Widgets_Co']],
    ["Name = 'Acme' OR Name = 'Globex' OR Name = 'Nope'", ['Acme', 'Globex']],
    ["NOT Name = 'Acme'", ['100% Widgets_Co', 'Globex', 'Initech']],
    ["NOT (Name = 'Acme' OR Name = 'Globex')", ['100% Widgets_Co', 'Initech']],
    ["(Name = 'Acme' OR Name = 'Globex') AND NumberOfEmployees > 100", ['Acme']],
    ["Name = 'Acme' OR (Name = 'Globex' AND NumberOfEmployees > 100)", ['Acme']],
    ["Type = 'Customer' AND NOT NumberOfEmployees > 600", ['Acme']],
    ["((Name = 'Acme'))", ['Acme']],
    ["Name = 'Initech' and (NOT Type = 'Customer')", ['Initech']],
  ])('%s', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });

  it.each([
    ["Name = 'Acme' AND Type = 'Customer' OR Name = 'Globex'", "unexpected token: 'OR'"],
    ["Name = 'Acme' OR Name = 'Globex' AND Type = 'Customer'", "unexpected token: 'AND'"],
    ["(Name = 'Acme' OR Name = 'Globex') AND Type = 'Customer' OR Name = 'Initech'", "unexpected token: 'OR'"],
    ["Name = 'Acme' AND", 'unexpected token: <EOF>'],
    ["(Name = 'Acme'", 'unexpected token: <EOF>'],
  ])('mixing AND and OR without parentheses is MALFORMED_QUERY: %s', (where, message) => {
    const error = soqlError(`SELECT Name FROM Account WHERE ${where}`);
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain(message);
  });
});

describe('SOQL LIKE', () => {
  it.each([
    ["Name LIKE 'a%'", ['Acme']],
    ["Name LIKE '%E%'", ['100% Widgets_Co', 'Acme', 'Globex', 'Initech']],
    ["Name LIKE 'glob_x'", ['Globex']],
    ["Name LIKE 'Glob_'", []],
    ["Name LIKE 'acme'", ['Acme']],
    ["Name LIKE '100\\% W%'", ['100% Widgets_Co']],
    ["Name LIKE '%\\%%'", ['100% Widgets_Co']],
    ["Name LIKE '%s\\_Co'", ['100% Widgets_Co']],
    ["Name LIKE '%\\_%'", ['100% Widgets_Co']],
    ["Website LIKE '%.io'", ['Initech']],
    ["Name LIKE '(.*)'", []],
    ["NOT Name LIKE '%c%'", ['Globex']],
  ])('%s', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });

  it('a literal backslash-escaped % outside LIKE is MALFORMED_QUERY', () => {
    expect(soqlError("SELECT Name FROM Account WHERE Name = '100\\%'").errorCode).toBe('MALFORMED_QUERY');
  });

  it('LIKE on a number field is INVALID_FIELD', () => {
    expect(soqlError("SELECT Name FROM Account WHERE NumberOfEmployees LIKE '5%'").errorCode).toBe('INVALID_FIELD');
  });
});

describe('SOQL IN and NOT IN', () => {
  it.each([
    ["Name IN ('Acme', 'globex', 'Nope')", ['Acme', 'Globex']],
    ["Name NOT IN ('Acme', 'Globex')", ['100% Widgets_Co', 'Initech']],
    ['NumberOfEmployees IN (50, 1200)', ['100% Widgets_Co', 'Globex']],
    [`Id IN ('${IDS.acme}', '${IDS.initech}')`, ['Acme', 'Initech']],
    [`OwnerId NOT IN ('${IDS.ada}')`, ['Globex', 'Initech']],
    ['Renewal_Date__c IN (2026-12-15, 2027-01-10)', ['Acme', 'Globex']],
  ])('%s', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });

  it.each([
    ['Name IN ()', "unexpected token: ')'"],
    ["Name IN 'Acme'", "unexpected token: 'Acme'"],
    ["Name IN ('Acme',)", "unexpected token: ')'"],
  ])('%s is MALFORMED_QUERY', (where, message) => {
    const error = soqlError(`SELECT Name FROM Account WHERE ${where}`);
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain(message);
  });
});

describe('SOQL literal types must match the field type', () => {
  it.each([
    [
      'Renewal_Date__c = 2026-12-15T00:00:00Z',
      "value of filter criterion for field 'Renewal_Date__c' must be of type date and should not be enclosed in quotes",
    ],
    [
      'SystemModstamp > 2026-11-01',
      "value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes",
    ],
    ["Renewal_Date__c = '2026-12-15'", 'must be of type date'],
    [
      "NumberOfEmployees = '500'",
      "value of filter criterion for field 'NumberOfEmployees' must be of type integer and should not be enclosed in quotes",
    ],
    ['Name = 5', "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes"],
    ["IsClosed = 'true'", 'must be of type boolean'],
    ['Name = TODAY', 'must be of type string'],
    ['NumberOfEmployees IN (1, 2026-01-01)', 'must be of type integer'],
  ])('%s is INVALID_FIELD', (where, message) => {
    const object = where.startsWith('IsClosed') ? 'Opportunity' : 'Account';
    const error = soqlError(`SELECT Id FROM ${object} WHERE ${where}`);
    expect(error.errorCode).toBe('INVALID_FIELD');
    expect(error.message).toContain(message);
  });
});

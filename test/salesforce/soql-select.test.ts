import { describe, expect, it } from 'vitest';
import { IDS, makeContext, names, query, soqlError } from './soql-fixture.ts';

describe('SOQL SELECT: record shape', () => {
  it('returns attributes first, then the selected fields in SELECT order, canonically spelled', () => {
    const [first] = query("select name, ID, numberofemployees from ACCOUNT where id = '001000000000001AAA'").records;
    expect(first).toEqual({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${IDS.acme}` },
      Name: 'Acme',
      Id: IDS.acme,
      NumberOfEmployees: 500,
    });
    expect(Object.keys(first ?? {})).toEqual(['attributes', 'Name', 'Id', 'NumberOfEmployees']);
  });

  it('reports the canonical object name and renders datetimes with +0000, leaving dates alone', () => {
    const result = query("SELECT SystemModstamp, Renewal_Date__c FROM account WHERE Name = 'Acme'");
    expect(result.object).toBe('Account');
    expect(result.records[0]).toMatchObject({
      SystemModstamp: '2026-11-30T12:00:00.000+0000',
      Renewal_Date__c: '2026-12-15',
    });
  });

  it('returns null for empty fields rather than leaving them out', () => {
    const [initech] = query("SELECT Website, Type, AnnualRevenue FROM Account WHERE Name = 'Initech'").records;
    expect(initech).toMatchObject({ Website: 'initech.io', Type: null, AnnualRevenue: null });
    expect(Object.keys(initech ?? {})).toContain('Type');
  });

  it('nests a parent path as an object with its own attributes, merging paths through the same parent', () => {
    const [acme] = query("SELECT Name, owner.name, Owner.Email FROM Account WHERE Name = 'Acme'").records;
    expect(acme).toEqual({
      attributes: expect.objectContaining({ type: 'Account' }),
      Name: 'Acme',
      Owner: {
        attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${IDS.ada}` },
        Name: 'Ada Lovelace',
        Email: 'ada@example.com',
      },
    });
  });

  it('renders an empty lookup as null', () => {
    const [initech] = query("SELECT Owner.Name FROM Account WHERE Name = 'Initech'").records;
    expect(initech).toMatchObject({ Owner: null });
  });

  it('follows two-level paths and custom __r relationships', () => {
    const [opp] = query("SELECT Account.Owner.Name FROM Opportunity WHERE Name = 'Acme seats'").records;
    expect(opp).toMatchObject({
      Account: { attributes: { type: 'Account' }, Owner: { attributes: { type: 'User' }, Name: 'Ada Lovelace' } },
    });
    const [globex] = query("SELECT Parent_Account__r.Name FROM Account WHERE Name = 'Globex'").records;
    expect(globex).toMatchObject({ Parent_Account__r: { attributes: { type: 'Account' }, Name: 'Acme' } });
  });

  it('filters on parent fields, where a missing parent reads as null', () => {
    expect(names("SELECT Name FROM Account WHERE Owner.Name = 'Ada Lovelace' ORDER BY Name")).toEqual([
      '100% Widgets_Co',
      'Acme',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE Account.Name = null')).toEqual(['Orphan']);
  });

  it('supports SELECT COUNT() with an empty record list and the count in totalSize', () => {
    const result = query("SELECT COUNT() FROM Account WHERE Type = 'Customer'");
    expect(result.records).toEqual([]);
    expect(result.totalSize).toBe(2);
  });
});

describe('SOQL ORDER BY, LIMIT and OFFSET', () => {
  it.each([
    ['ORDER BY Name', ['100% Widgets_Co', 'Acme', 'Globex', 'Initech']],
    ['ORDER BY Name DESC', ['Initech', 'Globex', 'Acme', '100% Widgets_Co']],
    ['ORDER BY NumberOfEmployees', ['Initech', 'Globex', 'Acme', '100% Widgets_Co']],
    ['ORDER BY NumberOfEmployees ASC NULLS LAST', ['Globex', 'Acme', '100% Widgets_Co', 'Initech']],
    ['ORDER BY NumberOfEmployees DESC', ['100% Widgets_Co', 'Acme', 'Globex', 'Initech']],
    ['ORDER BY NumberOfEmployees DESC NULLS FIRST', ['Initech', '100% Widgets_Co', 'Acme', 'Globex']],
    ['ORDER BY Expansion_Score__c DESC NULLS LAST, Name', ['100% Widgets_Co', 'Acme', 'Globex', 'Initech']],
    ['ORDER BY Expansion_Score__c DESC NULLS LAST, Name DESC', ['Acme', '100% Widgets_Co', 'Globex', 'Initech']],
    ['ORDER BY SystemModstamp', ['100% Widgets_Co', 'Globex', 'Acme', 'Initech']],
    ['ORDER BY Owner.Name NULLS LAST, Name', ['100% Widgets_Co', 'Acme', 'Globex', 'Initech']],
    ['ORDER BY Name LIMIT 2', ['100% Widgets_Co', 'Acme']],
    ['ORDER BY Name LIMIT 2 OFFSET 1', ['Acme', 'Globex']],
    ['ORDER BY Name OFFSET 3', ['Initech']],
    ['ORDER BY Name LIMIT 0', []],
  ])('%s', (clause, expected) => {
    expect(names(`SELECT Name FROM Account ${clause}`)).toEqual(expected);
  });

  it('sorts text case-insensitively', () => {
    const accounts = [
      { Id: '001000000000009AAA', Name: 'beta' },
      { Id: '001000000000008AAA', Name: 'Alpha' },
      { Id: '001000000000007AAA', Name: 'Gamma' },
    ];
    expect(names('SELECT Name FROM Account ORDER BY Name', makeContext({ accounts }))).toEqual([
      'Alpha',
      'beta',
      'Gamma',
    ]);
  });
});

describe('SOQL errors name what is wrong', () => {
  it('an unknown object is INVALID_TYPE', () => {
    const error = soqlError('SELECT Id FROM Acount');
    expect(error.errorCode).toBe('INVALID_TYPE');
    expect(error.message).toContain("sObject type 'Acount' is not supported.");
  });

  it.each([
    ['SELECT Foo FROM Account', "No such column 'Foo' on entity 'Account'."],
    ['SELECT Id FROM Account WHERE Foo__c = 1', "No such column 'Foo__c' on entity 'Account'."],
    ['SELECT Id FROM Account ORDER BY Nmae', "No such column 'Nmae' on entity 'Account'."],
    ['SELECT Owner.Phone FROM Account', "No such column 'Phone' on entity 'User'."],
    ['SELECT Boss.Name FROM Account', "Didn't understand relationship 'Boss' in field path."],
    ['SELECT Website.Name FROM Account', "Didn't understand relationship 'Website' in field path."],
  ])('%s is INVALID_FIELD', (soql, message) => {
    const error = soqlError(soql);
    expect(error.errorCode).toBe('INVALID_FIELD');
    expect(error.message).toContain(message);
  });

  it('locates the error the way Salesforce does', () => {
    expect(soqlError('SELECT Id, Foo FROM Account').message).toMatch(
      /^SELECT Id, Foo FROM Account\n {11}\^\nERROR at Row:1:Column:12\nNo such column 'Foo'/,
    );
  });

  it.each([
    ['SELECT FROM Account', "unexpected token: 'FROM'"],
    ['SELECT Id Account', "unexpected token: 'Account'"],
    ['SELECT Id FROM Account WHERE', 'unexpected token: <EOF>'],
    ['SELECT Id FROM Account WHERE Name', 'unexpected token: <EOF>'],
    ['SELECT Id FROM Account WHERE Name == 1', "unexpected token: '='"],
    ['SELECT Id FROM Account LIMIT -1', "unexpected token: '-1'"],
    ['SELECT Id FROM Account ORDER Name', "unexpected token: 'Name'"],
    ['SELECT Id, FROM Account', "unexpected token: 'FROM'"],
    ['SELECT Id FROM Account WHERE Name = "Acme"', 'unexpected token: \'"Acme"\''],
    ['SELECT Id FROM Account LIMIT 1 garbage', "unexpected token: 'garbage'"],
    ['SELECT Name, name FROM Account', 'duplicate field selected: name'],
    ['SELECT Owner.Name, owner.NAME FROM Account', 'duplicate field selected: owner.NAME'],
  ])('%s is MALFORMED_QUERY', (soql, message) => {
    const error = soqlError(soql);
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain(message);
  });
});

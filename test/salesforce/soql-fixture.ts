import {
  runSoql,
  SoqlError,
  type SoqlContext,
  type SoqlField,
  type SoqlResult,
} from '../../connectors/salesforce/emulator/soql/index.ts';

type Row = Readonly<Record<string, unknown>>;

const FIELDS: Readonly<Record<string, readonly SoqlField[]>> = {
  Account: [
    { name: 'Id', type: 'id' },
    { name: 'Name', type: 'string' },
    { name: 'Website', type: 'url' },
    { name: 'OwnerId', type: 'reference', referenceTo: ['User'], relationshipName: 'Owner' },
    { name: 'NumberOfEmployees', type: 'int' },
    { name: 'AnnualRevenue', type: 'currency' },
    { name: 'Type', type: 'picklist' },
    { name: 'SystemModstamp', type: 'datetime' },
    { name: 'Expansion_Score__c', type: 'double' },
    { name: 'Renewal_Date__c', type: 'date' },
    { name: 'Parent_Account__c', type: 'reference', referenceTo: ['Account'], relationshipName: 'Parent_Account__r' },
  ],
  Opportunity: [
    { name: 'Id', type: 'id' },
    { name: 'Name', type: 'string' },
    { name: 'AccountId', type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' },
    { name: 'StageName', type: 'picklist' },
    { name: 'IsClosed', type: 'boolean' },
    { name: 'CloseDate', type: 'date' },
    { name: 'Amount', type: 'currency' },
    { name: 'Expansion_Key__c', type: 'string' },
  ],
  User: [
    { name: 'Id', type: 'id' },
    { name: 'Name', type: 'string' },
    { name: 'Email', type: 'email' },
  ],
};

export const IDS = {
  acme: '001000000000001AAA',
  globex: '001000000000002AAA',
  initech: '001000000000003AAA',
  widgets: '001000000000004AAA',
  ada: '005000000000001AAA',
  grace: '005000000000002AAA',
  opp1: '006000000000001AAA',
  opp2: '006000000000002AAA',
  opp3: '006000000000003AAA',
} as const;

const account = (fields: Row): Row => ({
  Website: null,
  OwnerId: null,
  NumberOfEmployees: null,
  AnnualRevenue: null,
  Type: null,
  SystemModstamp: null,
  Expansion_Score__c: null,
  Renewal_Date__c: null,
  Parent_Account__c: null,
  ...fields,
});

export const ACCOUNTS: readonly Row[] = [
  account({
    Id: IDS.acme,
    Name: 'Acme',
    Website: 'acme.com',
    OwnerId: IDS.ada,
    NumberOfEmployees: 500,
    AnnualRevenue: 1_000_000,
    Type: 'Customer',
    SystemModstamp: '2026-11-30T12:00:00.000Z',
    Expansion_Score__c: 0.8,
    Renewal_Date__c: '2026-12-15',
  }),
  account({
    Id: IDS.globex,
    Name: 'Globex',
    OwnerId: IDS.grace,
    NumberOfEmployees: 50,
    AnnualRevenue: 200_000,
    Type: 'Prospect',
    SystemModstamp: '2026-10-01T00:00:00.000Z',
    Expansion_Score__c: 0.3,
    Renewal_Date__c: '2027-01-10',
    Parent_Account__c: IDS.acme,
  }),
  account({ Id: IDS.initech, Name: 'Initech', Website: 'initech.io', SystemModstamp: '2026-12-01T08:00:00.000Z' }),
  account({
    Id: IDS.widgets,
    Name: '100% Widgets_Co',
    OwnerId: IDS.ada,
    NumberOfEmployees: 1200,
    AnnualRevenue: 5_000_000,
    Type: 'Customer',
    SystemModstamp: '2026-09-30T23:59:59.000Z',
    Expansion_Score__c: 0.8,
    Renewal_Date__c: '2026-09-30',
  }),
];

const USERS: readonly Row[] = [
  { Id: IDS.ada, Name: 'Ada Lovelace', Email: 'ada@example.com' },
  { Id: IDS.grace, Name: 'Grace Hopper', Email: 'grace@example.com' },
];

const OPPORTUNITIES: readonly Row[] = [
  {
    Id: IDS.opp1,
    Name: 'Acme seats',
    AccountId: IDS.acme,
    StageName: 'Prospecting',
    IsClosed: false,
    CloseDate: '2026-12-31',
    Amount: 5000,
    Expansion_Key__c: 'A1:seat:2026',
  },
  {
    Id: IDS.opp2,
    Name: 'Initech tier',
    AccountId: IDS.initech,
    StageName: 'Closed Won',
    IsClosed: true,
    CloseDate: '2026-11-15',
    Amount: 12000,
    Expansion_Key__c: null,
  },
  {
    Id: IDS.opp3,
    Name: 'Orphan',
    AccountId: null,
    StageName: 'Qualification',
    IsClosed: false,
    CloseDate: '2027-02-01',
    Amount: null,
    Expansion_Key__c: 'k3',
  },
];

/** 2026-12-01 is a Tuesday. */
export const NOW = new Date('2026-12-01T10:00:00.000Z');

/** An in-memory schema and record set shaped like the emulator's, with case-insensitive names. */
export function makeContext(options: { readonly now?: Date; readonly accounts?: readonly Row[] } = {}): SoqlContext {
  const tables: Readonly<Record<string, readonly Row[]>> = {
    Account: options.accounts ?? ACCOUNTS,
    Opportunity: OPPORTUNITIES,
    User: USERS,
  };
  const canonical = (object: string): string | undefined =>
    Object.keys(FIELDS).find((name) => name.toLowerCase() === object.toLowerCase());
  return {
    now: options.now ?? NOW,
    schema: {
      hasObject: (object) => canonical(object) !== undefined,
      objectName: (object) => canonical(object) ?? object,
      field: (object, name) =>
        FIELDS[canonical(object) ?? '']?.find((field) => field.name.toLowerCase() === name.toLowerCase()),
    },
    data: {
      records: (object) => tables[canonical(object) ?? ''] ?? [],
      byId: (id) => {
        for (const [object, rows] of Object.entries(tables)) {
          const record = rows.find((row) => row['Id'] === id);
          if (record) return { object, record };
        }
        return undefined;
      },
    },
    attributes: (object, id) => ({ type: object, url: `/services/data/v62.0/sobjects/${object}/${id}` }),
  };
}

export function query(soql: string, context: SoqlContext = makeContext()): SoqlResult {
  return runSoql(soql, context);
}

/** The `Name` of every returned record, in result order. */
export function names(soql: string, context?: SoqlContext): unknown[] {
  return query(soql, context).records.map((record) => record['Name']);
}

/** The SoqlError a query throws (fails the test when it does not throw one). */
export function soqlError(soql: string, context?: SoqlContext): SoqlError {
  try {
    query(soql, context);
  } catch (error) {
    if (error instanceof SoqlError) return error;
    throw error;
  }
  throw new Error(`expected a SoqlError from: ${soql}`);
}

import path from 'node:path';
import {
  seededUserId,
  startSalesforceEmulator,
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
} from '../../connectors/salesforce/emulator/index.ts';
import type { UsageDay } from '../../src/model/usage.ts';
import { type TestCompany } from './companies.ts';
import { SHIPPED_MAPPINGS, startCrmHarness, type CrmHarness, type CrmHarnessSpec } from './harness.ts';
import './salesforce-emulator.ts';

export { AS_OF, defaultUsage } from './companies.ts';

/** The shared harness on a Salesforce emulator, plus the Opportunities of an account as the org holds them. */
export interface SalesforceHarness extends CrmHarness<SalesforceEmulator> {
  opportunitiesOf(domain: string): ReturnType<SalesforceEmulator['listRecords']>;
}

export interface SalesforceHarnessOptions {
  readonly companies?: readonly TestCompany[];
  readonly usage?: readonly UsageDay[];
  readonly emulator?: SalesforceEmulatorOptions;
  /** Keys merged into `crm.salesforce` (mappings, notes, maxDailyShare, ...). */
  readonly salesforce?: Readonly<Record<string, unknown>>;
  /** Top-level config keys. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** The Salesforce side of the shared harness: an org with the custom Account fields RevOps keep, client credentials. */
export function salesforceSpec(emulator: SalesforceEmulatorOptions = {}): CrmHarnessSpec<SalesforceEmulator> {
  return {
    key: 'salesforce',
    start: ({ now, companies }) => startSalesforceEmulator({ now, ...emulator, seed: seedFor(companies) }),
    config: (e) => ({
      loginUrl: e.url,
      auth: { flow: 'client_credentials', clientId: e.clientId, clientSecret: { env: 'SALESFORCE_CLIENT_SECRET' } },
      mappings: {
        accounts: path.join(SHIPPED_MAPPINGS, 'salesforce.accounts.yaml'),
        opportunities: path.join(SHIPPED_MAPPINGS, 'salesforce.opportunities.yaml'),
      },
    }),
    env: (e) => ({ SALESFORCE_CLIENT_SECRET: e.clientSecret }),
    accountIds: (e) => new Map(e.listRecords('Account').map((a) => [String(a['Website'] ?? ''), a.Id])),
    stop: (e) => e.stop(),
  };
}

/** The same five companies as the HubSpot tests, as Salesforce Accounts with the custom fields RevOps keep. */
export async function startSalesforceHarness(options: SalesforceHarnessOptions = {}): Promise<SalesforceHarness> {
  const { emulator, salesforce, ...rest } = options;
  const crm = salesforce ? { crm: salesforce } : {};
  const harness = await startCrmHarness(salesforceSpec(emulator), { ...rest, ...crm });
  const opportunitiesOf = (domain: string) =>
    harness.emulator.listRecords('Opportunity').filter((o) => o['AccountId'] === harness.accountId(domain));
  return { ...harness, opportunitiesOf };
}

function seedFor(companies: readonly TestCompany[]) {
  const owners = ['2001', '2002'];
  const user = (name: string, first: string, last: string) => ({
    Username: `${name}@vendor.example`,
    FirstName: first,
    LastName: last,
    Email: `${name}@vendor.example`,
  });
  return {
    users: [
      user('integration', 'Integration', 'User'),
      user('dana.ae', 'Dana', 'Reyes'),
      user('sam.csm', 'Sam', 'Okafor'),
    ],
    fields: {
      Account: [
        { name: 'ARR__c', type: 'currency' as const, precision: 18, scale: 2 },
        { name: 'Licensed_Seats__c', type: 'double' as const, precision: 18, scale: 0 },
        { name: 'Plan__c', type: 'string' as const, length: 40 },
        { name: 'Modules_Owned__c', type: 'string' as const, length: 255 },
        { name: 'Renewal_Date__c', type: 'date' as const },
      ],
    },
    accounts: companies.map((c) => ({
      Name: c.name,
      Website: c.domain,
      OwnerId: seededUserId(owners.indexOf(c.ownerId) + 1),
      ARR__c: c.seats * 600,
      Licensed_Seats__c: c.seats,
      Plan__c: c.plan,
      Modules_Owned__c: 'core',
      Renewal_Date__c: c.renewalDate,
      NumberOfEmployees: c.seats * 4,
    })),
  };
}

import { seededUserId, type FieldInput, type SalesforceSeed } from './emulator/index.ts';
import { DEMO_OWNERS, generateCompanies, type SyntheticCompany } from '../../src/demo/portfolio.ts';

const INTEGRATION_USER = {
  Username: 'integration@vendor.example',
  FirstName: 'Integration',
  LastName: 'User',
  Email: 'integration@vendor.example',
};

/** The custom Account fields `mappings/salesforce.accounts.yaml` reads, as a customer's RevOps would keep them. */
function accountFields(companies: readonly SyntheticCompany[]): FieldInput[] {
  const modules = [...new Set(companies.flatMap((c) => c.modulesOwned))].sort();
  return [
    { name: 'ARR__c', label: 'ARR', type: 'currency', precision: 18, scale: 2 },
    { name: 'Licensed_Seats__c', label: 'Licensed seats', type: 'double', precision: 18, scale: 0 },
    {
      name: 'Plan__c',
      label: 'Plan',
      type: 'picklist',
      picklistValues: ['starter', 'growth', 'enterprise'].map((value) => ({ value })),
    },
    {
      name: 'Modules_Owned__c',
      label: 'Modules owned',
      type: 'multipicklist',
      length: 4099,
      picklistValues: modules.map((value) => ({ value })),
    },
    { name: 'Renewal_Date__c', label: 'Renewal date', type: 'date' },
    { name: 'Customer_Since__c', label: 'Customer since', type: 'date' },
  ];
}

/**
 * A Salesforce org as a customer would have it before installing the worker: the integration user the
 * connected app runs as, the AEs, Accounts from the synthetic portfolio with the custom fields RevOps keep,
 * and no expansion-sync fields yet (the first sync provisions them).
 */
export function salesforceDemoSeed(options: {
  readonly companies: number;
  readonly asOf: string;
  readonly seed?: number;
}): { seed: SalesforceSeed; companies: SyntheticCompany[] } {
  const companies = generateCompanies({
    companies: options.companies,
    days: 90,
    asOf: options.asOf,
    seed: options.seed ?? 7,
    owners: DEMO_OWNERS.length,
  });
  const users = [
    INTEGRATION_USER,
    ...DEMO_OWNERS.map((o) => ({ Username: o.email, FirstName: o.firstName, LastName: o.lastName, Email: o.email })),
  ];
  const seed: SalesforceSeed = {
    users,
    fields: { Account: accountFields(companies) },
    accounts: companies.map((c) => ({
      Name: c.name,
      Website: `https://www.${c.domain}/`,
      OwnerId: seededUserId(1 + (c.ownerIndex % DEMO_OWNERS.length)),
      Type: 'Customer - Direct',
      NumberOfEmployees: c.employees,
      ARR__c: c.arr,
      Licensed_Seats__c: c.licensedSeats,
      Plan__c: c.plan,
      Modules_Owned__c: c.modulesOwned.join(';'),
      Renewal_Date__c: c.renewalDate,
      Customer_Since__c: c.customerSince,
    })),
  };
  return { seed, companies };
}

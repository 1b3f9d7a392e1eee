import type { HubspotSeed } from './emulator/index.ts';
import { DEMO_OWNERS, generateCompanies, type SyntheticCompany } from '../../src/demo/portfolio.ts';

/**
 * A HubSpot portal as a customer would have it before installing the worker: owners, companies with the
 * custom properties their RevOps keep (ARR, licensed seats, plan, modules, renewal date, customer since),
 * and no expansion-sync properties yet (the first sync provisions them).
 */
export function demoSeed(options: { readonly companies: number; readonly asOf: string; readonly seed?: number }): {
  seed: HubspotSeed;
  companies: SyntheticCompany[];
} {
  const companies = generateCompanies({
    companies: options.companies,
    days: 90,
    asOf: options.asOf,
    seed: options.seed ?? 7,
    owners: DEMO_OWNERS.length,
  });
  const owners = DEMO_OWNERS.map((o, i) => ({ id: String(1001 + i), ...o }));
  const seed: HubspotSeed = {
    owners,
    properties: {
      companies: [
        { name: 'arr', label: 'ARR', type: 'number', fieldType: 'number', groupName: 'companyinformation' },
        {
          name: 'licensed_seats',
          label: 'Licensed seats',
          type: 'number',
          fieldType: 'number',
          groupName: 'companyinformation',
        },
        {
          name: 'plan_tier',
          label: 'Plan',
          type: 'enumeration',
          fieldType: 'select',
          groupName: 'companyinformation',
          options: ['starter', 'growth', 'enterprise'].map((v, i) => ({
            label: v,
            value: v,
            displayOrder: i,
            hidden: false,
          })),
        },
        {
          name: 'modules_owned',
          label: 'Modules owned',
          type: 'string',
          fieldType: 'text',
          groupName: 'companyinformation',
        },
        {
          name: 'renewal_date',
          label: 'Renewal date',
          type: 'date',
          fieldType: 'date',
          groupName: 'companyinformation',
        },
        {
          name: 'customer_since',
          label: 'Customer since',
          type: 'date',
          fieldType: 'date',
          groupName: 'companyinformation',
        },
      ],
    },
    objects: {
      companies: companies.map((c) => ({
        properties: {
          name: c.name,
          domain: c.domain,
          hubspot_owner_id: owners[c.ownerIndex % owners.length]?.id ?? '1001',
          arr: String(c.arr),
          licensed_seats: String(c.licensedSeats),
          plan_tier: c.plan,
          modules_owned: c.modulesOwned.join(';'),
          renewal_date: c.renewalDate,
          customer_since: c.customerSince,
          numberofemployees: String(c.employees),
        },
      })),
    },
  };
  return { seed, companies };
}

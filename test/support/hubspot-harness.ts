import path from 'node:path';
import {
  startHubspotEmulator,
  type HubspotEmulator,
  type HubspotEmulatorOptions,
} from '../../connectors/hubspot/emulator/index.ts';
import type { UsageDay } from '../../src/model/usage.ts';
import { type TestCompany } from './companies.ts';
import { SHIPPED_MAPPINGS, startCrmHarness, type CrmHarness, type CrmHarnessSpec } from './harness.ts';

export { AS_OF, COMPANIES, defaultUsage, type TestCompany } from './companies.ts';

/** The shared harness on a HubSpot emulator; `companyId` is HubSpot's name for `accountId`. */
export interface Harness extends CrmHarness<HubspotEmulator> {
  companyId(domain: string): string;
}

export interface HarnessOptions {
  readonly companies?: readonly TestCompany[];
  readonly usage?: readonly UsageDay[];
  readonly emulator?: Omit<HubspotEmulatorOptions, 'seed' | 'now'>;
  /** Top-level config keys. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Keys merged into `crm.hubspot` (mappings, pipeline, ...). */
  readonly hubspot?: Readonly<Record<string, unknown>>;
}

/** The HubSpot side of the shared harness: a portal with the properties RevOps keep, and a private-app token. */
export function hubspotSpec(emulator: HarnessOptions['emulator'] = {}): CrmHarnessSpec<HubspotEmulator> {
  return {
    key: 'hubspot',
    start: ({ now, companies }) => startHubspotEmulator({ port: 0, now, ...emulator, seed: seedFor(companies) }),
    config: (e) => ({
      token: { env: 'HUBSPOT_TOKEN' },
      basePath: e.url,
      rateLimit: { perTenSeconds: 1000 },
      mappings: {
        companies: path.join(SHIPPED_MAPPINGS, 'hubspot.companies.yaml'),
        deals: path.join(SHIPPED_MAPPINGS, 'hubspot.deals.yaml'),
      },
    }),
    env: (e) => ({ HUBSPOT_TOKEN: e.token }),
    accountIds: (e) => new Map(e.listObjects('companies').map((c) => [c.properties['domain'] ?? '', c.id])),
    stop: (e) => e.stop(),
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { emulator, hubspot, ...rest } = options;
  const harness = await startCrmHarness(hubspotSpec(emulator), { ...rest, ...(hubspot ? { crm: hubspot } : {}) });
  return { ...harness, companyId: harness.accountId };
}

function seedFor(companies: readonly TestCompany[]) {
  const property = (name: string, label: string, type: string, fieldType: string) => ({
    name,
    label,
    type,
    fieldType,
    groupName: 'companyinformation',
  });
  return {
    owners: [
      { id: '2001', email: 'dana.ae@example.com', firstName: 'Dana', lastName: 'Reyes' },
      { id: '2002', email: 'sam.csm@example.com', firstName: 'Sam', lastName: 'Okafor' },
    ],
    properties: {
      companies: [
        property('arr', 'ARR', 'number', 'number'),
        property('licensed_seats', 'Licensed seats', 'string', 'text'), // text, as many portals keep it
        property('plan_tier', 'Plan', 'string', 'text'),
        property('modules_owned', 'Modules owned', 'string', 'text'),
        property('renewal_date', 'Renewal date', 'date', 'date'),
      ],
    },
    objects: {
      companies: companies.map((c) => ({
        properties: {
          name: c.name,
          domain: c.domain,
          hubspot_owner_id: c.ownerId,
          arr: String(c.seats * 600),
          licensed_seats: String(c.seats),
          plan_tier: c.plan,
          modules_owned: 'core',
          renewal_date: c.renewalDate,
          numberofemployees: String(c.seats * 4),
        },
      })),
    },
  };
}

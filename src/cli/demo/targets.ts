import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startHubspotEmulator } from '../../../connectors/hubspot/emulator/index.ts';
import { startSalesforceEmulator } from '../../../connectors/salesforce/emulator/index.ts';
import type { SyntheticCompany } from '../../demo/portfolio.ts';
import { demoSeed } from './hubspot-seed.ts';
import { salesforceDemoSeed } from './salesforce-seed.ts';

const MAPPINGS = fileURLToPath(new URL('../../../mappings/', import.meta.url));

export type DemoCrm = 'hubspot' | 'salesforce';

/** One CRM emulator, seeded, with what the demo needs to run the CLI against it and to show the result. */
export interface DemoTarget {
  readonly label: string;
  readonly url: string;
  readonly companies: readonly SyntheticCompany[];
  readonly env: Readonly<Record<string, string>>;
  readonly crmConfig: object;
  writes(): number;
  lookAround(): string[];
  stop(): Promise<void>;
}

export async function startDemoTarget(crm: DemoCrm, options: { readonly companies: number; readonly asOf: string; readonly seed?: number }): Promise<DemoTarget> {
  return crm === 'salesforce' ? startSalesforce(options) : startHubspot(options);
}

async function startHubspot(options: { readonly companies: number; readonly asOf: string; readonly seed?: number }): Promise<DemoTarget> {
  const { seed, companies } = demoSeed(options);
  const emulator = await startHubspotEmulator({ port: 0, seed });
  const auth = `-H "Authorization: Bearer ${emulator.token}"`;
  return {
    label: 'HubSpot',
    url: emulator.url,
    companies,
    env: { HUBSPOT_TOKEN: emulator.token },
    crmConfig: { hubspot: { token: { env: 'HUBSPOT_TOKEN' }, basePath: emulator.url, mappings: { companies: path.join(MAPPINGS, 'hubspot.companies.yaml'), deals: path.join(MAPPINGS, 'hubspot.deals.yaml') } } },
    writes: () => emulator.writes(),
    lookAround: () => [
      `  curl -s ${auth} "${emulator.url}/crm/v3/objects/deals?limit=5&properties=dealname,amount,dealstage,expansion_key&associations=companies"`,
      `  curl -s ${auth} "${emulator.url}/crm/v3/objects/notes?limit=2&properties=hs_note_body"`,
      `  curl -s ${auth} "${emulator.url}/crm/v3/objects/companies?limit=5&properties=name,es_score,es_health,es_timing,es_potential_arr"`,
    ],
    stop: () => emulator.stop(),
  };
}

async function startSalesforce(options: { readonly companies: number; readonly asOf: string; readonly seed?: number }): Promise<DemoTarget> {
  const { seed, companies } = salesforceDemoSeed(options);
  const emulator = await startSalesforceEmulator({ port: 0, seed });
  const query = (soql: string) => `  curl -s -H "Authorization: Bearer $TOKEN" "${emulator.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}"`;
  return {
    label: 'Salesforce',
    url: emulator.url,
    companies,
    env: { SALESFORCE_CLIENT_SECRET: emulator.clientSecret },
    crmConfig: {
      salesforce: {
        loginUrl: emulator.url,
        auth: { flow: 'client_credentials', clientId: emulator.clientId, clientSecret: { env: 'SALESFORCE_CLIENT_SECRET' } },
        mappings: { accounts: path.join(MAPPINGS, 'salesforce.accounts.yaml'), opportunities: path.join(MAPPINGS, 'salesforce.opportunities.yaml') },
      },
    },
    writes: () => emulator.writes(),
    lookAround: () => [
      `  TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=${emulator.clientId} -d client_secret=${emulator.clientSecret} ${emulator.url}/services/oauth2/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
      query('SELECT Name, Amount, StageName, Expansion_Key__c, Account.Name FROM Opportunity LIMIT 5'),
      query('SELECT Name, Expansion_Score__c, Expansion_Health__c, Expansion_Timing__c, Expansion_Potential_ARR__c FROM Account LIMIT 5'),
    ],
    stop: () => emulator.stop(),
  };
}

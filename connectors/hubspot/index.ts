import type { HubspotConfig } from '../../src/config/schema.ts';
import type { CheckResult, CrmConnector } from '../../src/engine/crm.ts';
import { defaultNormalize } from '../../src/engine/plan-fields.ts';
import type { WriteFieldsFn } from '../../src/engine/plan.ts';
import { errorMessage } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { loadMappingFile, writeFieldsFor, type MappingFile } from '../../src/mapping/index.ts';
import { createHubspotClient, type HubspotClient } from './client.ts';
import { COMPANY_OUTPUTS, DEAL_OUTPUTS } from './property-catalog.ts';
import { provisionHubspot, readProperties, type PropertyTarget } from './provision.ts';
import { readCompanies, readDeals, readOwners } from './read.ts';
import { createNotes, findNotes, updateCompanies, upsertDeals } from './write.ts';

export interface CreateHubspotConnectorOptions {
  readonly config: HubspotConfig;
  readonly accessToken: string;
  /** Resolves mapping paths relative to the config file. */
  readonly resolvePath: (relative: string) => string;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Tests inject a sleep so retry waits do not take real time. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export type HubspotConnector = CrmConnector & { readonly client: HubspotClient; readonly mappings: { readonly companies: MappingFile; readonly deals: MappingFile } };

export async function createHubspotConnector(options: CreateHubspotConnectorOptions): Promise<HubspotConnector> {
  const { config } = options;
  const companies = await loadMappingFile(options.resolvePath(config.mappings.companies), { system: 'hubspot', object: 'companies' });
  const deals = await loadMappingFile(options.resolvePath(config.mappings.deals), { system: 'hubspot', object: 'deals' });
  const client = createHubspotClient({
    accessToken: options.accessToken,
    ...(config.basePath ? { basePath: config.basePath.replace(/\/+$/, '') } : {}),
    rateLimit: config.rateLimit,
    log: options.log.child({ system: 'hubspot' }),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const now = options.now ?? (() => new Date());
  const companyWriteFields = companies.write.map((w) => w.field);
  const dealWriteFields = deals.write.map((w) => w.field);
  const keyProperty = deals.write.find((w) => w.from === 'expansionKey')?.field ?? 'expansion_key';
  const targets: PropertyTarget[] = [
    ...companies.write.flatMap((w) => (COMPANY_OUTPUTS[w.from] ? [{ objectType: 'companies' as const, name: w.field, spec: COMPANY_OUTPUTS[w.from]! }] : [])),
    ...deals.write.flatMap((w) => (DEAL_OUTPUTS[w.from] ? [{ objectType: 'deals' as const, name: w.field, spec: DEAL_OUTPUTS[w.from]! }] : [])),
  ];
  const asFn = (mapping: MappingFile): WriteFieldsFn => (outputs) => writeFieldsFor(mapping, outputs);

  return {
    system: 'hubspot',
    objects: { account: 'companies', opportunity: 'deals', note: 'notes' },
    // 100 inputs per batch call: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
    maxBatchSize: 100,
    client,
    mappings: { companies, deals },
    accountWriteFields: asFn(companies),
    opportunityWriteFields: asFn(deals),
    check: () => checkPortal(client, { companies, deals }),
    provision: async ({ dryRun }) => {
      const result = await provisionHubspot({ client, group: config.propertyGroup, targets, dryRun });
      return { created: result.created, existing: result.existing, missing: result.missing };
    },
    readOwners: () => readOwners(client),
    readAccounts: () => readCompanies({ client, mapping: companies, writeFields: companyWriteFields }),
    readOpportunities: (accountIds) => readDeals({ client, mapping: deals, writeFields: dealWriteFields, accountIds }),
    updateAccounts: (updates) => updateCompanies(client, updates),
    upsertOpportunities: (upserts) => upsertDeals({ client, upserts, keyProperty }),
    createNotes: (notes) => createNotes({ client, notes, now }),
    findNotes: (pending) => findNotes(client, pending),
    normalize: (_object, field, value) => defaultNormalize(field, value),
    close: () => client.stop(),
    apiStats: () => {
      const s = client.stats();
      return { total: s.total, calls: s.calls, retries: s.retries, rateLimited: s.rateLimited };
    },
  };
}

/** `check`: the token works, the portal answers, and the properties the mappings read exist. */
async function checkPortal(client: HubspotClient, mappings: { companies: MappingFile; deals: MappingFile }): Promise<CheckResult> {
  const checks: Array<{ name: string; ok: boolean; message: string }> = [];
  try {
    await client.call('owners.read', (sdk) => sdk.crm.owners.ownersApi.getPage(undefined, undefined, 1, false));
    checks.push({ name: 'token', ok: true, message: 'the access token is accepted and the portal answers' });
  } catch (error) {
    checks.push({ name: 'token', ok: false, message: errorMessage(error) });
    return { ok: false, checks };
  }
  try {
    const properties = await readProperties(client);
    for (const [object, mapping] of [['companies', mappings.companies], ['deals', mappings.deals]] as const) {
      const missing = mapping.read.map((r) => r.field).filter((f) => !properties[object].has(f));
      checks.push({ name: `${object} properties`, ok: missing.length === 0, message: missing.length === 0 ? `all ${mapping.read.length} mapped ${object} properties exist` : `mapped but missing in the portal: ${missing.join(', ')} (fix ${mapping.file})` });
    }
  } catch (error) {
    checks.push({ name: 'properties', ok: false, message: `cannot read property definitions (needs the crm.schemas.*.read scopes): ${errorMessage(error)}` });
  }
  return { ok: checks.every((c) => c.ok), checks };
}

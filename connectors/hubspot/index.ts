import type { HubspotConfig } from '../../src/config/schema.ts';
import type { CrmConnector } from '../../src/engine/crm.ts';
import { defaultNormalize } from '../../src/engine/plan-fields.ts';
import type { WriteFieldsFn } from '../../src/engine/plan.ts';
import type { Logger } from '../../src/logger.ts';
import { loadMappingFile, writeFieldsFor, type MappingFile } from '../../src/mapping/index.ts';
import { checkPortal } from './check.ts';
import { createHubspotClient, type HubspotClient } from './client.ts';
import { COMPANY_OUTPUTS, DEAL_OUTPUTS } from './property-catalog.ts';
import { hubspotFieldCatalog } from './field-catalog.ts';
import { provisionHubspot, readProperties, type PropertyIndex, type PropertyTarget } from './provision.ts';
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
  // The mappings in force this run: the files, less any rule the CRM's current schema disables.
  let active = { account: companies, opportunity: deals };
  let properties: PropertyIndex | undefined;
  const keyProperty = deals.write.find((w) => w.from === 'expansionKey')?.field ?? 'expansion_key';
  const targets: PropertyTarget[] = [
    ...companies.write.flatMap((w) => (COMPANY_OUTPUTS[w.from] ? [{ objectType: 'companies' as const, name: w.field, spec: COMPANY_OUTPUTS[w.from]! }] : [])),
    ...deals.write.flatMap((w) => (DEAL_OUTPUTS[w.from] ? [{ objectType: 'deals' as const, name: w.field, spec: DEAL_OUTPUTS[w.from]! }] : [])),
  ];
  const asFn = (entity: 'account' | 'opportunity'): WriteFieldsFn => (outputs) => writeFieldsFor(active[entity], outputs);

  return {
    system: 'hubspot',
    objects: { account: 'companies', opportunity: 'deals', note: 'notes' },
    // 100 inputs per batch call: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
    maxBatchSize: 100,
    client,
    mappings: { companies, deals },
    get mappingFiles() {
      return active;
    },
    useMappings: (next) => {
      active = next;
    },
    // The definitions provision just read (with what it created), else a fresh read.
    describeFields: async () => hubspotFieldCatalog(properties ?? (await readProperties(client))),
    accountWriteFields: asFn('account'),
    opportunityWriteFields: asFn('opportunity'),
    check: () => checkPortal({ client, accessToken: options.accessToken, mappings: { companies, deals } }),
    provision: async ({ dryRun }) => {
      const result = await provisionHubspot({ client, group: config.propertyGroup, targets, dryRun });
      properties = result.properties;
      return { created: result.created, existing: result.existing, missing: result.missing };
    },
    readOwners: () => readOwners(client),
    readAccounts: () => readCompanies({ client, mapping: active.account, writeFields: active.account.write.map((w) => w.field) }),
    readOpportunities: (accountIds) => readDeals({ client, mapping: active.opportunity, writeFields: active.opportunity.write.map((w) => w.field), accountIds }),
    updateAccounts: (updates) => updateCompanies(client, updates),
    upsertOpportunities: (upserts) => upsertDeals({ client, upserts, keyProperty }),
    createNotes: (notes) => createNotes({ client, notes, now }),
    findNotes: (pending) => findNotes(client, pending),
    normalize: (_object, field, value) => defaultNormalize(field, value),
    close: () => client.stop(),
    apiStats: () => {
      const s = client.stats();
      // X-HubSpot-RateLimit-Daily-Remaining (private apps): https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
      return { total: s.total, calls: s.calls, retries: s.retries, rateLimited: s.rateLimited, ...(s.dailyRemaining === undefined ? {} : { quota: { remaining: s.dailyRemaining } }) };
    },
  };
}

import type { HubspotConfig } from './config.ts';
import type { CrmConnector, WriteTarget } from '../../src/engine/crm.ts';
import type { Logger } from '../../src/logger.ts';
import { checkPortal } from './check.ts';
import { createHubspotClient, type HubspotClient } from './client.ts';
import { propertySpec } from './property-catalog.ts';
import { hubspotFieldCatalog } from './field-catalog.ts';
import { provisionHubspot, readProperties, type PropertyIndex, type PropertyTarget } from './provision.ts';
import { readCompanies, readDeals, readOwners } from './read.ts';
import { createNotes, findNotes, updateCompanies, upsertDeals } from './write.ts';

export interface CreateHubspotConnectorOptions {
  readonly config: HubspotConfig;
  readonly accessToken: string;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Tests inject a sleep so retry waits do not take real time. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export type HubspotConnector = CrmConnector & { readonly client: HubspotClient };

/** The property a write target lands in, typed from the one output catalog; outputs we do not create are skipped. */
function propertyTargets(targets: readonly WriteTarget[]): PropertyTarget[] {
  return targets.flatMap((t) => {
    const spec = propertySpec(t.entity, t.from);
    return spec
      ? [{ objectType: t.entity === 'account' ? ('companies' as const) : ('deals' as const), name: t.field, spec }]
      : [];
  });
}

export async function createHubspotConnector(options: CreateHubspotConnectorOptions): Promise<HubspotConnector> {
  const { config } = options;
  const client = createHubspotClient({
    accessToken: options.accessToken,
    ...(config.basePath ? { basePath: config.basePath.replace(/\/+$/, '') } : {}),
    rateLimit: config.rateLimit,
    log: options.log.child({ system: 'hubspot' }),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const now = options.now ?? (() => new Date());
  let properties: PropertyIndex | undefined;
  // The unique property deals are upserted on: the target provisioning was given for expansionKey.
  let keyProperty = 'expansion_key';

  return {
    system: 'hubspot',
    objects: { account: 'companies', opportunity: 'deals', note: 'notes' },
    // 100 inputs per batch call: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
    maxBatchSize: 100,
    client,
    // The definitions provision just read (with what it created), else a fresh read.
    describeFields: async () => hubspotFieldCatalog(properties ?? (await readProperties(client))),
    check: (mappings) =>
      checkPortal({
        client,
        accessToken: options.accessToken,
        mappings: { companies: mappings.account, deals: mappings.opportunity },
        deal: { pipeline: config.pipeline, stage: config.stage },
      }),
    provision: async ({ dryRun, targets }) => {
      keyProperty = targets.find((t) => t.entity === 'opportunity' && t.from === 'expansionKey')?.field ?? keyProperty;
      const result = await provisionHubspot({
        client,
        group: config.propertyGroup,
        targets: propertyTargets(targets),
        dryRun,
      });
      properties = result.properties;
      return { created: result.created, existing: result.existing, missing: result.missing };
    },
    readOwners: () => readOwners(client),
    readAccounts: ({ fields }) => readCompanies({ client, fields }),
    readOpportunities: (query) => readDeals({ client, query }),
    updateAccounts: (updates) => updateCompanies(client, updates),
    upsertOpportunities: (upserts) => upsertDeals({ client, upserts, keyProperty }),
    createNotes: (notes) => createNotes({ client, notes, now }),
    findNotes: (pending) => findNotes(client, pending),
    close: () => client.stop(),
    apiStats: () => {
      const s = client.stats();
      // X-HubSpot-RateLimit-Daily-Remaining (private apps): https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
      return {
        total: s.total,
        calls: s.calls,
        retries: s.retries,
        rateLimited: s.rateLimited,
        ...(s.dailyRemaining === undefined ? {} : { quota: { remaining: s.dailyRemaining } }),
      };
    },
  };
}

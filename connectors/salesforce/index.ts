import type { SalesforceConfig } from './config.ts';
import type { CheckResult, CrmConnector } from '../../src/engine/crm.ts';
import { errorMessage, isSyncError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import type { MappingFile } from '../../src/mapping/index.ts';
import { createSalesforceClient, type SalesforceAuth, type SalesforceClient } from './client.ts';
import { salesforceFieldCatalog } from './field-kinds.ts';
import { fieldTargets, provisionSalesforce, type SchemaSnapshot } from './provision.ts';
import { readAccounts, readOpportunities, readOwners } from './read.ts';
import { createContentNotes, findContentNotes } from './content-notes.ts';
import { stageCheck } from './check.ts';
import { createTaskNotes, findTaskNotes, updateAccounts, upsertOpportunities } from './write.ts';

/** Rows per Bulk API 2.0 ingest job: well inside the 150 MB upload limit for score fields. */
const BULK_JOB_ROWS = 10_000;

export interface CreateSalesforceConnectorOptions {
  readonly config: SalesforceConfig;
  /** The resolved secret of the configured flow: the consumer secret or the PEM private key. */
  readonly secret: string;
  readonly log: Logger;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type SalesforceConnector = CrmConnector & { readonly client: SalesforceClient };

export function salesforceAuth(config: SalesforceConfig, secret: string): SalesforceAuth {
  const loginUrl = config.loginUrl.replace(/\/+$/, '');
  const { auth } = config;
  if (auth.flow === 'jwt')
    return {
      flow: 'jwt',
      loginUrl,
      clientId: auth.clientId,
      username: auth.username,
      privateKey: secret,
      ...(auth.audience ? { audience: auth.audience } : {}),
    };
  return { flow: 'client_credentials', loginUrl, clientId: auth.clientId, clientSecret: secret };
}

export async function createSalesforceConnector(
  options: CreateSalesforceConnectorOptions,
): Promise<SalesforceConnector> {
  const { config } = options;
  const client = createSalesforceClient({
    auth: salesforceAuth(config, options.secret),
    apiVersion: config.apiVersion,
    log: options.log.child({ system: 'salesforce' }),
    maxConcurrent: config.maxConcurrent,
    maxDailyShare: config.maxDailyShare,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const now = options.now ?? (() => new Date());
  // The External ID field opportunities are upserted on: the target provisioning was given for expansionKey.
  let keyField = 'Expansion_Key__c';
  let schema: SchemaSnapshot | undefined;
  const snapshot = async (): Promise<SchemaSnapshot> => {
    schema ??= (await provisionSalesforce({ client, targets: [], dryRun: true })).schema;
    return schema;
  };

  return {
    system: 'salesforce',
    objects: { account: 'Account', opportunity: 'Opportunity', note: config.notes === 'task' ? 'Task' : 'ContentNote' },
    // sObject Collections take up to 200 records per call.
    maxBatchSize: 200,
    // Above the threshold a whole kind goes in Bulk API 2.0 jobs of up to 10,000 rows; notes always use collections.
    batchSize: (phase, total) => (phase !== 'note' && total > config.bulkThreshold ? BULK_JOB_ROWS : 200),
    client,
    // The run's describe (taken by provision, after it created our fields), as the mapping checks read it.
    describeFields: async () => salesforceFieldCatalog(await snapshot()),
    check: (mappings) =>
      checkOrg(client, { accounts: mappings.account, opportunities: mappings.opportunity }, config.stage),
    provision: async ({ dryRun, targets }) => {
      keyField = targets.find((t) => t.entity === 'opportunity' && t.from === 'expansionKey')?.field ?? keyField;
      const result = await provisionSalesforce({ client, targets: fieldTargets(targets), dryRun });
      schema = result.schema;
      return { created: result.created, existing: result.existing, missing: result.missing };
    },
    readOwners: () => readOwners(client),
    incrementalAccounts: true,
    readAccounts: async function* (read) {
      const index = (await snapshot()).Account;
      yield* readAccounts({
        client,
        fields: read.fields,
        index,
        overlapSeconds: config.overlapSeconds,
        ...(read.since ? { since: read.since } : {}),
      });
    },
    readOpportunities: async function* (query) {
      yield* readOpportunities({ client, index: (await snapshot()).Opportunity, query });
    },
    updateAccounts: async (updates) => updateAccounts({ client, index: (await snapshot()).Account, updates }),
    upsertOpportunities: async (upserts) =>
      upsertOpportunities({
        client,
        index: (await snapshot()).Opportunity,
        upserts,
        keyField,
        opportunityType: config.opportunityType,
        ...(config.recordTypeId ? { recordTypeId: config.recordTypeId } : {}),
      }),
    createNotes: (notes) =>
      config.notes === 'task'
        ? createTaskNotes({ client, notes, today: now().toISOString().slice(0, 10) })
        : createContentNotes({ client, notes }),
    findNotes: (pending) =>
      config.notes === 'task' ? findTaskNotes(client, pending) : findContentNotes(client, pending),
    apiStats: () => {
      const s = client.stats();
      // Sforce-Limit-Info: api-usage=used/limit on every REST response.
      return {
        total: s.total,
        calls: s.calls,
        retries: s.retries,
        rateLimited: s.rateLimited,
        ...(s.apiUsage
          ? { quota: { remaining: Math.max(0, s.apiUsage.limit - s.apiUsage.used), limit: s.apiUsage.limit } }
          : {}),
      };
    },
    close: () => client.stop(),
  };
}

/** `check`: the org signs us in, and every mapped field exists and can be written where we write it. */
async function checkOrg(
  client: SalesforceClient,
  mappings: { readonly accounts: MappingFile; readonly opportunities: MappingFile },
  stage: string,
): Promise<CheckResult> {
  const checks: Array<{ name: string; ok: boolean; message: string }> = [];
  try {
    await client.connect();
    await client.call('limits.read', (conn) => conn.limits());
    const usage = client.stats().apiUsage;
    checks.push({
      name: 'auth',
      ok: true,
      message: `signed in; API usage today ${usage ? `${usage.used} of ${usage.limit}` : 'unknown'}`,
    });
  } catch (error) {
    // An org that cannot be reached says nothing of the credentials: named apart, it exits as a system failure.
    const name =
      isSyncError(error) && (error.kind === 'system' || error.kind === 'transient') ? 'reachability' : 'auth';
    checks.push({ name, ok: false, message: errorMessage(error) });
    return { ok: false, checks };
  }
  try {
    const { schema } = await provisionSalesforce({ client, targets: [], dryRun: true });
    for (const [object, mapping] of [
      ['Account', mappings.accounts],
      ['Opportunity', mappings.opportunities],
    ] as const) {
      const index = schema[object];
      const provisioned = new Set(mapping.write.map((w) => w.field.toLowerCase()));
      const absent = (f: string): boolean => !index.has(f.toLowerCase()) && !provisioned.has(f.toLowerCase());
      const missing = [...new Set(mapping.read.filter((r) => !r.optional).map((r) => r.field))].filter(absent);
      const skipped = [...new Set(mapping.read.filter((r) => r.optional).map((r) => r.field))].filter(absent);
      const readOnly = mapping.write
        .filter((w) => index.has(w.field.toLowerCase()) && !index.get(w.field.toLowerCase())?.updateable)
        .map((w) => w.field);
      const ok = missing.length === 0 && readOnly.length === 0;
      const problems = [
        missing.length > 0 ? `mapped but missing in the org: ${missing.join(', ')}` : '',
        readOnly.length > 0 ? `written but not updateable by this user: ${readOnly.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      const note = skipped.length > 0 ? ` (optional, not in the org, skipped: ${skipped.join(', ')})` : '';
      checks.push({
        name: `${object} fields`,
        ok,
        message: ok
          ? `every mapped ${object} field exists, and the written ones are updateable${note}`
          : `${problems} (fix ${mapping.file}, or the field-level security of the integration user)`,
      });
    }
    checks.push(stageCheck(schema.Opportunity, stage));
  } catch (error) {
    checks.push({ name: 'describe', ok: false, message: errorMessage(error) });
  }
  return { ok: checks.every((c) => c.ok), checks };
}

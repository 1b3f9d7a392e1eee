import type { Client } from '@hubspot/api-client';
import { AccountSchema, CrmOpportunitySchema, MotionSchema, OwnerSchema, type CrmOpportunity, type Owner } from '../../src/model/account.ts';
import type { AccountPage, OpportunityRead, RecordProblem } from '../../src/engine/crm.ts';
import { applyReadMapping, readFieldNames, type MappingFile } from '../../src/mapping/index.ts';
import type { HubspotCaller } from './provision.ts';

/** Largest page the list endpoints serve: https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide */
const PAGE = 100;

interface RawObject {
  readonly id: string;
  readonly properties: Readonly<Record<string, string | null | undefined>>;
  readonly associations?: Readonly<Record<string, { readonly results: ReadonlyArray<{ readonly id: string }> }>>;
}

/**
 * Pages through a list endpoint (`GET /crm/v3/objects/{type}`), following `paging.next.after` until the
 * last page omits it: https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide.
 * A cursor seen twice means the API is looping: stop with an error rather than read forever.
 */
export async function* listPages(options: { readonly client: HubspotCaller; readonly kind: string; readonly fetch: (sdk: Client, after: string | undefined) => Promise<{ results: RawObject[]; paging?: { next?: { after: string } } }> }): AsyncGenerator<RawObject[]> {
  let after: string | undefined;
  const seen = new Set<string>();
  do {
    const cursor = after;
    const page = await options.client.call(options.kind, (sdk) => options.fetch(sdk, cursor));
    yield page.results;
    after = page.paging?.next?.after;
    if (after !== undefined) {
      if (seen.has(after)) throw new Error(`HubSpot returned the paging cursor "${after}" twice while reading ${options.kind}`);
      seen.add(after);
    }
  } while (after !== undefined);
}

export interface ReadCompaniesOptions {
  readonly client: HubspotCaller;
  readonly mapping: MappingFile;
  /** CRM properties the worker writes: their current values are read to diff against. */
  readonly writeFields: readonly string[];
}

export async function* readCompanies(options: ReadCompaniesOptions): AsyncGenerator<AccountPage> {
  const properties = [...new Set([...readFieldNames(options.mapping), ...options.writeFields])];
  const pages = listPages({ client: options.client, kind: 'companies.read', fetch: (sdk, after) => sdk.crm.companies.basicApi.getPage(PAGE, after, properties) as never });
  for await (const results of pages) {
    const accounts = [];
    const current = new Map<string, Record<string, string | null>>();
    const problems: RecordProblem[] = [];
    for (const raw of results) {
      const mapped = applyReadMapping(options.mapping, raw.properties);
      for (const p of mapped.problems) problems.push({ system: 'hubspot', object: 'companies', recordId: raw.id, message: `property ${p.field} (${p.to}): ${p.message}; value ${JSON.stringify(p.value)} ignored` });
      const parsed = AccountSchema.safeParse({ modulesOwned: [], ...mapped.values, system: 'hubspot', id: raw.id, name: mapped.values['name'] ?? '' });
      if (!parsed.success) {
        problems.push({ system: 'hubspot', object: 'companies', recordId: raw.id, message: `not scored: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
        continue;
      }
      accounts.push(parsed.data);
      current.set(raw.id, pick(raw.properties, options.writeFields));
    }
    yield { accounts, current, problems };
  }
}

export async function readOwners(client: HubspotCaller): Promise<Owner[]> {
  const owners: Owner[] = [];
  let after: string | undefined;
  do {
    const cursor = after;
    // https://developers.hubspot.com/docs/api-reference/crm-owners-v3/guide
    const page = await client.call('owners.read', (sdk) => sdk.crm.owners.ownersApi.getPage(undefined, cursor, PAGE, false));
    for (const o of page.results) {
      const name = [o.firstName, o.lastName].filter(Boolean).join(' ');
      owners.push(OwnerSchema.parse({ id: String(o.id), ...(o.email ? { email: o.email } : {}), ...(name ? { name } : {}), active: o.archived !== true }));
    }
    after = page.paging?.next?.after;
  } while (after !== undefined);
  return owners;
}

export interface ReadDealsOptions {
  readonly client: HubspotCaller;
  readonly mapping: MappingFile;
  readonly writeFields: readonly string[];
  readonly accountIds: ReadonlySet<string>;
}

/**
 * Deals with their company associations (`associations=companies` on the list endpoint), so one pass
 * finds every open deal on our companies. Only deals that carry a motion matter for the contract.
 */
export async function readDeals(options: ReadDealsOptions): Promise<OpportunityRead> {
  const properties = [...new Set([...readFieldNames(options.mapping), ...options.writeFields, 'hs_is_closed', 'hs_is_closed_won'])];
  const opportunities: CrmOpportunity[] = [];
  const problems: RecordProblem[] = [];
  const pages = listPages({ client: options.client, kind: 'deals.read', fetch: (sdk, after) => sdk.crm.deals.basicApi.getPage(PAGE, after, properties, undefined, ['companies']) as never });
  for await (const results of pages) {
    for (const raw of results) {
      const accountId = raw.associations?.['companies']?.results.map((r) => r.id).find((id) => options.accountIds.has(id));
      if (accountId === undefined) continue;
      const mapped = applyReadMapping(options.mapping, raw.properties).values;
      const motion = MotionSchema.safeParse(mapped['motion']);
      if (!motion.success && mapped['expansionKey'] === undefined) continue;
      const parsed = CrmOpportunitySchema.safeParse({
        id: raw.id,
        accountId,
        ...(typeof mapped['expansionKey'] === 'string' ? { expansionKey: mapped['expansionKey'] } : {}),
        ...(motion.success ? { motion: motion.data } : {}),
        ...(typeof mapped['name'] === 'string' ? { name: mapped['name'] } : {}),
        ...(typeof mapped['stage'] === 'string' ? { stage: mapped['stage'] } : {}),
        closed: raw.properties['hs_is_closed'] === 'true',
        won: raw.properties['hs_is_closed_won'] === 'true',
        values: pick(raw.properties, options.writeFields),
      });
      if (parsed.success) opportunities.push(parsed.data);
      else problems.push({ system: 'hubspot', object: 'deals', recordId: raw.id, message: parsed.error.issues.map((i) => i.message).join('; ') });
    }
  }
  return { opportunities, problems };
}

function pick(properties: Readonly<Record<string, string | null | undefined>>, fields: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const field of fields) {
    const value = properties[field];
    out[field] = value === undefined || value === '' ? null : value;
  }
  return out;
}

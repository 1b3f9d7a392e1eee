import { z } from 'zod';
import type { Client } from '@hubspot/api-client';
import { OwnerSchema, type Owner } from '../../src/model/account.ts';
import type { OpportunityQuery, RawAccountPage, RawOpportunity, RawRecord } from '../../src/engine/crm.ts';
import type { HubspotCaller } from './provision.ts';

/** Largest page the list endpoints serve: https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide */
const PAGE = 100;

/** What the worker needs of a CRM object in a list response; lenient: other keys are ignored. */
const RawObjectSchema = z.object({
  id: z.coerce.string(),
  properties: z.record(z.string(), z.string().nullish()).default({}),
  associations: z.record(z.string(), z.object({ results: z.array(z.object({ id: z.coerce.string() })) })).optional(),
});
type RawObject = z.infer<typeof RawObjectSchema>;

const PagingSchema = z.object({ next: z.object({ after: z.string() }).optional() }).optional();

/**
 * Pages through a list endpoint (`GET /crm/v3/objects/{type}`, `GET /crm/v3/owners`), following
 * `paging.next.after` until the last page omits it:
 * https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide. Each page is parsed, not cast.
 * A cursor seen twice means the API is looping: stop with an error rather than read forever.
 */
export async function* listPages<T extends z.ZodType>(options: {
  readonly client: HubspotCaller;
  readonly kind: string;
  readonly item: T;
  readonly fetch: (sdk: Client, after: string | undefined) => Promise<unknown>;
}): AsyncGenerator<Array<z.output<T>>> {
  const schema = z.object({ results: z.array(options.item), paging: PagingSchema });
  let after: string | undefined;
  const seen = new Set<string>();
  do {
    const cursor = after;
    const page = schema.parse(await options.client.call(options.kind, (sdk) => options.fetch(sdk, cursor)));
    yield page.results;
    after = page.paging?.next?.after;
    if (after !== undefined) {
      if (seen.has(after))
        throw new Error(`HubSpot returned the paging cursor "${after}" twice while reading ${options.kind}`);
      seen.add(after);
    }
  } while (after !== undefined);
}

const raw = (o: RawObject): RawRecord => ({ id: o.id, values: o.properties });

/** Companies with the asked properties, page by page, as the portal holds them. */
export async function* readCompanies(options: {
  readonly client: HubspotCaller;
  readonly fields: readonly string[];
}): AsyncGenerator<RawAccountPage> {
  const properties = [...new Set(options.fields)];
  const fetch = (sdk: Client, after: string | undefined) => sdk.crm.companies.basicApi.getPage(PAGE, after, properties);
  for await (const results of listPages({
    client: options.client,
    kind: 'companies.read',
    item: RawObjectSchema,
    fetch,
  })) {
    yield { records: results.map(raw) };
  }
}

const OwnerRowSchema = z.object({
  id: z.coerce.string(),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  archived: z.boolean().nullish(),
});

/** https://developers.hubspot.com/docs/api-reference/crm-owners-v3/guide */
export async function readOwners(client: HubspotCaller): Promise<Owner[]> {
  const owners: Owner[] = [];
  const fetch = (sdk: Client, after: string | undefined) =>
    sdk.crm.owners.ownersApi.getPage(undefined, after, PAGE, false);
  for await (const results of listPages({ client, kind: 'owners.read', item: OwnerRowSchema, fetch })) {
    for (const o of results) {
      const name = [o.firstName, o.lastName].filter(Boolean).join(' ');
      owners.push(
        OwnerSchema.parse({
          id: o.id,
          ...(o.email ? { email: o.email } : {}),
          ...(name ? { name } : {}),
          active: o.archived !== true,
        }),
      );
    }
  }
  return owners;
}

/**
 * Deals with their company associations (`associations=companies` on the list endpoint), so one pass
 * finds every deal on our companies; the engine keeps those that carry a motion or our key.
 */
export async function* readDeals(options: {
  readonly client: HubspotCaller;
  readonly query: OpportunityQuery;
}): AsyncGenerator<RawOpportunity[]> {
  const { query } = options;
  // createdate: when HubSpot created the deal, always returned (https://knowledge.hubspot.com/properties/hubspots-default-deal-properties).
  const properties = [...new Set([...query.fields, 'hs_is_closed', 'hs_is_closed_won', 'createdate'])];
  const fetch = (sdk: Client, after: string | undefined) =>
    sdk.crm.deals.basicApi.getPage(PAGE, after, properties, undefined, ['companies']);
  for await (const results of listPages({ client: options.client, kind: 'deals.read', item: RawObjectSchema, fetch })) {
    const page: RawOpportunity[] = [];
    for (const deal of results) {
      const accountId = deal.associations?.['companies']?.results
        .map((r) => r.id)
        .find((id) => query.accountIds.has(id));
      if (accountId === undefined) continue;
      const closed = deal.properties['hs_is_closed'] === 'true';
      const createdAt = isoInstant(deal.properties['createdate']);
      page.push({
        ...raw(deal),
        accountId,
        closed,
        won: deal.properties['hs_is_closed_won'] === 'true',
        ...(createdAt ? { createdAt } : {}),
      });
    }
    yield page;
  }
}

/** A datetime as HubSpot gives it (ISO string or Date) to ISO 8601 UTC; undefined when it is not one. */
function isoInstant(value: unknown): string | undefined {
  const date = value instanceof Date ? value : typeof value === 'string' && value !== '' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

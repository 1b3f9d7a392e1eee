import { z } from 'zod';
import { OwnerSchema, type Owner } from '../../src/model/account.ts';
import type { AccountCursor, OpportunityQuery, RawAccountPage, RawOpportunity } from '../../src/engine/crm.ts';
import { SyncError } from '../../src/errors.ts';
import type { SalesforceClient } from './client.ts';
import { fromApiValue, type FieldIndex } from './describe.ts';
import { soqlDateTime, soqlIdentifier, soqlString } from './soql.ts';

/** A query row: the selected fields, values as the REST API types them. */
const AnyRowSchema = z.record(z.string(), z.unknown());
/** A row of a query that selects Id. */
const RowSchema = z.object({ Id: z.string() }).catchall(z.unknown());
type Row = z.infer<typeof RowSchema>;
/** A page of `GET /query` or `queryMore`; lenient: other keys (totalSize) are ignored. */
const QueryPageSchema = z.object({
  records: z.array(AnyRowSchema),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
});

/**
 * Pages through a SOQL query: `GET /query?q=` then `nextRecordsUrl` until `done`
 * (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html). jsforce's
 * autoFetch stops silently at maxFetch (10,000 by default), so pages are followed here instead. Each page
 * is parsed, not cast. A locator seen twice means the API is looping: stop with an error rather than
 * read forever.
 */
export async function* queryRows(
  client: SalesforceClient,
  kind: string,
  soql: string,
): AsyncGenerator<Array<Record<string, unknown>>> {
  let page = QueryPageSchema.parse(
    await client.call(kind, async (conn): Promise<unknown> => conn.query(soql, { autoFetch: false })),
  );
  const seen = new Set<string>();
  for (;;) {
    yield page.records;
    const next = page.nextRecordsUrl;
    if (page.done || next === undefined) return;
    if (seen.has(next))
      throw new SyncError(`Salesforce returned the query locator ${next} twice while reading ${kind}`, {
        code: 'salesforce_paging_loop',
        kind: 'system',
      });
    seen.add(next);
    page = QueryPageSchema.parse(await client.call(kind, async (conn): Promise<unknown> => conn.queryMore(next)));
  }
}

/** `queryRows` for a query that selects Id: every row has it. */
export async function* queryPages(client: SalesforceClient, kind: string, soql: string): AsyncGenerator<Row[]> {
  for await (const rows of queryRows(client, kind, soql)) yield rows.map((row) => RowSchema.parse(row));
}

/** Mapped fields that exist in the org's describe; the rest are left out of the query (check reports them). */
export function queryableFields(fields: readonly string[], index: FieldIndex, where: string): string[] {
  const out = new Map<string, string>();
  for (const field of fields) {
    soqlIdentifier(field, where);
    const info = index.get(field.toLowerCase());
    if (info) out.set(info.name.toLowerCase(), info.name);
  }
  return [...out.values()];
}

export interface ReadAccountsOptions {
  readonly client: SalesforceClient;
  /** The fields the engine asks for (read and written by its mappings). */
  readonly fields: readonly string[];
  readonly index: FieldIndex;
  /** Only Accounts changed since this cursor; every Account when absent. */
  readonly since?: AccountCursor;
  /** Re-read this far back from the cursor, for changes committed out of timestamp order. */
  readonly overlapSeconds: number;
}

/**
 * SystemModstamp moves on every change, by a person, an automation or the system
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/system_fields.htm),
 * so it is the incremental cursor. Rows come in (SystemModstamp, Id) order: with no overlap the Id breaks
 * ties between records changed in the same second, so none is skipped or read twice at a page edge.
 */
export function accountsSoql(
  fields: readonly string[],
  since: AccountCursor | undefined,
  overlapSeconds: number,
): string {
  const order = 'ORDER BY SystemModstamp, Id';
  if (since === undefined) return `SELECT ${fields.join(', ')} FROM Account ${order}`;
  const from = soqlDateTime(new Date(Date.parse(since.modstamp) - overlapSeconds * 1000).toISOString());
  const where =
    overlapSeconds > 0 || since.id === ''
      ? `SystemModstamp >= ${from}`
      : `(SystemModstamp > ${from} OR (SystemModstamp = ${from} AND Id > ${soqlString(since.id)}))`;
  return `SELECT ${fields.join(', ')} FROM Account WHERE ${where} ${order}`;
}

export async function* readAccounts(options: ReadAccountsOptions): AsyncGenerator<RawAccountPage> {
  const fields = queryableFields(['Id', 'SystemModstamp', ...options.fields], options.index, 'the Account mapping');
  for await (const rows of queryPages(
    options.client,
    'accounts.read',
    accountsSoql(fields, options.since, options.overlapSeconds),
  )) {
    const records = rows.map((row) => ({ id: row.Id, values: asStrings(row, options.fields) }));
    const last = rows.at(-1);
    const modstamp = last === undefined ? undefined : isoInstant(last['SystemModstamp']);
    yield { records, ...(last && modstamp ? { cursor: { modstamp, id: last.Id } } : {}) };
  }
}

/** `2026-11-20T12:00:00.000+0000`, as the REST API writes datetimes, to an ISO instant. */
function isoInstant(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Active users, who own Accounts and Opportunities (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_user.htm). */
export async function readOwners(client: SalesforceClient): Promise<Owner[]> {
  const owners: Owner[] = [];
  for await (const rows of queryPages(
    client,
    'owners.read',
    'SELECT Id, Name, Email, IsActive FROM User WHERE IsActive = true ORDER BY Id',
  )) {
    for (const row of rows)
      owners.push(
        OwnerSchema.parse({
          id: row.Id,
          ...(typeof row['Email'] === 'string' ? { email: row['Email'] } : {}),
          ...(typeof row['Name'] === 'string' ? { name: row['Name'] } : {}),
          active: row['IsActive'] !== false,
        }),
      );
  }
  return owners;
}

export interface ReadOpportunitiesOptions {
  readonly client: SalesforceClient;
  readonly index: FieldIndex;
  /** The fields to read, the marker fields (our key, the motion) and the accounts, as the engine asks. */
  readonly query: OpportunityQuery;
}

/**
 * Opportunities that carry an expansion key or motion, open and closed. One query filtered on the marker
 * fields rather than an `AccountId IN (...)` per few hundred accounts; rows on other accounts are dropped.
 */
export async function* readOpportunities(options: ReadOpportunitiesOptions): AsyncGenerator<RawOpportunity[]> {
  const { query } = options;
  const markers = queryableFields(query.markers, options.index, 'the Opportunity mapping');
  if (markers.length === 0) return;
  const fields = queryableFields(
    ['Id', 'AccountId', 'IsClosed', 'IsWon', 'CreatedDate', ...query.fields],
    options.index,
    'the Opportunity mapping',
  );
  const where = markers.map((m) => `${m} != null`).join(' OR ');
  for await (const rows of queryPages(
    options.client,
    'opportunities.read',
    `SELECT ${fields.join(', ')} FROM Opportunity WHERE ${where} ORDER BY Id`,
  )) {
    const page: RawOpportunity[] = [];
    for (const row of rows) {
      const accountId = typeof row['AccountId'] === 'string' ? row['AccountId'] : undefined;
      if (accountId === undefined || !query.accountIds.has(accountId)) continue;
      page.push({
        id: row.Id,
        accountId,
        closed: row['IsClosed'] === true,
        won: row['IsWon'] === true,
        ...(typeof row['CreatedDate'] === 'string' ? { createdAt: isoOf(row['CreatedDate']) } : {}),
        values: asStrings(row, query.fields),
      });
    }
    yield page;
  }
}

/** Row values as the strings mappings and the planner read, keyed by the mapping's spelling of each field (API names are case-insensitive). */
function asStrings(row: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, string | null> {
  const byLower = new Map(Object.keys(row).map((k) => [k.toLowerCase(), k]));
  const out: Record<string, string | null> = {};
  for (const field of fields) out[field] = fromApiValue(row[byLower.get(field.toLowerCase()) ?? field]);
  return out;
}

/** Salesforce datetimes read as `2026-11-20T10:00:00.000+0000`; the store and the engine keep ISO 8601 UTC. */
function isoOf(value: string): string {
  const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

import { AccountSchema, CrmOpportunitySchema, MotionSchema, OwnerSchema, type CrmOpportunity, type Owner } from '../../src/model/account.ts';
import type { AccountCursor, AccountPage, OpportunityRead, RecordProblem } from '../../src/engine/crm.ts';
import { SyncError } from '../../src/errors.ts';
import { applyReadMapping, readFieldNames, type MappingFile } from '../../src/mapping/index.ts';
import type { SalesforceClient } from './client.ts';
import { fromApiValue, type FieldIndex } from './describe.ts';
import { soqlDateTime, soqlIdentifier, soqlString } from './soql.ts';

type Row = Readonly<Record<string, unknown>> & { readonly Id: string };
interface QueryPage { readonly records: Row[]; readonly done: boolean; readonly nextRecordsUrl?: string }

/**
 * Pages through a SOQL query: `GET /query?q=` then `nextRecordsUrl` until `done`
 * (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html). jsforce's
 * autoFetch stops silently at maxFetch (10,000 by default), so pages are followed here instead. A locator
 * seen twice means the API is looping: stop with an error rather than read forever.
 */
export async function* queryPages(client: SalesforceClient, kind: string, soql: string): AsyncGenerator<Row[]> {
  let page = await client.call(kind, (conn) => conn.query<Row>(soql, { autoFetch: false }) as unknown as Promise<QueryPage>);
  const seen = new Set<string>();
  for (;;) {
    yield page.records;
    const next = page.nextRecordsUrl;
    if (page.done || next === undefined) return;
    if (seen.has(next)) throw new SyncError(`Salesforce returned the query locator ${next} twice while reading ${kind}`, { code: 'salesforce_paging_loop', kind: 'system' });
    seen.add(next);
    page = await client.call(kind, (conn) => conn.queryMore(next) as unknown as Promise<QueryPage>);
  }
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
  readonly mapping: MappingFile;
  readonly writeFields: readonly string[];
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
export function accountsSoql(fields: readonly string[], since: AccountCursor | undefined, overlapSeconds: number): string {
  const order = 'ORDER BY SystemModstamp, Id';
  if (since === undefined) return `SELECT ${fields.join(', ')} FROM Account ${order}`;
  const from = soqlDateTime(new Date(Date.parse(since.modstamp) - overlapSeconds * 1000).toISOString());
  const where = overlapSeconds > 0 || since.id === '' ? `SystemModstamp >= ${from}` : `(SystemModstamp > ${from} OR (SystemModstamp = ${from} AND Id > ${soqlString(since.id)}))`;
  return `SELECT ${fields.join(', ')} FROM Account WHERE ${where} ${order}`;
}

export async function* readAccounts(options: ReadAccountsOptions): AsyncGenerator<AccountPage> {
  const fields = queryableFields(['Id', 'SystemModstamp', ...readFieldNames(options.mapping), ...options.writeFields], options.index, options.mapping.file);
  for await (const rows of queryPages(options.client, 'accounts.read', accountsSoql(fields, options.since, options.overlapSeconds))) {
    const accounts = [];
    const current = new Map<string, Record<string, string | null>>();
    const problems: RecordProblem[] = [];
    for (const row of rows) {
      const mapped = applyReadMapping(options.mapping, asStrings(row, readFieldNames(options.mapping)));
      for (const p of mapped.problems) problems.push({ system: 'salesforce', object: 'Account', recordId: row.Id, message: `field ${p.field} (${p.to}): ${p.message}; value ${JSON.stringify(p.value)} ignored` });
      const parsed = AccountSchema.safeParse({ modulesOwned: [], ...mapped.values, system: 'salesforce', id: row.Id, name: mapped.values['name'] ?? '' });
      if (!parsed.success) {
        problems.push({ system: 'salesforce', object: 'Account', recordId: row.Id, message: `not scored: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
        continue;
      }
      accounts.push(parsed.data);
      current.set(row.Id, asStrings(row, options.writeFields));
    }
    const last = rows.at(-1);
    const modstamp = last === undefined ? undefined : isoInstant(last['SystemModstamp']);
    yield { accounts, current, problems, ...(last && modstamp ? { cursor: { modstamp, id: last.Id } } : {}) };
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
  for await (const rows of queryPages(client, 'owners.read', 'SELECT Id, Name, Email, IsActive FROM User WHERE IsActive = true ORDER BY Id')) {
    for (const row of rows) owners.push(OwnerSchema.parse({ id: row.Id, ...(typeof row['Email'] === 'string' ? { email: row['Email'] } : {}), ...(typeof row['Name'] === 'string' ? { name: row['Name'] } : {}), active: row['IsActive'] !== false }));
  }
  return owners;
}

export interface ReadOpportunitiesOptions {
  readonly client: SalesforceClient;
  readonly mapping: MappingFile;
  readonly writeFields: readonly string[];
  readonly index: FieldIndex;
  readonly accountIds: ReadonlySet<string>;
  /** The fields that mark an expansion opportunity: the key field and the motion field. */
  readonly markers: readonly string[];
}

/**
 * Opportunities that carry an expansion key or motion, open and closed: the contract needs both (one
 * open opportunity per motion; closed ones are never touched). One query filtered on the marker fields
 * rather than an `AccountId IN (...)` per few hundred accounts; rows on other accounts are dropped here.
 */
export async function readOpportunities(options: ReadOpportunitiesOptions): Promise<OpportunityRead> {
  const markers = queryableFields(options.markers, options.index, options.mapping.file);
  if (markers.length === 0) return { opportunities: [], problems: [] };
  const fields = queryableFields(['Id', 'AccountId', 'IsClosed', 'IsWon', ...readFieldNames(options.mapping), ...options.writeFields], options.index, options.mapping.file);
  const where = markers.map((m) => `${m} != null`).join(' OR ');
  const opportunities: CrmOpportunity[] = [];
  const problems: RecordProblem[] = [];
  for await (const rows of queryPages(options.client, 'opportunities.read', `SELECT ${fields.join(', ')} FROM Opportunity WHERE ${where} ORDER BY Id`)) {
    for (const row of rows) {
      const accountId = typeof row['AccountId'] === 'string' ? row['AccountId'] : undefined;
      if (accountId === undefined || !options.accountIds.has(accountId)) continue;
      const mapped = applyReadMapping(options.mapping, asStrings(row, readFieldNames(options.mapping))).values;
      const motion = MotionSchema.safeParse(mapped['motion']);
      const parsed = CrmOpportunitySchema.safeParse({
        id: row.Id,
        accountId,
        ...(typeof mapped['expansionKey'] === 'string' ? { expansionKey: mapped['expansionKey'] } : {}),
        ...(motion.success ? { motion: motion.data } : {}),
        ...(typeof mapped['name'] === 'string' ? { name: mapped['name'] } : {}),
        ...(typeof mapped['stage'] === 'string' ? { stage: mapped['stage'] } : {}),
        closed: row['IsClosed'] === true,
        won: row['IsWon'] === true,
        values: asStrings(row, options.writeFields),
      });
      if (parsed.success) opportunities.push(parsed.data);
      else problems.push({ system: 'salesforce', object: 'Opportunity', recordId: row.Id, message: parsed.error.issues.map((i) => i.message).join('; ') });
    }
  }
  return { opportunities, problems };
}

/** Row values as the strings mappings and the planner read, keyed by the mapping's spelling of each field (API names are case-insensitive). */
function asStrings(row: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, string | null> {
  const byLower = new Map(Object.keys(row).map((k) => [k.toLowerCase(), k]));
  const out: Record<string, string | null> = {};
  for (const field of fields) out[field] = fromApiValue(row[byLower.get(field.toLowerCase()) ?? field]);
  return out;
}

import { SyncError } from '../../src/errors.ts';
import type { SalesforceClient } from './client.ts';
import { PERMISSION_SET } from './metadata.ts';
import { queryPages } from './read.ts';
import { chunkInValues, soqlIdentifier, soqlInList, soqlString } from './soql.ts';
import { saveResult, saveResults } from './write.ts';

/**
 * Field-level security for the fields the worker writes. A custom field created through the API has no
 * field-level security for anyone, so until a permission set grants it the integration user can neither
 * read nor write it. This finds or creates the `Expansion_Sync` permission set (the one `metadata.ts`
 * prints for admins who deploy metadata themselves), grants read and edit on each field through
 * FieldPermissions and assigns the set to the user the session runs as.
 * - PermissionSet: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionset.htm
 * - FieldPermissions: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_fieldpermissions.htm
 * - PermissionSetAssignment: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm
 */

export interface FieldRef {
  readonly object: string;
  readonly name: string;
}

export interface EnsureFieldAccessOptions {
  readonly client: SalesforceClient;
  readonly fields: readonly FieldRef[];
  /** Only report what is missing; write nothing. */
  readonly dryRun: boolean;
}

/**
 * Labels: `permission set Expansion_Sync`, `field access Account.Expansion_Score__c`, `assignment to
 * integration@acme.example`. `created` holds what this call granted, including read-only grants it
 * raised to read and edit; `missing` is what a dry run would have written.
 */
export interface FieldAccessResult {
  readonly created: readonly string[];
  readonly existing: readonly string[];
  readonly missing: readonly string[];
}

interface Report {
  readonly created: string[];
  readonly existing: string[];
  readonly missing: string[];
}
interface Grant {
  readonly id: string;
  readonly full: boolean;
}
interface Failure {
  readonly label: string;
  readonly reason: string;
}

const SET_LABEL = `permission set ${PERMISSION_SET}`;
/** The same label and description as the deployable permission set in `metadata.ts`. */
const SET_FIELDS = {
  Name: PERMISSION_SET,
  Label: 'Expansion Sync',
  Description: 'Read and edit on the fields expansion-sync writes. Assign it to the integration user.',
};
/** sObject Collections take at most 200 records a call. */
const MAX_RECORDS = 200;

const fieldKey = (f: FieldRef): string => `${f.object}.${f.name}`;
const categoryOf = (error: unknown): unknown => (error instanceof SyncError ? error.details['category'] : undefined);

export async function ensureFieldAccess(options: EnsureFieldAccessOptions): Promise<FieldAccessResult> {
  const { client, dryRun } = options;
  const fields = distinctFields(options.fields);
  const report: Report = { created: [], existing: [], missing: [] };
  // Nothing to grant: an empty set assigned to the user would change nothing.
  if (fields.length === 0) return report;
  const user = await integrationUser(client);
  let setId = await findPermissionSet(client);
  if (setId !== undefined) report.existing.push(SET_LABEL);
  else if (dryRun) report.missing.push(SET_LABEL);
  else {
    setId = await createPermissionSet(client);
    report.created.push(SET_LABEL);
  }
  const failures = await grantFields({ client, setId, fields, dryRun, report });
  await assign({ client, setId, user, dryRun, report });
  if (failures.length > 0) {
    const list = failures.map((f) => `${f.label} (${f.reason})`).join('; ');
    throw new SyncError(
      `Salesforce refused ${failures.length === 1 ? 'one field grant' : `${failures.length} field grants`} in ${SET_LABEL}: ${list}. Check that each field exists (expansion-sync provisions them) and is not required, or grant read and edit in Setup`,
      { code: 'salesforce_field_access_failed', kind: 'config', details: { fields: failures.map((f) => f.label) } },
    );
  }
  return report;
}

/** One entry per field, API names checked, first spelling kept (API names are case-insensitive). */
function distinctFields(fields: readonly FieldRef[]): FieldRef[] {
  const out = new Map<string, FieldRef>();
  for (const f of fields) {
    soqlIdentifier(f.object, 'the fields to grant access to');
    soqlIdentifier(f.name, 'the fields to grant access to');
    const key = fieldKey(f).toLowerCase();
    if (!out.has(key)) out.set(key, f);
  }
  return [...out.values()];
}

/** The session's user, from the identity URL the token response names (`id`); jsforce's `identity()` reads it. */
async function integrationUser(client: SalesforceClient): Promise<{ readonly id: string; readonly label: string }> {
  const identity = await client.call('permissions.identity', (conn) => conn.identity());
  return { id: identity.user_id, label: identity.username || identity.user_id };
}

/** Ours only: not a profile's own set, not a managed package's set of the same name. */
async function findPermissionSet(client: SalesforceClient): Promise<string | undefined> {
  const soql = `SELECT Id FROM PermissionSet WHERE Name = ${soqlString(PERMISSION_SET)} AND IsOwnedByProfile = false AND NamespacePrefix = null`;
  for await (const rows of queryPages(client, 'permissions.set.find', soql)) if (rows[0]) return rows[0].Id;
  return undefined;
}

/** A concurrent run may create it first (DUPLICATE_VALUE on the unique Name): then that one is used. */
async function createPermissionSet(client: SalesforceClient): Promise<string> {
  try {
    const result = saveResult(
      await client.call('permissions.set.create', (conn) => conn.sobject('PermissionSet').create(SET_FIELDS)),
    );
    if (result.id) return result.id;
  } catch (error) {
    if (categoryOf(error) !== 'DUPLICATE_VALUE') throw error;
  }
  const found = await findPermissionSet(client);
  if (found !== undefined) return found;
  throw new SyncError(`Salesforce did not return the id of ${SET_LABEL} it was asked to create`, {
    code: 'salesforce_permission_set_missing',
    kind: 'system',
  });
}

/** The set's FieldPermissions for these fields, keyed by `Object.Field` in lower case. */
async function findGrants(
  client: SalesforceClient,
  setId: string,
  fields: readonly FieldRef[],
): Promise<Map<string, Grant>> {
  const grants = new Map<string, Grant>();
  const objects = soqlInList([...new Set(fields.map((f) => f.object))]);
  // The object filter narrows the scan, as the FieldPermissions reference advises.
  for (const chunk of chunkInValues(fields.map(fieldKey))) {
    const soql = `SELECT Id, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = ${soqlString(setId)} AND SobjectType IN ${objects} AND Field IN ${soqlInList(chunk)}`;
    for await (const rows of queryPages(client, 'permissions.fields.find', soql)) {
      for (const row of rows)
        grants.set(String(row['Field']).toLowerCase(), {
          id: row.Id,
          full: row['PermissionsRead'] === true && row['PermissionsEdit'] === true,
        });
    }
  }
  return grants;
}

interface GrantFieldsOptions {
  readonly client: SalesforceClient;
  readonly setId: string | undefined;
  readonly fields: readonly FieldRef[];
  readonly dryRun: boolean;
  readonly report: Report;
}

/** Read and edit on every field: new FieldPermissions where there are none, read-only ones raised. */
async function grantFields({ client, setId, fields, dryRun, report }: GrantFieldsOptions): Promise<Failure[]> {
  const grants = setId === undefined ? new Map<string, Grant>() : await findGrants(client, setId, fields);
  const toCreate: FieldRef[] = [];
  const toRaise: Array<{ readonly field: FieldRef; readonly id: string }> = [];
  for (const field of fields) {
    const grant = grants.get(fieldKey(field).toLowerCase());
    if (grant?.full) report.existing.push(`field access ${fieldKey(field)}`);
    else if (dryRun || setId === undefined) report.missing.push(`field access ${fieldKey(field)}`);
    else if (grant) toRaise.push({ field, id: grant.id });
    else toCreate.push(field);
  }
  if (setId === undefined || dryRun) return [];
  const created = await saveAll({
    client,
    operation: 'create',
    records: toCreate.map((f) => ({
      ParentId: setId,
      SobjectType: f.object,
      Field: fieldKey(f),
      PermissionsRead: true,
      PermissionsEdit: true,
    })),
    fields: toCreate,
    report,
  });
  const raised = await saveAll({
    client,
    operation: 'update',
    records: toRaise.map((r) => ({ Id: r.id, PermissionsRead: true, PermissionsEdit: true })),
    fields: toRaise.map((r) => r.field),
    report,
  });
  return [...created, ...raised];
}

interface SaveAllOptions {
  readonly client: SalesforceClient;
  readonly operation: 'create' | 'update';
  readonly records: ReadonlyArray<Record<string, unknown>>;
  /** The field each record grants, in the same order. */
  readonly fields: readonly FieldRef[];
  readonly report: Report;
}

/**
 * `POST` (create) or `PATCH` (update) `/composite/sobjects`, 200 records a call, allOrNone false so one
 * refused field does not hold back the others
 * (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-create.html).
 * A DUPLICATE_VALUE on create means a concurrent run granted it first.
 */
async function saveAll({ client, operation, records, fields, report }: SaveAllOptions): Promise<Failure[]> {
  const failures: Failure[] = [];
  for (let start = 0; start < records.length; start += MAX_RECORDS) {
    const batch = records.slice(start, start + MAX_RECORDS);
    const results = saveResults(
      await client.call(`permissions.fields.${operation}`, (conn) => {
        const sobject = conn.sobject('FieldPermissions');
        return operation === 'create'
          ? sobject.create(batch, { allOrNone: false })
          : sobject.update(batch as Array<Record<string, unknown> & { Id: string }>, { allOrNone: false });
      }),
    );
    batch.forEach((_record, i) => {
      const field = fields[start + i];
      const label = `field access ${field ? fieldKey(field) : '?'}`;
      const result = results[i];
      const codes = result?.errors.map((e) => e.statusCode) ?? [];
      if (result?.success) report.created.push(label);
      else if (codes.length > 0 && codes.every((c) => c === 'DUPLICATE_VALUE')) report.existing.push(label);
      else
        failures.push({
          label,
          reason: result
            ? result.errors.map((e) => `${e.statusCode ?? 'ERROR'}: ${e.message ?? ''}`).join('; ')
            : 'no result returned',
        });
    });
  }
  return failures;
}

interface AssignOptions {
  readonly client: SalesforceClient;
  readonly setId: string | undefined;
  readonly user: { readonly id: string; readonly label: string };
  readonly dryRun: boolean;
  readonly report: Report;
}

/** The set does nothing until assigned; a duplicate assignment fails with DUPLICATE_VALUE, which means assigned. */
async function assign({ client, setId, user, dryRun, report }: AssignOptions): Promise<void> {
  const label = `assignment to ${user.label}`;
  if (setId !== undefined && (await isAssigned(client, setId, user.id))) {
    report.existing.push(label);
    return;
  }
  if (dryRun || setId === undefined) {
    report.missing.push(label);
    return;
  }
  try {
    await client.call('permissions.assign', (conn) =>
      conn.sobject('PermissionSetAssignment').create({ AssigneeId: user.id, PermissionSetId: setId }),
    );
    report.created.push(label);
  } catch (error) {
    if (categoryOf(error) !== 'DUPLICATE_VALUE') throw error;
    report.existing.push(label);
  }
}

async function isAssigned(client: SalesforceClient, setId: string, userId: string): Promise<boolean> {
  const soql = `SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = ${soqlString(setId)} AND AssigneeId = ${soqlString(userId)}`;
  for await (const rows of queryPages(client, 'permissions.assignment.find', soql)) if (rows.length > 0) return true;
  return false;
}

import type { ProvisionResult, WriteTarget } from '../../src/engine/crm.ts';
import { SyncError } from '../../src/errors.ts';
import type { SalesforceClient } from './client.ts';
import { describeFields, type FieldInfo } from './describe.ts';
import { customFieldBody, customFieldSpec, type CustomFieldSpec } from './field-catalog.ts';
import { ensureFieldAccess, type FieldAccessResult } from './permission-set.ts';

export interface FieldTarget {
  readonly object: 'Account' | 'Opportunity';
  readonly name: string;
  readonly spec: CustomFieldSpec;
}

/** The custom fields the write mappings name, with their definitions. */
/** The custom fields the write targets land in, typed from the one output catalog; other outputs are skipped. */
export function fieldTargets(targets: readonly WriteTarget[]): FieldTarget[] {
  return targets.flatMap((t) => {
    const spec = customFieldSpec(t.entity, t.from);
    return spec
      ? [{ object: t.entity === 'account' ? ('Account' as const) : ('Opportunity' as const), name: t.field, spec }]
      : [];
  });
}

export type SchemaSnapshot = Readonly<Record<'Account' | 'Opportunity', ReadonlyMap<string, FieldInfo>>>;

export interface ProvisionOptions {
  readonly client: SalesforceClient;
  readonly targets: readonly FieldTarget[];
  readonly dryRun: boolean;
}

/**
 * Creates every custom field the write mappings need that the org lacks, through the Tooling API
 * (`POST /tooling/sobjects/CustomField`,
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_customfield.htm).
 * Idempotent: existing fields are left alone, and DUPLICATE_DEVELOPER_NAME from a concurrent creator
 * counts as existing. Returns the describe snapshot the run then checks every read and write against.
 */
export async function provisionSalesforce(
  options: ProvisionOptions,
): Promise<ProvisionResult & { readonly schema: SchemaSnapshot }> {
  const { client } = options;
  const schema = {
    Account: await describeFields(client, 'Account'),
    Opportunity: await describeFields(client, 'Opportunity'),
  };
  const created: string[] = [];
  const existing: string[] = [];
  const missing: string[] = [];
  for (const target of options.targets) {
    const label = `${target.object}.${target.name}`;
    const found = schema[target.object].get(target.name.toLowerCase());
    if (found) {
      // A dry run (and mappings check) reports an unusable key through the mapping check, with its line.
      if (!options.dryRun) assertUsable(target, found);
      existing.push(label);
    } else if (options.dryRun) {
      missing.push(label);
    } else {
      await createField(client, target);
      created.push(label);
    }
  }
  if (created.length > 0) {
    schema.Account = await describeFields(client, 'Account');
    schema.Opportunity = await describeFields(client, 'Opportunity');
  }
  const access =
    options.targets.length === 0
      ? { created: [], existing: [], missing: [], warnings: [] }
      : await grantAccess(options);
  return {
    created: [...created, ...access.created],
    existing: [...existing, ...access.existing],
    missing: [...missing, ...access.missing],
    warnings: access.warnings,
    schema,
  };
}

/**
 * Field-level security on the fields we write, through the Expansion_Sync permission set. A user
 * without the right to manage permission sets gets a warning, not a failed run: an admin can deploy the
 * same set from `setup salesforce --print`.
 */
async function grantAccess(
  options: ProvisionOptions,
): Promise<FieldAccessResult & { readonly warnings: readonly string[] }> {
  try {
    const result = await ensureFieldAccess({
      client: options.client,
      fields: options.targets.map((t) => ({ object: t.object, name: t.name })),
      dryRun: options.dryRun,
    });
    return { ...result, warnings: [] };
  } catch (error) {
    const category = error instanceof SyncError ? String(error.details['category'] ?? '') : '';
    if (!category.startsWith('INSUFFICIENT_ACCESS')) throw error;
    return {
      created: [],
      existing: [],
      missing: [],
      warnings: [
        `could not grant field access through the Expansion_Sync permission set (${category}); have an admin deploy it from expansion-sync setup salesforce --print and assign it to the integration user`,
      ],
    };
  }
}

function assertUsable(target: FieldTarget, found: FieldInfo): void {
  if (target.spec.externalId && !(found.externalId && found.unique)) {
    throw new SyncError(
      `Salesforce ${target.object}.${found.name} exists but is not an External ID with Unique set, so opportunities cannot be upserted on it. Map the expansion key to a new field name in the opportunities mapping file (the worker creates it), or mark this field External ID and Unique in Setup.`,
      { code: 'salesforce_key_not_unique', kind: 'config', details: { object: target.object, field: found.name } },
    );
  }
}

async function createField(client: SalesforceClient, target: FieldTarget): Promise<void> {
  const body = customFieldBody(target.object, target.name, target.spec);
  try {
    await client.call('fields.create', (conn) => conn.requestPost('/tooling/sobjects/CustomField', body));
  } catch (error) {
    if (error instanceof SyncError && error.details['category'] === 'DUPLICATE_DEVELOPER_NAME') return;
    throw error;
  }
}

/** Deployable metadata for admins who deploy fields themselves: one CustomField file per field. */
export function fieldMetadataXml(target: FieldTarget): string {
  const { FullName, Metadata } = customFieldBody(target.object, target.name, target.spec);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!-- objects/${target.object}/fields/${target.name}.field-meta.xml -->`,
    `<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">`,
    `    <fullName>${escapeXml(FullName.split('.')[1] ?? '')}</fullName>`,
  ];
  for (const [key, value] of Object.entries(Metadata)) {
    if (key === 'valueSet') continue;
    lines.push(`    <${key}>${escapeXml(String(value))}</${key}>`);
  }
  if (target.spec.picklist) {
    lines.push(
      '    <valueSet>',
      '        <restricted>false</restricted>',
      '        <valueSetDefinition>',
      '            <sorted>false</sorted>',
    );
    for (const v of target.spec.picklist)
      lines.push(
        '            <value>',
        `                <fullName>${escapeXml(v)}</fullName>`,
        '                <default>false</default>',
        `                <label>${escapeXml(v)}</label>`,
        '            </value>',
      );
    lines.push('        </valueSetDefinition>', '    </valueSet>');
  }
  lines.push('</CustomField>');
  return lines.join('\n');
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

import type { Client } from '@hubspot/api-client';
import type { PropertyCreate } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate.js';
import { SyncError } from '../../src/errors.ts';
import type { ProvisionResult } from '../../src/engine/crm.ts';
import type { PropertySpec } from './property-catalog.ts';

export interface HubspotCaller {
  call<T>(kind: string, fn: (sdk: Client) => Promise<T>): Promise<T>;
}

export type HubspotObject = 'companies' | 'deals';

export interface PropertyTarget {
  readonly objectType: HubspotObject;
  readonly name: string;
  readonly spec: PropertySpec;
}

export interface PropertyInfo {
  readonly name: string;
  readonly type: string;
  readonly fieldType: string;
  readonly unique: boolean;
  readonly options: readonly string[];
  /** Options filled by HubSpot at run time (owners): the list in the definition is not the allowed set. */
  readonly externalOptions: boolean;
  /** A calculated or otherwise read-only value (modificationMetadata.readOnlyValue). */
  readonly readOnly: boolean;
}
export type PropertyIndex = Readonly<Record<HubspotObject, ReadonlyMap<string, PropertyInfo>>>;

/** Reads the portal's property definitions for companies and deals (one call each). */
export async function readProperties(client: HubspotCaller): Promise<Record<HubspotObject, Map<string, PropertyInfo>>> {
  const read = async (objectType: HubspotObject): Promise<Map<string, PropertyInfo>> => {
    // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide (GET /crm/v3/properties/{objectType})
    const response = await client.call(`properties.read`, (sdk) => sdk.crm.properties.coreApi.getAll(objectType));
    return new Map(
      response.results.map((p) => [
        p.name,
        {
          name: p.name,
          type: p.type,
          fieldType: p.fieldType,
          unique: p.hasUniqueValue === true,
          options: (p.options ?? []).map((o) => o.value),
          externalOptions: p.externalOptions === true,
          readOnly: p.modificationMetadata?.readOnlyValue === true || p.calculated === true,
        },
      ]),
    );
  };
  return { companies: await read('companies'), deals: await read('deals') };
}

export interface ProvisionOptions {
  readonly client: HubspotCaller;
  readonly group: string;
  readonly targets: readonly PropertyTarget[];
  readonly dryRun: boolean;
}

/**
 * Creates the property group and every property the write mappings need that the portal lacks.
 * Idempotent: existing properties are left alone, and a 409 from a concurrent creator counts as existing.
 */
export async function provisionHubspot(
  options: ProvisionOptions,
): Promise<ProvisionResult & { properties: PropertyIndex }> {
  const properties = await readProperties(options.client);
  const created: string[] = [];
  const existing: string[] = [];
  const missing: string[] = [];
  for (const target of options.targets) {
    const label = `${target.objectType}.${target.name}`;
    const found = properties[target.objectType].get(target.name);
    if (found) {
      // A dry run (and mappings check) reports an unusable key through the mapping check, with its line.
      if (!options.dryRun) assertUsable(target, found);
      existing.push(label);
      continue;
    }
    if (options.dryRun) {
      missing.push(label);
      continue;
    }
    await ensureGroup(options.client, target.objectType, options.group);
    const info = await createProperty(options.client, target, options.group);
    properties[target.objectType].set(target.name, info);
    created.push(label);
  }
  return { created, existing, missing, properties };
}

function assertUsable(target: PropertyTarget, found: PropertyInfo): void {
  if (target.spec.unique && !found.unique) {
    // Upsert by a non-unique property is rejected by HubSpot, and hasUniqueValue cannot be changed later:
    // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
    throw new SyncError(
      `HubSpot ${target.objectType} property "${target.name}" exists but is not unique (hasUniqueValue is false), so deals cannot be upserted on it. Map the expansion key to a new property name in the deals mapping file; the worker will create it as unique.`,
      {
        code: 'hubspot_key_not_unique',
        kind: 'config',
        details: { objectType: target.objectType, property: target.name },
      },
    );
  }
}

const groupsEnsured = new WeakMap<HubspotCaller, Set<string>>();

async function ensureGroup(client: HubspotCaller, objectType: HubspotObject, group: string): Promise<void> {
  const done = groupsEnsured.get(client) ?? new Set<string>();
  groupsEnsured.set(client, done);
  if (done.has(`${objectType}/${group}`)) return;
  const groups = await client.call('properties.groups.read', (sdk) => sdk.crm.properties.groupsApi.getAll(objectType));
  if (!groups.results.some((g) => g.name === group)) {
    await ignoreConflict(() =>
      client.call('properties.groups.create', (sdk) =>
        sdk.crm.properties.groupsApi.create(objectType, { name: group, label: 'Expansion Sync', displayOrder: -1 }),
      ),
    );
  }
  done.add(`${objectType}/${group}`);
}

async function createProperty(client: HubspotCaller, target: PropertyTarget, group: string): Promise<PropertyInfo> {
  const { spec } = target;
  const body = {
    name: target.name,
    label: spec.label,
    description: spec.description,
    groupName: group,
    type: spec.type,
    fieldType: spec.fieldType,
    ...(spec.options ? { options: spec.options.map((o, i) => ({ ...o, displayOrder: i, hidden: false })) } : {}),
    ...(spec.unique ? { hasUniqueValue: true } : {}),
  } as unknown as PropertyCreate;
  await ignoreConflict(() =>
    client.call('properties.create', (sdk) => sdk.crm.properties.coreApi.create(target.objectType, body)),
  );
  return {
    name: target.name,
    type: spec.type,
    fieldType: spec.fieldType,
    unique: spec.unique === true,
    options: (spec.options ?? []).map((o) => o.value),
    externalOptions: false,
    readOnly: false,
  };
}

async function ignoreConflict(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof SyncError && error.details['status'] === 409) return;
    throw error;
  }
}

import { HubspotHttpError } from './http.ts';
import { defaultAssociationType, findObjectType, type ObjectTypeName } from './object-types.ts';
import type { PortalState } from './state.ts';
import type { HubspotSeed } from './types.ts';

/** Resolves an object type a test or seed names (`companies`, `company`, `0-2`); unknown names throw. */
export function seedType(raw: string): ObjectTypeName {
  const type = findObjectType(raw);
  if (!type)
    throw new Error(`HubSpot emulator: unknown object type "${raw}" (use companies, deals, notes or contacts)`);
  return type;
}

function explain(error: unknown): string {
  return error instanceof HubspotHttpError || error instanceof Error ? error.message : String(error);
}

/**
 * Loads a seed through the same validation as the API: owners, then custom properties (a missing group is
 * created), then records, then associations. A seed HubSpot would refuse fails loudly with the reason.
 */
export function applySeed(state: PortalState, seed: HubspotSeed): void {
  for (const owner of seed.owners ?? []) state.owners.add(owner);
  for (const [rawType, properties] of Object.entries(seed.properties ?? {})) {
    const type = seedType(rawType);
    for (const property of properties ?? []) {
      if (!state.schema.groups(type).some((g) => g.name === property.groupName))
        state.schema.createGroup(type, { name: property.groupName, label: property.groupName });
      try {
        const definition = state.schema.create(type, property);
        if (definition.hasUniqueValue) state.objects.indexUnique(type, definition.name);
      } catch (error) {
        throw new Error(`HubSpot emulator seed: property ${type}.${property.name}: ${explain(error)}`, {
          cause: error,
        });
      }
    }
  }
  for (const [rawType, objects] of Object.entries(seed.objects ?? {})) {
    const type = seedType(rawType);
    for (const [i, object] of (objects ?? []).entries()) {
      const result = state.objects.create(type, object.properties, object.id === undefined ? {} : { id: object.id });
      if (!result.ok) throw new Error(`HubSpot emulator seed: ${type}[${i}]: ${result.error.message}`);
    }
  }
  for (const link of seed.associations ?? []) associate(state, link);
}

export function associate(
  state: PortalState,
  link: {
    readonly fromType: string;
    readonly fromId: string;
    readonly toType: string;
    readonly toId: string;
    readonly typeId?: number;
  },
): void {
  const from = seedType(link.fromType);
  const to = seedType(link.toType);
  if (!state.objects.isLive(from, link.fromId))
    throw new Error(`HubSpot emulator: no ${from} record ${link.fromId} to associate`);
  if (!state.objects.isLive(to, link.toId))
    throw new Error(`HubSpot emulator: no ${to} record ${link.toId} to associate`);
  const typeId = link.typeId ?? defaultAssociationType(from, to)?.typeId;
  if (typeId === undefined)
    throw new Error(`HubSpot emulator: no default association type from ${from} to ${to}; pass typeId`);
  state.associations.add({ from, fromId: link.fromId, to, toId: link.toId }, typeId);
}

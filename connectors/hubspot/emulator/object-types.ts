import { HubspotHttpError } from './http.ts';

/** The CRM object types the emulator serves, by their plural API name. */
export type ObjectTypeName = 'companies' | 'deals' | 'notes' | 'contacts';

export const OBJECT_TYPES: readonly ObjectTypeName[] = ['companies', 'deals', 'notes', 'contacts'];

interface ObjectTypeInfo {
  readonly name: ObjectTypeName;
  /** HubSpot's object type id, as seen in v4 association responses (`fromObjectTypeId`). */
  readonly typeId: string;
  readonly singular: string;
  /** Upper-case name HubSpot uses in batch error messages ("Could not get some COMPANY objects"). */
  readonly label: string;
}

/**
 * Object type names and ids: https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide and
 * the v4 association responses (https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide).
 * HubSpot accepts the plural name, the singular name and the type id in paths.
 */
const INFO: Readonly<Record<ObjectTypeName, ObjectTypeInfo>> = {
  contacts: { name: 'contacts', typeId: '0-1', singular: 'contact', label: 'CONTACT' },
  companies: { name: 'companies', typeId: '0-2', singular: 'company', label: 'COMPANY' },
  deals: { name: 'deals', typeId: '0-3', singular: 'deal', label: 'DEAL' },
  notes: { name: 'notes', typeId: '0-46', singular: 'note', label: 'NOTE' },
};

const ALIASES = new Map<string, ObjectTypeName>();
for (const info of Object.values(INFO)) {
  ALIASES.set(info.name, info.name);
  ALIASES.set(info.singular, info.name);
  ALIASES.set(info.typeId, info.name);
}

export function objectTypeInfo(type: ObjectTypeName): ObjectTypeInfo {
  return INFO[type];
}

export function findObjectType(raw: string): ObjectTypeName | undefined {
  return ALIASES.get(raw.toLowerCase());
}

/** HubSpot answers an unknown object type in a path with 400 "Unable to infer object type from: …". */
export function resolveObjectType(raw: string): ObjectTypeName {
  const found = findObjectType(raw);
  if (found === undefined) {
    throw new HubspotHttpError(400, {
      category: 'VALIDATION_ERROR',
      message: `Unable to infer object type from: ${raw}`,
    });
  }
  return found;
}

export interface AssociationTypeDef {
  readonly from: ObjectTypeName;
  readonly to: ObjectTypeName;
  readonly typeId: number;
  readonly label: string | null;
  /** The type id of the same association read from the other side. */
  readonly inverse: number;
}

/**
 * HUBSPOT_DEFINED association type ids ("Association type ID values",
 * https://developers.hubspot.com/docs/api/crm/associations#association-type-id-values). The unlabeled type
 * of each pair comes first: it is what `batch/associate/default` creates. Labeled "Primary" types follow.
 */
const TYPE_TABLE: readonly AssociationTypeDef[] = [
  { from: 'deals', to: 'companies', typeId: 341, label: null, inverse: 342 },
  { from: 'deals', to: 'companies', typeId: 5, label: 'Primary', inverse: 6 },
  { from: 'companies', to: 'deals', typeId: 342, label: null, inverse: 341 },
  { from: 'companies', to: 'deals', typeId: 6, label: 'Primary', inverse: 5 },
  { from: 'notes', to: 'companies', typeId: 190, label: null, inverse: 189 },
  { from: 'companies', to: 'notes', typeId: 189, label: null, inverse: 190 },
  { from: 'notes', to: 'deals', typeId: 214, label: null, inverse: 213 },
  { from: 'deals', to: 'notes', typeId: 213, label: null, inverse: 214 },
  { from: 'notes', to: 'contacts', typeId: 202, label: null, inverse: 201 },
  { from: 'contacts', to: 'notes', typeId: 201, label: null, inverse: 202 },
  { from: 'deals', to: 'contacts', typeId: 3, label: null, inverse: 4 },
  { from: 'contacts', to: 'deals', typeId: 4, label: null, inverse: 3 },
  { from: 'contacts', to: 'companies', typeId: 279, label: null, inverse: 280 },
  { from: 'contacts', to: 'companies', typeId: 1, label: 'Primary', inverse: 2 },
  { from: 'companies', to: 'contacts', typeId: 280, label: null, inverse: 279 },
  { from: 'companies', to: 'contacts', typeId: 2, label: 'Primary', inverse: 1 },
];

export function associationTypesBetween(from: ObjectTypeName, to: ObjectTypeName): AssociationTypeDef[] {
  return TYPE_TABLE.filter((t) => t.from === from && t.to === to);
}

export function defaultAssociationType(from: ObjectTypeName, to: ObjectTypeName): AssociationTypeDef | undefined {
  return TYPE_TABLE.find((t) => t.from === from && t.to === to);
}

export function associationType(
  from: ObjectTypeName,
  to: ObjectTypeName,
  typeId: number,
): AssociationTypeDef | undefined {
  return TYPE_TABLE.find((t) => t.from === from && t.to === to && t.typeId === typeId);
}

/** Inline associations on create name only the type id; the id decides the target object type. */
export function associationTargetOf(from: ObjectTypeName, typeId: number): AssociationTypeDef | undefined {
  return TYPE_TABLE.find((t) => t.from === from && t.typeId === typeId);
}

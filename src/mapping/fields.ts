/**
 * A CRM field as the mapping checks see it, whichever CRM it came from: HubSpot property definitions
 * (https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide) or a Salesforce describe
 * (https://developer.salesforce.com/docs/platform/api-rest/guide/dome-sobject-describe).
 */
export type FieldKind =
  | 'text'
  | 'textarea'
  | 'number'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'other';

export interface CrmField {
  /** The name as the CRM spells it. */
  readonly name: string;
  readonly kind: FieldKind;
  /** The CRM's own type name, for messages (`string/textarea`, `double`, `enumeration/select`). */
  readonly crmType: string;
  /** Longest value the field holds, when the CRM sets one. */
  readonly length?: number;
  /** Allowed values of a picklist, when it is one. */
  readonly picklist?: readonly string[];
  readonly createable: boolean;
  readonly updateable: boolean;
  /** Unique or an External ID: an upsert key. */
  readonly unique: boolean;
}

/** One object's fields; Salesforce names compare case-insensitively, HubSpot's exactly. */
export interface ObjectFields {
  readonly object: string;
  get(name: string): CrmField | undefined;
  readonly all: readonly CrmField[];
}

export function objectFields(
  object: string,
  fields: readonly CrmField[],
  options: { readonly caseInsensitive: boolean },
): ObjectFields {
  const key = (name: string): string => (options.caseInsensitive ? name.toLowerCase() : name);
  const byName = new Map(fields.map((f) => [key(f.name), f]));
  return { object, all: fields, get: (name) => byName.get(key(name)) };
}

/** The mapped objects' fields, read once per run: the run's snapshot of the CRM schema. */
export interface FieldCatalog {
  readonly account: ObjectFields;
  readonly opportunity: ObjectFields;
}

/** What a snapshot keeps of a field, to say next run what changed ("deleted", "was a number"). */
export interface FieldSnapshot {
  readonly kind: FieldKind;
  readonly crmType: string;
}

export type CatalogSnapshot = Readonly<Record<'account' | 'opportunity', Readonly<Record<string, FieldSnapshot>>>>;

export function snapshotOf(catalog: FieldCatalog): CatalogSnapshot {
  const one = (fields: ObjectFields): Record<string, FieldSnapshot> =>
    Object.fromEntries(fields.all.map((f) => [f.name.toLowerCase(), { kind: f.kind, crmType: f.crmType }]));
  return { account: one(catalog.account), opportunity: one(catalog.opportunity) };
}

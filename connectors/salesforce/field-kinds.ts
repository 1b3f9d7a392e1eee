import { objectFields, type CrmField, type FieldCatalog, type FieldKind } from '../../src/mapping/index.ts';
import type { FieldIndex, FieldInfo } from './describe.ts';
import type { SchemaSnapshot } from './provision.ts';

/** Describe field types (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/field_types.htm) as the mapping checks group them. */
const KINDS: Readonly<Record<string, FieldKind>> = {
  string: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  encryptedstring: 'text',
  combobox: 'text',
  textarea: 'textarea',
  picklist: 'picklist',
  multipicklist: 'multipicklist',
  double: 'number',
  currency: 'number',
  percent: 'number',
  int: 'number',
  long: 'number',
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
  reference: 'reference',
};

function fieldOf(f: FieldInfo): CrmField {
  const kind = KINDS[f.type] ?? 'other';
  return {
    name: f.name,
    kind,
    crmType: f.type,
    ...(f.length > 0 && (kind === 'text' || kind === 'textarea') ? { length: f.length } : {}),
    ...((kind === 'picklist' || kind === 'multipicklist') && f.picklistValues.length > 0
      ? { picklist: f.picklistValues }
      : {}),
    createable: f.createable,
    updateable: f.updateable,
    unique: f.externalId || f.unique,
  };
}

const fieldsOf = (object: string, index: FieldIndex) =>
  objectFields(object, [...index.values()].map(fieldOf), { caseInsensitive: true });

export function salesforceFieldCatalog(schema: SchemaSnapshot): FieldCatalog {
  return { account: fieldsOf('Account', schema.Account), opportunity: fieldsOf('Opportunity', schema.Opportunity) };
}

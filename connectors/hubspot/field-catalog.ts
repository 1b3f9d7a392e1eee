import { objectFields, type CrmField, type FieldCatalog, type FieldKind } from '../../src/mapping/index.ts';
import type { PropertyIndex, PropertyInfo } from './provision.ts';

/**
 * HubSpot property values are strings of at most 65,536 characters, whatever the field type shows
 * (https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide, "Property values").
 */
const VALUE_MAX = 65_536;

/** Property types and field types as the Properties API documents them (same guide). */
function kindOf(p: PropertyInfo): FieldKind {
  switch (p.type) {
    case 'string':
    case 'phone_number':
      return p.fieldType === 'textarea' || p.fieldType === 'html' ? 'textarea' : 'text';
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'bool':
      return 'boolean';
    case 'enumeration':
      return p.fieldType === 'checkbox' ? 'multipicklist' : p.fieldType === 'booleancheckbox' ? 'boolean' : 'picklist';
    default:
      return 'other';
  }
}

function fieldOf(p: PropertyInfo): CrmField {
  const kind = kindOf(p);
  const picklist =
    (kind === 'picklist' || kind === 'multipicklist') && !p.externalOptions && p.options.length > 0
      ? p.options
      : undefined;
  return {
    name: p.name,
    kind,
    crmType: `${p.type}/${p.fieldType}`,
    ...(kind === 'text' || kind === 'textarea' ? { length: VALUE_MAX } : {}),
    ...(picklist ? { picklist } : {}),
    // A private app edits every property that is not read-only; there is no per-user field security.
    createable: !p.readOnly,
    updateable: !p.readOnly,
    unique: p.unique,
  };
}

export function hubspotFieldCatalog(properties: PropertyIndex): FieldCatalog {
  return {
    account: objectFields('companies', [...properties.companies.values()].map(fieldOf), { caseInsensitive: false }),
    opportunity: objectFields('deals', [...properties.deals.values()].map(fieldOf), { caseInsensitive: false }),
  };
}

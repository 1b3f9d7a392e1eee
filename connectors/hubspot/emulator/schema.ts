import { isRecord } from '../../emulator-kit/http-io.ts';
import { HubspotHttpError, invalidInput, isoTime } from './http.ts';
import { OBJECT_TYPES, type ObjectTypeName } from './object-types.ts';
import {
  standardGroup,
  standardProperties,
  type GroupDefinition,
  type OptionDefinition,
  type PropertyDefinition,
} from './standard-properties.ts';

/**
 * Property definitions and groups per object type, as the Properties API manages them:
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 */
const TYPES = new Set(['bool', 'date', 'datetime', 'enumeration', 'number', 'phone_number', 'string']);
const FIELD_TYPES = new Set([
  'booleancheckbox',
  'calculation_equation',
  'checkbox',
  'date',
  'file',
  'html',
  'number',
  'phonenumber',
  'radio',
  'select',
  'text',
  'textarea',
]);
const NAME = /^[a-z][a-z0-9_]*$/;
/** Portals cap unique-value properties per object (commonly cited as 10). */
const MAX_UNIQUE = 10;

export class PropertySchema {
  private readonly properties = new Map<ObjectTypeName, Map<string, PropertyDefinition>>();
  private readonly groupsByType = new Map<ObjectTypeName, Map<string, GroupDefinition>>();
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
    for (const type of OBJECT_TYPES) {
      this.properties.set(type, new Map(standardProperties(type, now()).map((p) => [p.name, p])));
      const group = standardGroup(type);
      this.groupsByType.set(type, new Map([[group.name, group]]));
    }
  }

  get(type: ObjectTypeName, name: string): PropertyDefinition | undefined {
    return this.of(type).get(name);
  }

  list(type: ObjectTypeName): PropertyDefinition[] {
    return [...this.of(type).values()];
  }

  /** `POST /crm/v3/properties/{objectType}`: 201, or 409 when the name is taken. */
  create(type: ObjectTypeName, input: unknown): PropertyDefinition {
    if (!isRecord(input)) throw invalidInput('Invalid input: the body must be a property definition object');
    const missing = ['name', 'label', 'type', 'fieldType', 'groupName'].filter(
      (f) => typeof input[f] !== 'string' || input[f] === '',
    );
    if (missing.length > 0) {
      throw invalidInput(
        `Invalid input: missing required fields: ${missing.join(', ')}`,
        missing.map((f) => ({ message: `${f} is required`, code: 'REQUIRED_FIELD', in: f })),
      );
    }
    const name = String(input['name']);
    if (!NAME.test(name))
      throw invalidInput(
        `Property name "${name}" is invalid: use lowercase letters, digits and underscores, starting with a letter`,
      );
    if (this.of(type).has(name)) {
      throw new HubspotHttpError(409, { category: 'CONFLICT', message: `A property named '${name}' already exists.` });
    }
    this.checkKinds(input);
    const groupName = String(input['groupName']);
    if (!this.groupsOf(type).has(groupName))
      throw invalidInput(`Property group "${groupName}" does not exist for ${type}`);
    const unique = input['hasUniqueValue'] === true;
    if (unique && this.list(type).filter((p) => p.hasUniqueValue).length >= MAX_UNIQUE) {
      throw invalidInput(`A ${type} object can have at most ${MAX_UNIQUE} unique-value properties`);
    }
    const now = this.now();
    const definition: PropertyDefinition = {
      name,
      label: String(input['label']),
      type: String(input['type']),
      fieldType: String(input['fieldType']),
      groupName,
      description: typeof input['description'] === 'string' ? input['description'] : '',
      options: parseOptions(input['options']),
      displayOrder: typeof input['displayOrder'] === 'number' ? input['displayOrder'] : -1,
      hidden: input['hidden'] === true,
      formField: input['formField'] === true,
      hasUniqueValue: unique,
      hubspotDefined: false,
      calculated: false,
      externalOptions: false,
      createdAt: now,
      updatedAt: now,
    };
    this.of(type).set(name, definition);
    return definition;
  }

  /** `PATCH /crm/v3/properties/{objectType}/{name}`. `hasUniqueValue` cannot change once set. */
  update(type: ObjectTypeName, name: string, input: unknown): PropertyDefinition {
    const definition = this.require(type, name);
    if (!isRecord(input)) throw invalidInput('Invalid input: the body must be a property update object');
    if ('hasUniqueValue' in input && input['hasUniqueValue'] !== definition.hasUniqueValue) {
      throw invalidInput(`hasUniqueValue of property ${name} can't be changed once the property exists`);
    }
    if (definition.hubspotDefined && ('type' in input || 'fieldType' in input))
      throw invalidInput(`The type of HubSpot-defined property ${name} can't be changed`);
    this.checkKinds({ type: input['type'] ?? definition.type, fieldType: input['fieldType'] ?? definition.fieldType });
    if (typeof input['groupName'] === 'string' && !this.groupsOf(type).has(input['groupName']))
      throw invalidInput(`Property group "${input['groupName']}" does not exist for ${type}`);
    for (const key of ['label', 'type', 'fieldType', 'groupName', 'description'] as const) {
      if (typeof input[key] === 'string') definition[key] = input[key];
    }
    if (typeof input['displayOrder'] === 'number') definition.displayOrder = input['displayOrder'];
    if (typeof input['hidden'] === 'boolean') definition.hidden = input['hidden'];
    if (typeof input['formField'] === 'boolean') definition.formField = input['formField'];
    if (input['options'] !== undefined) definition.options = parseOptions(input['options']);
    definition.updatedAt = this.now();
    return definition;
  }

  /** `DELETE /crm/v3/properties/{objectType}/{name}`; HubSpot-defined properties are not archivable. */
  remove(type: ObjectTypeName, name: string, options: { readonly force?: boolean } = {}): PropertyDefinition {
    const definition = this.require(type, name);
    if (definition.hubspotDefined && options.force !== true)
      throw invalidInput(`HubSpot-defined property ${name} can't be archived`);
    this.of(type).delete(name);
    return definition;
  }

  require(type: ObjectTypeName, name: string): PropertyDefinition {
    const definition = this.get(type, name);
    if (!definition)
      throw new HubspotHttpError(404, {
        category: 'OBJECT_NOT_FOUND',
        message: `Unable to find property ${name} for object type ${type}`,
      });
    return definition;
  }

  groups(type: ObjectTypeName): GroupDefinition[] {
    return [...this.groupsOf(type).values()];
  }

  group(type: ObjectTypeName, name: string): GroupDefinition {
    const group = this.groupsOf(type).get(name);
    if (!group)
      throw new HubspotHttpError(404, {
        category: 'OBJECT_NOT_FOUND',
        message: `Unable to find property group ${name} for object type ${type}`,
      });
    return group;
  }

  /** `POST /crm/v3/properties/{objectType}/groups`: 201, or 409 when the name is taken. */
  createGroup(type: ObjectTypeName, input: unknown): GroupDefinition {
    if (!isRecord(input) || typeof input['name'] !== 'string' || typeof input['label'] !== 'string') {
      throw invalidInput('Invalid input: a property group needs a name and a label');
    }
    if (!NAME.test(input['name'])) throw invalidInput(`Property group name "${input['name']}" is invalid`);
    if (this.groupsOf(type).has(input['name'])) {
      throw new HubspotHttpError(409, {
        category: 'CONFLICT',
        message: `A property group named '${input['name']}' already exists.`,
      });
    }
    const group: GroupDefinition = {
      name: input['name'],
      label: input['label'],
      displayOrder: typeof input['displayOrder'] === 'number' ? input['displayOrder'] : -1,
    };
    this.groupsOf(type).set(group.name, group);
    return group;
  }

  updateGroup(type: ObjectTypeName, name: string, input: unknown): GroupDefinition {
    const group = this.group(type, name);
    if (isRecord(input) && typeof input['label'] === 'string') group.label = input['label'];
    if (isRecord(input) && typeof input['displayOrder'] === 'number') group.displayOrder = input['displayOrder'];
    return group;
  }

  removeGroup(type: ObjectTypeName, name: string): void {
    this.group(type, name);
    if (this.list(type).some((p) => p.groupName === name))
      throw invalidInput(`Property group ${name} still has properties`);
    this.groupsOf(type).delete(name);
  }

  private checkKinds(input: Record<string, unknown>): void {
    if (!TYPES.has(String(input['type'])))
      throw invalidInput(`Invalid property type "${String(input['type'])}"; expected one of ${[...TYPES].join(', ')}`);
    if (!FIELD_TYPES.has(String(input['fieldType'])))
      throw invalidInput(
        `Invalid fieldType "${String(input['fieldType'])}"; expected one of ${[...FIELD_TYPES].join(', ')}`,
      );
  }

  private of(type: ObjectTypeName): Map<string, PropertyDefinition> {
    return this.properties.get(type) ?? new Map();
  }

  private groupsOf(type: ObjectTypeName): Map<string, GroupDefinition> {
    return this.groupsByType.get(type) ?? new Map();
  }
}

function parseOptions(raw: unknown): OptionDefinition[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalidInput('Invalid input: options must be an array');
  return raw.map((option: unknown, i) => {
    if (!isRecord(option) || typeof option['value'] !== 'string' || typeof option['label'] !== 'string') {
      throw invalidInput(`Invalid input: options[${i}] needs a label and a value`);
    }
    return {
      label: option['label'],
      value: option['value'],
      displayOrder: typeof option['displayOrder'] === 'number' ? option['displayOrder'] : i,
      hidden: option['hidden'] === true,
      ...(typeof option['description'] === 'string' ? { description: option['description'] } : {}),
    };
  });
}

/** The `Property` model of the Properties API. */
export function propertyJson(p: PropertyDefinition): Record<string, unknown> {
  return {
    updatedAt: isoTime(p.updatedAt),
    createdAt: isoTime(p.createdAt),
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description,
    groupName: p.groupName,
    options: p.options,
    displayOrder: p.displayOrder,
    calculated: p.calculated,
    externalOptions: p.externalOptions,
    hasUniqueValue: p.hasUniqueValue,
    hidden: p.hidden,
    hubspotDefined: p.hubspotDefined,
    modificationMetadata: {
      archivable: !p.hubspotDefined,
      readOnlyDefinition: p.hubspotDefined,
      readOnlyValue: p.calculated,
    },
    formField: p.formField,
    archived: false,
  };
}

export function groupJson(g: GroupDefinition): Record<string, unknown> {
  return { name: g.name, label: g.label, displayOrder: g.displayOrder, archived: false };
}

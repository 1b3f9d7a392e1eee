import type { SoqlField, SoqlFieldType, SoqlSchema } from './soql/index.ts';
import { SETUP_OBJECTS } from './setup-objects.ts';
import {
  REFERENCE_ALIASES,
  STANDARD_OBJECTS,
  type DuplicateError,
  type ObjectDefinition,
  type RecordCheck,
} from './standard-objects.ts';
import type { FieldChanges, FieldInput, PicklistValue, SalesforceFieldType } from './types.ts';

/** A field with every describe attribute resolved. */
export interface FieldDef {
  readonly name: string;
  readonly label: string;
  readonly type: SalesforceFieldType;
  readonly length: number;
  readonly precision: number;
  readonly scale: number;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly externalId: boolean;
  readonly unique: boolean;
  readonly idLookup: boolean;
  readonly custom: boolean;
  readonly defaultedOnCreate: boolean;
  readonly restrictedPicklist: boolean;
  readonly picklistValues: readonly Required<PicklistValue>[];
  readonly referenceTo: readonly string[];
  readonly relationshipName: string | null;
}

export interface ObjectSchema {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly fields: FieldDef[];
  readonly byName: Map<string, FieldDef>;
  readonly uniqueTogether: ReadonlyArray<readonly string[]>;
  readonly duplicateError?: DuplicateError;
  readonly check?: RecordCheck;
}

export class SchemaError extends Error {
  readonly code: 'DUPLICATE_DEVELOPER_NAME' | 'INVALID_TYPE' | 'INVALID_FIELD';
  constructor(code: SchemaError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

const SOQL_TYPE: Readonly<Record<SalesforceFieldType, SoqlFieldType>> = {
  id: 'id',
  string: 'string',
  textarea: 'textarea',
  picklist: 'picklist',
  multipicklist: 'multipicklist',
  reference: 'reference',
  double: 'double',
  currency: 'currency',
  percent: 'percent',
  int: 'int',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  email: 'email',
  url: 'url',
  phone: 'phone',
  base64: 'textarea',
};

/** The org's objects and fields: answers describe, validates writes, and is the SOQL engine's schema. */
export class SchemaStore implements SoqlSchema {
  private readonly objects = new Map<string, ObjectSchema>();

  constructor(definitions: readonly ObjectDefinition[] = [...STANDARD_OBJECTS, ...SETUP_OBJECTS]) {
    for (const d of definitions) {
      const schema: ObjectSchema = {
        name: d.name,
        label: d.label,
        labelPlural: d.labelPlural,
        keyPrefix: d.keyPrefix,
        fields: [],
        byName: new Map(),
        uniqueTogether: d.uniqueTogether ?? [],
        ...(d.duplicateError ? { duplicateError: d.duplicateError } : {}),
        ...(d.check ? { check: d.check } : {}),
      };
      this.objects.set(d.name.toLowerCase(), schema);
      for (const f of d.fields) this.insert(schema, resolveField(f));
    }
  }

  hasObject(object: string): boolean {
    return this.objects.has(object.toLowerCase());
  }

  objectName(object: string): string {
    return this.objects.get(object.toLowerCase())?.name ?? object;
  }

  get(object: string): ObjectSchema | undefined {
    return this.objects.get(object.toLowerCase());
  }

  all(): ObjectSchema[] {
    return [...this.objects.values()];
  }

  byPrefix(id: string): ObjectSchema | undefined {
    return this.all().find((o) => id.startsWith(o.keyPrefix));
  }

  def(object: string, name: string): FieldDef | undefined {
    return this.get(object)?.byName.get(name.toLowerCase());
  }

  field(object: string, name: string): SoqlField | undefined {
    const def = this.def(object, name);
    if (!def) return undefined;
    const referenceTo = def.referenceTo.map((r) => REFERENCE_ALIASES[r] ?? r);
    return {
      name: def.name,
      type: SOQL_TYPE[def.type],
      ...(def.type === 'reference' ? { referenceTo } : {}),
      ...(def.relationshipName ? { relationshipName: def.relationshipName } : {}),
    };
  }

  /** A new field; custom fields end in `__c` (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm). */
  addField(object: string, input: FieldInput): FieldDef {
    const schema = this.get(object);
    if (!schema) throw new SchemaError('INVALID_TYPE', `sObject type '${object}' is not supported.`);
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(input.name) || (input.name.includes('__') && !input.name.endsWith('__c')))
      throw new SchemaError('INVALID_FIELD', `Invalid field name: ${input.name}`);
    if (schema.byName.has(input.name.toLowerCase()))
      throw new SchemaError(
        'DUPLICATE_DEVELOPER_NAME',
        `duplicate value found: ${input.name} duplicates value on record with id: ${input.name}`,
      );
    const def = resolveField({ ...input });
    this.insert(schema, def);
    return def;
  }

  /**
   * Deletes a custom field, as Setup > Object Manager > Fields & Relationships > Delete does: describe no
   * longer lists it and SOQL naming it fails INVALID_FIELD ("No such column ..."), as for any unknown field.
   * Only custom fields can be deleted.
   */
  deleteField(object: string, name: string): FieldDef {
    const schema = this.get(object);
    if (!schema) throw new SchemaError('INVALID_TYPE', `sObject type '${object}' is not supported.`);
    const def = schema.byName.get(name.toLowerCase());
    if (!def) throw new SchemaError('INVALID_FIELD', `No such column '${name}' on sobject of type ${schema.name}`);
    if (!def.custom)
      throw new SchemaError('INVALID_FIELD', `Standard field ${schema.name}.${def.name} cannot be deleted`);
    schema.fields.splice(schema.fields.indexOf(def), 1);
    schema.byName.delete(def.name.toLowerCase());
    return def;
  }

  /**
   * Edits a field's definition in place (type, length, picklist values, field-level security), as an admin
   * does in Setup (Edit, Change Field Type; considerations:
   * https://help.salesforce.com/s/articleView?id=platform.notes_on_changing_custom_field_types.htm). The name
   * cannot change; a new type without a length or picklist gets that type's defaults. Returns the old and new
   * definitions, so the caller can convert stored values.
   */
  updateField(
    object: string,
    name: string,
    changes: FieldChanges,
  ): { readonly before: FieldDef; readonly after: FieldDef } {
    const schema = this.get(object);
    if (!schema) throw new SchemaError('INVALID_TYPE', `sObject type '${object}' is not supported.`);
    const before = schema.byName.get(name.toLowerCase());
    if (!before) throw new SchemaError('INVALID_FIELD', `No such column '${name}' on sobject of type ${schema.name}`);
    const retyped = changes.type !== undefined && changes.type !== before.type;
    const access = {
      name: before.name,
      label: before.label,
      createable: before.createable,
      updateable: before.updateable,
      nillable: before.nillable,
      externalId: before.externalId,
      unique: before.unique,
      idLookup: before.idLookup,
    };
    const base: FieldInput = retyped
      ? { ...access, type: changes.type ?? before.type }
      : {
          ...access,
          type: before.type,
          length: before.length,
          precision: before.precision,
          scale: before.scale,
          defaultedOnCreate: before.defaultedOnCreate,
          restrictedPicklist: before.restrictedPicklist,
          picklistValues: before.picklistValues,
          referenceTo: before.referenceTo,
          ...(before.relationshipName ? { relationshipName: before.relationshipName } : {}),
        };
    const after = resolveField({ ...base, ...changes, name: before.name });
    schema.fields.splice(schema.fields.indexOf(before), 1, after);
    schema.byName.set(after.name.toLowerCase(), after);
    return { before, after };
  }

  private insert(schema: ObjectSchema, def: FieldDef): void {
    schema.fields.push(def);
    schema.byName.set(def.name.toLowerCase(), def);
  }
}

const TEXT_TYPES: ReadonlySet<SalesforceFieldType> = new Set([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'email',
  'url',
  'phone',
]);

function resolveField(f: FieldInput): FieldDef {
  const system = f.type === 'id';
  const defaultLength = f.type === 'reference' || system ? 18 : TEXT_TYPES.has(f.type) ? 255 : 0;
  return {
    name: f.name,
    label:
      f.label ??
      f.name
        .replace(/__c$/, '')
        .replace(/_/g, ' ')
        .replace(/([a-z])([A-Z])/g, '$1 $2'),
    type: f.type,
    length: f.length ?? defaultLength,
    precision: f.precision ?? (f.type === 'double' || f.type === 'currency' || f.type === 'percent' ? 18 : 0),
    scale: f.scale ?? 0,
    nillable: f.nillable ?? (f.type !== 'boolean' && !system),
    createable: f.createable ?? !system,
    updateable: f.updateable ?? !system,
    externalId: f.externalId ?? false,
    unique: f.unique ?? false,
    idLookup: f.idLookup ?? (f.externalId === true || system),
    custom: f.name.endsWith('__c'),
    defaultedOnCreate: f.defaultedOnCreate ?? f.type === 'boolean',
    restrictedPicklist: f.restrictedPicklist ?? false,
    picklistValues: (f.picklistValues ?? []).map((p) => ({
      value: p.value,
      label: p.label ?? p.value,
      active: p.active ?? true,
      defaultValue: p.defaultValue ?? false,
    })),
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
  };
}

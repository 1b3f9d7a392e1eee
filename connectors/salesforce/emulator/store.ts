import type { SoqlData } from './soql/index.ts';
import { makeId, normalizeId } from './ids.ts';
import type { FieldDef, ObjectSchema, SchemaStore } from './schema.ts';
import { OPPORTUNITY_STAGES, REFERENCE_ALIASES } from './standard-objects.ts';
import { secondsIso } from './http.ts';
import type { ItemError } from './types.ts';
import { coerceValue } from './values.ts';

export type StoredRecord = Record<string, unknown> & { Id: string };

export type WriteResult =
  | { readonly ok: true; readonly id: string; readonly created: boolean }
  | { readonly ok: false; readonly errors: readonly ItemError[] };

interface Snapshot {
  readonly records: Map<string, Map<string, StoredRecord>>;
  readonly index: Map<string, string>;
}

const itemError = (statusCode: string, message: string, fields: readonly string[] = []): ItemError => ({
  statusCode,
  message,
  fields,
});

/**
 * Every record of the org, keyed by object and 18-character id; the SOQL engine's data. Writes are
 * validated against the schema the way the REST API validates a DML (messages as Salesforce words them).
 */
export class RecordStore implements SoqlData {
  private tables = new Map<string, Map<string, StoredRecord>>();
  private index = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  private readonly schema: SchemaStore;
  private readonly now: () => number;
  /** The user new records are owned by when the call names none (the session's user). */
  defaultOwnerId = '';

  constructor(options: { readonly schema: SchemaStore; readonly now: () => number }) {
    this.schema = options.schema;
    this.now = options.now;
  }

  records(object: string): Iterable<Readonly<Record<string, unknown>>> {
    return this.table(this.schema.objectName(object)).values();
  }

  list(object: string): StoredRecord[] {
    return [...this.table(this.schema.objectName(object)).values()];
  }

  byId(raw: string): { readonly object: string; readonly record: Readonly<Record<string, unknown>> } | undefined {
    const id = normalizeId(raw);
    const object = id === undefined ? undefined : this.index.get(id);
    const record = object === undefined || id === undefined ? undefined : this.tables.get(object)?.get(id);
    return object !== undefined && record ? { object, record } : undefined;
  }

  get(object: string, raw: string): StoredRecord | undefined {
    const id = normalizeId(raw);
    return id === undefined ? undefined : this.table(this.schema.objectName(object)).get(id);
  }

  /** Records whose field equals the value; text compares case-insensitively, as external ids do by default. */
  findBy(object: string, field: FieldDef, value: unknown): StoredRecord[] {
    const wanted = typeof value === 'string' ? value.toLowerCase() : value;
    return this.list(object).filter((r) => {
      const v = r[field.name];
      return (typeof v === 'string' ? v.toLowerCase() : v) === wanted && v !== null;
    });
  }

  /** A newly added field reads null on existing records. */
  addColumn(object: string, name: string): void {
    for (const record of this.list(object)) record[name] ??= null;
  }

  /** A deleted field's values go with it. */
  dropColumn(object: string, name: string): void {
    for (const record of this.list(object)) delete record[name];
  }

  /**
   * Stored values after a field's definition changed: text longer than a shorter length is cut to it, and a
   * value the new type cannot hold is cleared: the data loss Salesforce warns of when a field's type changes
   * (https://help.salesforce.com/s/articleView?id=platform.notes_on_changing_custom_field_types.htm). Values
   * a (non-multi-select) picklist no longer lists are kept on existing records.
   */
  convertColumn(object: string, def: FieldDef): void {
    const lenient: FieldDef = { ...def, restrictedPicklist: false };
    for (const record of this.list(object)) {
      const value = record[def.name];
      if (value === null || value === undefined) continue;
      const text =
        typeof value === 'string' && def.length > 0 && value.length > def.length ? value.slice(0, def.length) : value;
      const coerced = coerceValue(lenient, text);
      record[def.name] = coerced.ok ? coerced.value : null;
    }
  }

  /** Seeding only: values written as given, unvalidated (system timestamps of imported history). */
  overwrite(object: string, id: string, values: Readonly<Record<string, unknown>>): void {
    const record = this.table(this.schema.objectName(object)).get(id);
    if (record) Object.assign(record, values);
  }

  snapshot(): Snapshot {
    const records = new Map<string, Map<string, StoredRecord>>();
    for (const [object, table] of this.tables)
      records.set(object, new Map([...table].map(([id, r]) => [id, { ...r }])));
    return { records, index: new Map(this.index) };
  }

  restore(snapshot: Snapshot): void {
    this.tables = snapshot.records;
    this.index = snapshot.index;
  }

  create(object: string, input: Readonly<Record<string, unknown>>): WriteResult {
    const schema = this.schema.get(object);
    if (!schema)
      return { ok: false, errors: [itemError('INVALID_TYPE', `sObject type '${object}' is not supported.`)] };
    const checked = this.check(schema, input, 'create');
    if (!checked.ok) return checked;
    const record: StoredRecord = { Id: this.nextId(schema.keyPrefix) };
    for (const f of schema.fields) if (f.name !== 'Id') record[f.name] = defaultValue(f, this.defaultOwnerId);
    Object.assign(record, checked.values);
    const missing = schema.fields
      .filter((f) => !f.nillable && f.createable && (record[f.name] === null || record[f.name] === undefined))
      .map((f) => f.name);
    if (missing.length > 0)
      return {
        ok: false,
        errors: [itemError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)],
      };
    const invalid = schema.check?.(record, this.schema) ?? this.checkUnique(schema, record);
    if (invalid) return { ok: false, errors: [invalid] };
    derive(schema.name, record, checked.values);
    const stamp = secondsIso(this.now());
    for (const name of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp'])
      if (schema.byName.has(name.toLowerCase())) record[name] = stamp;
    this.table(schema.name).set(record.Id, record);
    this.index.set(record.Id, schema.name);
    return { ok: true, id: record.Id, created: true };
  }

  update(
    object: string,
    rawId: string,
    input: Readonly<Record<string, unknown>>,
    options: { readonly force?: boolean } = {},
  ): WriteResult {
    const schema = this.schema.get(object);
    if (!schema)
      return { ok: false, errors: [itemError('INVALID_TYPE', `sObject type '${object}' is not supported.`)] };
    const id = normalizeId(rawId);
    if (id === undefined)
      return {
        ok: false,
        errors: [itemError('MALFORMED_ID', `Record ID: id value of incorrect type: ${rawId}`, ['Id'])],
      };
    const existing = this.table(schema.name).get(id);
    if (!existing) return { ok: false, errors: [itemError('ENTITY_IS_DELETED', 'entity is deleted', [])] };
    const rest = Object.fromEntries(Object.entries(input).filter(([key]) => key.toLowerCase() !== 'id'));
    const checked = this.check(schema, rest, options.force === true ? 'force' : 'update');
    if (!checked.ok) return checked;
    const cleared = Object.entries(checked.values)
      .filter(([name, v]) => v === null && schema.byName.get(name.toLowerCase())?.nillable === false)
      .map(([name]) => name);
    if (cleared.length > 0)
      return {
        ok: false,
        errors: [itemError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${cleared.join(', ')}]`, cleared)],
      };
    const next: StoredRecord = { ...existing, ...checked.values };
    const invalid = schema.check?.(next, this.schema) ?? this.checkUnique(schema, next);
    if (invalid) return { ok: false, errors: [invalid] };
    derive(schema.name, next, checked.values);
    const stamp = secondsIso(this.now());
    if (schema.byName.has('lastmodifieddate')) next['LastModifiedDate'] = stamp;
    if (schema.byName.has('systemmodstamp')) next['SystemModstamp'] = stamp;
    this.table(schema.name).set(id, next);
    return { ok: true, id, created: false };
  }

  private check(
    schema: ObjectSchema,
    input: Readonly<Record<string, unknown>>,
    mode: 'create' | 'update' | 'force',
  ): { ok: true; values: Record<string, unknown> } | { ok: false; errors: ItemError[] } {
    const errors: ItemError[] = [];
    const values: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const def = schema.byName.get(key.toLowerCase());
      if (!def) {
        errors.push(itemError('INVALID_FIELD', `No such column '${key}' on sobject of type ${schema.name}`, [key]));
        continue;
      }
      const writable = mode === 'force' || (mode === 'create' ? def.createable : def.updateable);
      if (!writable) {
        const message =
          def.name === 'Id'
            ? 'cannot specify Id in an insert call'
            : `Unable to create/update fields: ${def.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`;
        errors.push(itemError('INVALID_FIELD_FOR_INSERT_UPDATE', message, [def.name]));
        continue;
      }
      const coerced = coerceValue(def, raw);
      if (!coerced.ok) errors.push(coerced.error);
      else {
        const reference =
          def.type === 'reference' && coerced.value !== null
            ? this.checkReference(def, coerced.value as string)
            : undefined;
        if (reference) errors.push(reference);
        else values[def.name] = coerced.value;
      }
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
  }

  private checkReference(def: FieldDef, id: string): ItemError | undefined {
    const target = this.index.get(id);
    if (target === undefined) return itemError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [def.name]);
    const allowed = def.referenceTo.map((r) => REFERENCE_ALIASES[r] ?? r);
    if (!allowed.includes(target))
      return itemError('FIELD_INTEGRITY_EXCEPTION', `${def.label}: id value of incorrect type: ${id}`, [def.name]);
    return undefined;
  }

  /** Unique fields (external ids marked unique, Username): DUPLICATE_VALUE naming the holder; then unique field sets. */
  private checkUnique(schema: ObjectSchema, record: StoredRecord): ItemError | undefined {
    for (const def of schema.fields) {
      if (!def.unique || record[def.name] === null || record[def.name] === undefined) continue;
      const holder = this.findBy(schema.name, def, record[def.name]).find((r) => r.Id !== record.Id);
      if (holder)
        return itemError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${def.name} duplicates value on record with id: ${holder.Id}`,
          [def.name],
        );
    }
    const same = (a: unknown, b: unknown): boolean =>
      typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;
    for (const key of schema.uniqueTogether) {
      const holder = this.list(schema.name).find(
        (r) => r.Id !== record.Id && key.every((name) => same(r[name], record[name])),
      );
      // A composite-key duplicate (a user assigned the same permission set twice) names no holder.
      if (holder && schema.duplicateError) return schema.duplicateError(record);
      if (holder)
        return itemError(
          'DUPLICATE_VALUE',
          'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
          [],
        );
    }
    return undefined;
  }

  private nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return makeId(prefix, n);
  }

  private table(object: string): Map<string, StoredRecord> {
    let table = this.tables.get(object);
    if (!table) {
      table = new Map();
      this.tables.set(object, table);
    }
    return table;
  }
}

function defaultValue(def: FieldDef, ownerId: string): unknown {
  if (def.name === 'OwnerId') return ownerId === '' ? null : ownerId;
  if (def.name === 'IsActive') return true;
  if (def.type === 'boolean') return false;
  if (def.defaultedOnCreate && def.type === 'picklist')
    return def.picklistValues.find((p) => p.defaultValue)?.value ?? null;
  return null;
}

/** Fields Salesforce computes: IsClosed/IsWon and the default Probability from the stage, User.Name. */
function derive(object: string, record: StoredRecord, written: Readonly<Record<string, unknown>>): void {
  if (object === 'Opportunity') {
    const stage = OPPORTUNITY_STAGES.find((s) => s.value === record['StageName']);
    record['IsClosed'] = stage?.closed ?? false;
    record['IsWon'] = stage?.won ?? false;
    if (stage && 'StageName' in written && !('Probability' in written)) record['Probability'] = stage.probability;
  }
  if (object === 'User')
    record['Name'] = [record['FirstName'], record['LastName']]
      .filter((v) => typeof v === 'string' && v !== '')
      .join(' ');
}

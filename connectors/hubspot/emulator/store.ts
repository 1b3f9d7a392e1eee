import type { ErrorDetail } from './http.ts';
import { isoTime } from './http.ts';
import { OBJECT_TYPES, objectTypeInfo, type ObjectTypeName } from './object-types.ts';
import { DEFAULT_PIPELINE, findPipeline, stageFacts, stageOptions } from './pipelines.ts';
import type { PropertySchema } from './schema.ts';
import { invalidOptionMessage, normalizeValue, type ValueContext, type ValueProblem } from './values.ts';

export interface StoredObject {
  readonly id: string;
  readonly props: Record<string, string>;
  readonly createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
}

/** A per-record failure, rendered as a whole-request error or as one entry of a 207's `errors[]`. */
export interface ItemError {
  readonly status: number;
  readonly category: string;
  readonly message: string;
  readonly errors?: readonly ErrorDetail[];
  readonly context?: Readonly<Record<string, readonly string[]>>;
}

export type WriteResult =
  | { readonly ok: true; readonly object: StoredObject; readonly created: boolean }
  | { readonly ok: false; readonly error: ItemError };

interface Collection {
  readonly byId: Map<string, StoredObject>;
  /** Ids in creation order (ascending), archived ones included: list pages walk it from a cursor. */
  readonly order: string[];
  /** hasUniqueValue properties: value → record id. */
  readonly unique: Map<string, Map<string, string>>;
}

export interface ObjectStoreOptions {
  readonly schema: PropertySchema;
  readonly values: ValueContext;
  readonly now: () => number;
  readonly portalId: number;
}

const FIRST_ID = 10_001;

/**
 * Records of every object type, ids from one counter per portal. Writes validate like HubSpot's CRM object
 * APIs (https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide) and maintain
 * `hs_object_id`, `createdate` and `hs_lastmodifieddate`; deals get `hs_is_closed*` from their stage.
 */
export class ObjectStore {
  private readonly collections = new Map<ObjectTypeName, Collection>();
  private readonly options: ObjectStoreOptions;
  private nextId = FIRST_ID;

  constructor(options: ObjectStoreOptions) {
    this.options = options;
    for (const type of OBJECT_TYPES) this.collections.set(type, { byId: new Map(), order: [], unique: new Map() });
    for (const type of OBJECT_TYPES)
      for (const p of options.schema.list(type)) if (p.hasUniqueValue) this.indexUnique(type, p.name);
  }

  get(type: ObjectTypeName, id: string, archived = false): StoredObject | undefined {
    const found = this.of(type).byId.get(id);
    return found && found.archived === archived ? found : undefined;
  }

  isLive(type: ObjectTypeName, id: string): boolean {
    return this.get(type, id) !== undefined;
  }

  findByUnique(type: ObjectTypeName, property: string, value: string): StoredObject | undefined {
    const id = this.of(type).unique.get(property)?.get(value);
    return id === undefined ? undefined : this.get(type, id);
  }

  /** One list page from a position in creation order; `next` is where the following page starts. */
  page(
    type: ObjectTypeName,
    options: { readonly start: number; readonly limit: number; readonly archived: boolean },
  ): { items: StoredObject[]; next?: number } {
    const { byId, order } = this.of(type);
    const items: StoredObject[] = [];
    for (let i = options.start; i < order.length; i += 1) {
      const object = byId.get(order[i] ?? '');
      if (!object || object.archived !== options.archived) continue;
      if (items.length === options.limit) return { items, next: i };
      items.push(object);
    }
    return { items };
  }

  all(type: ObjectTypeName, archived = false): StoredObject[] {
    return this.page(type, { start: 0, limit: Number.MAX_SAFE_INTEGER, archived }).items;
  }

  create(
    type: ObjectTypeName,
    properties: Readonly<Record<string, string>>,
    options: { readonly id?: string } = {},
  ): WriteResult {
    const checked = this.check(type, properties);
    if (!checked.ok) return checked;
    const collection = this.of(type);
    const id = options.id ?? String(this.nextId++);
    if (collection.byId.has(id))
      return {
        ok: false,
        error: { status: 409, category: 'CONFLICT', message: `${objectTypeInfo(type).label} ${id} already exists` },
      };
    if (/^\d+$/.test(id)) this.nextId = Math.max(this.nextId, Number(id) + 1);
    const now = this.options.now();
    const props: Record<string, string> = {};
    for (const [name, value] of Object.entries(checked.values)) if (value !== '') props[name] = value;
    const createdAt = props['createdate'] ? Date.parse(props['createdate']) : now;
    Object.assign(props, { hs_object_id: id, createdate: isoTime(createdAt), hs_lastmodifieddate: isoTime(now) });
    if (type === 'deals') derivedDealFacts(props);
    const object: StoredObject = { id, props, createdAt, updatedAt: now, archived: false };
    collection.byId.set(id, object);
    collection.order.push(id);
    for (const [name, index] of collection.unique) if (props[name] !== undefined) index.set(props[name], id);
    return { ok: true, object, created: true };
  }

  update(type: ObjectTypeName, object: StoredObject, properties: Readonly<Record<string, string>>): WriteResult {
    const checked = this.check(type, properties, object);
    if (!checked.ok) return checked;
    const { unique } = this.of(type);
    let changed = false;
    for (const [name, value] of Object.entries(checked.values)) {
      const old = object.props[name];
      if ((value === '' ? undefined : value) === old) continue;
      changed = true;
      const index = unique.get(name);
      if (index && old !== undefined) index.delete(old);
      if (value === '') delete object.props[name];
      else {
        object.props[name] = value;
        index?.set(value, object.id);
      }
    }
    if (changed) {
      object.updatedAt = this.options.now();
      object.props['hs_lastmodifieddate'] = isoTime(object.updatedAt);
      if (type === 'deals') derivedDealFacts(object.props);
    }
    return { ok: true, object, created: false };
  }

  archive(type: ObjectTypeName, id: string): boolean {
    const object = this.get(type, id);
    if (!object) return false;
    object.archived = true;
    object.archivedAt = this.options.now();
    for (const [name, index] of this.of(type).unique)
      if (object.props[name] !== undefined) index.delete(object.props[name]);
    return true;
  }

  /** Removes a record created by a batch that then failed as a whole (nothing of it may remain). */
  discard(type: ObjectTypeName, id: string): void {
    const collection = this.of(type);
    const object = collection.byId.get(id);
    if (!object) return;
    collection.byId.delete(id);
    const at = collection.order.lastIndexOf(id);
    if (at >= 0) collection.order.splice(at, 1);
    for (const [name, index] of collection.unique)
      if (object.props[name] !== undefined && index.get(object.props[name]) === id) index.delete(object.props[name]);
  }

  /** A property was created with hasUniqueValue: index the values records already hold. */
  indexUnique(type: ObjectTypeName, name: string): void {
    const index = new Map<string, string>();
    for (const object of this.all(type)) if (object.props[name] !== undefined) index.set(object.props[name], object.id);
    this.of(type).unique.set(name, index);
  }

  /** A property definition was deleted: its values go with it. */
  dropProperty(type: ObjectTypeName, name: string): void {
    for (const object of this.of(type).byId.values()) delete object.props[name];
    this.of(type).unique.delete(name);
  }

  /** Validates and normalizes written values: unknown properties, types, options, required fields, uniqueness. */
  private check(
    type: ObjectTypeName,
    input: Readonly<Record<string, string>>,
    existing?: StoredObject,
  ): { ok: true; values: Record<string, string> } | { ok: false; error: ItemError } {
    const problems: ValueProblem[] = [];
    const values: Record<string, string> = {};
    for (const [name, raw] of Object.entries(input)) {
      const definition = this.options.schema.get(type, name);
      if (!definition)
        problems.push({ name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      else if (definition.calculated)
        problems.push({
          name,
          code: 'READ_ONLY_VALUE',
          message: `${name} is a read only property; its value cannot be set.`,
        });
      else {
        const normalized = normalizeValue(definition, raw, this.options.values);
        if (normalized.ok) values[name] = normalized.value;
        else problems.push(normalized.problem);
      }
    }
    problems.push(...objectRules(type, values, existing));
    if (problems.length > 0) return { ok: false, error: validationError(problems, this.options.portalId) };
    const conflict = this.uniqueConflict(type, values, existing);
    return conflict ? { ok: false, error: conflict } : { ok: true, values };
  }

  private uniqueConflict(
    type: ObjectTypeName,
    values: Record<string, string>,
    existing?: StoredObject,
  ): ItemError | undefined {
    for (const [name, index] of this.of(type).unique) {
      const value = values[name];
      const owner = value === undefined || value === '' ? undefined : index.get(value);
      if (owner !== undefined && owner !== existing?.id) {
        const message = `A ${objectTypeInfo(type).singular} with ${name}=${value} already exists. Existing ID: ${owner}`;
        return {
          status: 409,
          category: 'CONFLICT',
          message,
          errors: [
            { message, code: 'DUPLICATE_UNIQUE_PROPERTY_VALUE', context: { propertyName: [name], id: [owner] } },
          ],
        };
      }
    }
    return undefined;
  }

  private of(type: ObjectTypeName): Collection {
    const collection = this.collections.get(type);
    if (!collection) throw new Error(`unknown object type ${type}`);
    return collection;
  }
}

/**
 * Object-specific rules: deals need a stage of their pipeline (https://developers.HubSpot.com/docs/methods/deals/deals_overview);
 * notes need `hs_timestamp` (https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide).
 */
function objectRules(type: ObjectTypeName, values: Record<string, string>, existing?: StoredObject): ValueProblem[] {
  const required = (name: string): ValueProblem[] => {
    const value = values[name] ?? existing?.props[name];
    return value === undefined || value === ''
      ? [{ name, code: 'REQUIRED_PROPERTY', message: `${name} is required` }]
      : [];
  };
  if (type === 'notes') return required('hs_timestamp');
  if (type !== 'deals') return [];
  const pipelineId = values['pipeline'] || existing?.props['pipeline'] || DEFAULT_PIPELINE.id;
  const pipeline = findPipeline(pipelineId);
  if (!pipeline)
    return [
      {
        name: 'pipeline',
        code: 'INVALID_OPTION',
        message: invalidOptionMessage(pipelineId, [
          { label: DEFAULT_PIPELINE.label, value: DEFAULT_PIPELINE.id, displayOrder: 0, hidden: false },
        ]),
      },
    ];
  if (values['pipeline'] === undefined && existing === undefined) values['pipeline'] = pipeline.id;
  const stage = values['dealstage'];
  if (stage !== undefined && stage !== '' && !pipeline.stages.some((s) => s.id === stage)) {
    return [
      { name: 'dealstage', code: 'INVALID_OPTION', message: invalidOptionMessage(stage, stageOptions(pipeline)) },
    ];
  }
  return required('dealstage');
}

function derivedDealFacts(props: Record<string, string>): void {
  const facts = stageFacts(props['pipeline'] ?? DEFAULT_PIPELINE.id, props['dealstage'] ?? '');
  if (!facts) return;
  props['hs_is_closed'] = String(facts.isClosed);
  props['hs_is_closed_won'] = String(facts.isWon);
  props['hs_deal_stage_probability'] = facts.probability;
}

/**
 * HubSpot's body for invalid property values: the message embeds the validation results as JSON and
 * `errors[]` lists one entry per property (https://developers.hubspot.com/docs/faq/api-error-responses).
 */
export function validationError(problems: readonly ValueProblem[], portalId: number): ItemError {
  const results = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.code,
    name: p.name,
    localizedErrorMessage: p.message,
    portalId,
  }));
  return {
    status: 400,
    category: 'VALIDATION_ERROR',
    message: `Property values were not valid: ${JSON.stringify(results)}`,
    errors: problems.map((p) => ({ message: p.message, code: p.code, context: { propertyName: [p.name] } })),
  };
}

export function toRecord(object: StoredObject): {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
} {
  return {
    id: object.id,
    properties: { ...object.props },
    createdAt: isoTime(object.createdAt),
    updatedAt: isoTime(object.updatedAt),
    archived: object.archived,
  };
}

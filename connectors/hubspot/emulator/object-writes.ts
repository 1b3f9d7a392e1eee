import { isRecord } from '../../emulator-kit/http-io.ts';
import type { FaultRegistry } from './faults.ts';
import { HubspotHttpError, invalidInput } from './http.ts';
import { associationTargetOf, objectTypeInfo, type ObjectTypeName } from './object-types.ts';
import type { PortalState } from './state.ts';
import type { ItemError, StoredObject, WriteResult } from './store.ts';
import type { BatchInputView } from './types.ts';

/**
 * Writes shared by the single-record and batch endpoints
 * (https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide). Problems with one record come
 * back as an `ItemError` so a batch can answer 207; a malformed request throws a whole-request 400.
 */
export interface WriteContext {
  readonly state: PortalState;
  readonly faults: FaultRegistry;
  readonly type: ObjectTypeName;
}

/** Property values as written: strings, numbers and booleans (sent as JSON) become strings; null clears. */
export function propertiesInput(raw: unknown, where: string): Record<string, string> {
  if (raw === undefined) return {};
  if (!isRecord(raw))
    throw invalidInput(`Invalid input: ${where}.properties must be an object of property name to string value`);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === null) out[name] = '';
    else if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
    else throw invalidInput(`Invalid input: ${where}.properties.${name} must be a string`);
  }
  return out;
}

export function optionalString(raw: unknown, where: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return String(raw);
  throw invalidInput(`Invalid input: ${where} must be a string`);
}

export interface InlineLink {
  readonly toType: ObjectTypeName;
  readonly toId: string;
  readonly typeId: number;
}

/**
 * Inline `associations: [{to: {id}, types: [{associationCategory, associationTypeId}]}]` on create
 * (https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide). The type id decides the target type.
 */
export function inlineAssociations(
  context: WriteContext,
  raw: unknown,
): { links: InlineLink[] } | { error: ItemError } {
  if (raw === undefined || raw === null) return { links: [] };
  if (!Array.isArray(raw)) throw invalidInput('Invalid input: associations must be an array');
  const links: InlineLink[] = [];
  for (const entry of raw as unknown[]) {
    const toId =
      isRecord(entry) && isRecord(entry['to']) ? optionalString(entry['to']['id'], 'associations[].to.id') : undefined;
    const types = isRecord(entry) && Array.isArray(entry['types']) ? (entry['types'] as unknown[]) : [];
    if (toId === undefined || types.length === 0)
      throw invalidInput('Invalid input: each association needs to.id and types');
    for (const spec of types) {
      const typeId = isRecord(spec) ? Number(spec['associationTypeId']) : NaN;
      const def = associationTargetOf(context.type, typeId);
      if (!def)
        return { error: associationError(`association type ${String(typeId)} is not valid for ${context.type}`) };
      if (!context.state.objects.isLive(def.to, toId))
        return { error: associationError(`${objectTypeInfo(def.to).singular} ${toId} does not exist`) };
      links.push({ toType: def.to, toId, typeId });
    }
  }
  return { links };
}

function associationError(detail: string): ItemError {
  const message = `Invalid association: ${detail}`;
  return { status: 400, category: 'VALIDATION_ERROR', message, errors: [{ message, code: 'INVALID_ASSOCIATION' }] };
}

export function applyLinks(context: WriteContext, fromId: string, links: readonly InlineLink[]): void {
  for (const link of links)
    context.state.associations.add({ from: context.type, fromId, to: link.toType, toId: link.toId }, link.typeId);
}

export interface CreateInput {
  readonly properties: Record<string, string>;
  readonly associations?: unknown;
  readonly objectWriteTraceId?: string | undefined;
}

/** Creates one record with its inline associations; associations are applied by the caller once the batch stands. */
export function createOne(context: WriteContext, input: CreateInput): { result: WriteResult; links: InlineLink[] } {
  const view: BatchInputView = {
    properties: input.properties,
    ...(input.objectWriteTraceId !== undefined ? { objectWriteTraceId: input.objectWriteTraceId } : {}),
  };
  const injected = context.faults.recordFailure(context.type, 'create', view);
  if (injected) return { result: { ok: false, error: injected }, links: [] };
  const linked = inlineAssociations(context, input.associations);
  if ('error' in linked) return { result: { ok: false, error: linked.error }, links: [] };
  return { result: context.state.objects.create(context.type, input.properties), links: linked.links };
}

export function updateOne(
  context: WriteContext,
  object: StoredObject,
  properties: Record<string, string>,
  view: BatchInputView,
): WriteResult {
  const injected = context.faults.recordFailure(context.type, 'update', view);
  if (injected) return { ok: false, error: injected };
  return context.state.objects.update(context.type, object, properties);
}

/**
 * `idProperty` must name a property created with `hasUniqueValue: true` (or `email` on contacts):
 * "Unable to perform update/upsert by non-unique 0-2 property …" otherwise (as quoted in
 * HubSpot/hubspot-api-nodejs#548; https://developers.hubspot.com/changelog/updating-objects-by-custom-field-and-adding-owner-properties-via-the-api).
 */
export function requireUniqueProperty(context: WriteContext, idProperty: string): void {
  const definition = context.state.schema.get(context.type, idProperty);
  if (!definition) {
    throw new HubspotHttpError(400, {
      category: 'VALIDATION_ERROR',
      message: `Property "${idProperty}" does not exist`,
      errors: [
        {
          message: `Property "${idProperty}" does not exist`,
          code: 'PROPERTY_DOESNT_EXIST',
          context: { propertyName: [idProperty] },
        },
      ],
    });
  }
  if (!definition.hasUniqueValue) {
    const typeId = objectTypeInfo(context.type).typeId;
    throw new HubspotHttpError(400, {
      category: 'VALIDATION_ERROR',
      message: `Unable to perform update/upsert by non-unique ${typeId} property ${idProperty} in portal ID ${context.state.portalId}`,
    });
  }
}

/** Finds a record by id, or by the value of a unique property when `idProperty` is given. */
export function findTarget(
  context: WriteContext,
  id: string,
  idProperty: string | undefined,
): StoredObject | undefined {
  if (idProperty === undefined || idProperty === 'hs_object_id') return context.state.objects.get(context.type, id);
  return context.state.objects.findByUnique(context.type, idProperty, id);
}

export function notFound(type: ObjectTypeName, id: string): HubspotHttpError {
  return new HubspotHttpError(404, {
    category: 'OBJECT_NOT_FOUND',
    message: 'Object not found.  objectId are usually numeric.',
    context: { id: [id] },
  });
}

export function throwItemError(error: ItemError): never {
  throw new HubspotHttpError(error.status, {
    category: error.category,
    message: error.message,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.context ? { context: error.context } : {}),
  });
}

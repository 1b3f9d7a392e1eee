import { AssociationStore } from './association-store.ts';
import { isoTime } from './http.ts';
import { findObjectType, objectTypeInfo, type ObjectTypeName } from './object-types.ts';
import { OwnerStore } from './owners.ts';
import { PropertySchema } from './schema.ts';
import { ALWAYS_RETURNED, DEFAULT_READ_PROPERTIES } from './standard-properties.ts';
import { ObjectStore, type StoredObject } from './store.ts';

/** Everything a portal holds; shared by the HTTP handlers and the test-side helpers. */
export interface PortalState {
  readonly now: () => number;
  readonly portalId: number;
  readonly startedAt: number;
  readonly schema: PropertySchema;
  readonly owners: OwnerStore;
  readonly objects: ObjectStore;
  readonly associations: AssociationStore;
  baseUrl: string;
}

export function createPortalState(options: { readonly now: () => number; readonly portalId: number }): PortalState {
  const schema = new PropertySchema(options.now);
  const owners = new OwnerStore(options.now);
  const objects = new ObjectStore({
    schema,
    values: { ownerExists: (id) => owners.exists(id) },
    now: options.now,
    portalId: options.portalId,
  });
  return {
    now: options.now,
    portalId: options.portalId,
    startedAt: options.now(),
    schema,
    owners,
    objects,
    associations: new AssociationStore(),
    baseUrl: '',
  };
}

/** `properties`, `associations` and similar list parameters: repeated keys or comma-separated values. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export interface ObjectJsonOptions {
  readonly properties?: readonly string[] | undefined;
  readonly associations?: readonly string[] | undefined;
  readonly objectWriteTraceId?: string | undefined;
  /** Batch update results carry only what was written plus the system properties. */
  readonly only?: readonly string[] | undefined;
}

/**
 * A record as the v3 object endpoints return it: the requested properties (absent values as null, unknown
 * names ignored) plus `hs_object_id`, `createdate`, `hs_lastmodifieddate`; the object's default set when
 * none are requested (https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide).
 */
export function objectJson(
  state: PortalState,
  type: ObjectTypeName,
  object: StoredObject,
  options: ObjectJsonOptions = {},
): Record<string, unknown> {
  const names =
    options.only ??
    (options.properties && options.properties.length > 0 ? options.properties : DEFAULT_READ_PROPERTIES[type]);
  const properties: Record<string, string | null> = {};
  for (const name of names) {
    if (state.schema.get(type, name)) properties[name] = object.props[name] ?? null;
  }
  for (const name of ALWAYS_RETURNED) properties[name] = object.props[name] ?? null;
  const json: Record<string, unknown> = {
    id: object.id,
    properties,
    createdAt: isoTime(object.createdAt),
    updatedAt: isoTime(object.updatedAt),
    archived: object.archived,
  };
  if (object.archivedAt !== undefined) json['archivedAt'] = isoTime(object.archivedAt);
  if (options.objectWriteTraceId !== undefined) json['objectWriteTraceId'] = options.objectWriteTraceId;
  const associations = associationsJson(state, type, object.id, options.associations ?? []);
  if (associations) json['associations'] = associations;
  return json;
}

/** `associations=companies` on reads: `{companies: {results: [{id, type: "deal_to_company"}]}}`, omitted when empty. */
function associationsJson(
  state: PortalState,
  type: ObjectTypeName,
  id: string,
  requested: readonly string[],
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const raw of requested) {
    const toType = findObjectType(raw);
    if (!toType) continue;
    const results = state.associations
      .targets(type, id, toType)
      .filter((t) => state.objects.isLive(toType, t.toId))
      .map((t) => ({ id: t.toId, type: `${objectTypeInfo(type).singular}_to_${objectTypeInfo(toType).singular}` }));
    if (results.length > 0) out[toType] = { results };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Live association target ids, for the test-side helper. */
export function liveTargets(state: PortalState, type: ObjectTypeName, id: string, toType: ObjectTypeName): string[] {
  return state.associations
    .targets(type, id, toType)
    .filter((t) => state.objects.isLive(toType, t.toId))
    .map((t) => t.toId);
}

import { isRecord, type Reply } from '../../emulator-kit/http-io.ts';
import { decodeCursor, encodeCursor, invalidInput, limitParam, pagingJson } from './http.ts';
import { resolveObjectType } from './object-types.ts';
import {
  applyLinks,
  createOne,
  findTarget,
  notFound,
  optionalString,
  propertiesInput,
  requireUniqueProperty,
  throwItemError,
  updateOne,
  type WriteContext,
} from './object-writes.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import { listParam, objectJson } from './state.ts';

/** List pages: `limit` defaults to 10 and is capped at 100 (https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide). */
const LIST_DEFAULT = 10;
const LIST_MAX = 100;

function writeContext(context: RouteContext): WriteContext {
  return { state: context.state, faults: context.faults, type: resolveObjectType(context.params['type'] ?? '') };
}

/**
 * `GET /crm/v3/objects/{type}`: paged by an opaque `after` cursor; the last page has no `paging`.
 * `properties` and `associations` may repeat or be comma-separated.
 */
function list(context: RouteContext): Reply {
  const type = resolveObjectType(context.params['type'] ?? '');
  const { query, state } = context;
  const limit = limitParam(query, LIST_DEFAULT, LIST_MAX);
  const start = decodeCursor(query.get('after'));
  const page = state.objects.page(type, { start, limit, archived: query.get('archived') === 'true' });
  const options = { properties: listParam(query, 'properties'), associations: listParam(query, 'associations') };
  const results = page.items.map((o) => objectJson(state, type, o, options));
  if (page.next === undefined) return { status: 200, body: { results } };
  const after = encodeCursor(page.next);
  return {
    status: 200,
    body: { results, paging: pagingJson(after, `${state.baseUrl}/crm/v3/objects/${type}?after=${after}`) },
  };
}

/** `GET /crm/v3/objects/{type}/{id}` (`?idProperty=` reads by a unique property). 404 when missing. */
function read(context: RouteContext): Reply {
  const write = writeContext(context);
  const id = context.params['id'] ?? '';
  const idProperty = context.query.get('idProperty') ?? undefined;
  const archived = context.query.get('archived') === 'true';
  if (idProperty !== undefined && idProperty !== 'hs_object_id') requireUniqueProperty(write, idProperty);
  const object = archived ? context.state.objects.get(write.type, id, true) : findTarget(write, id, idProperty);
  if (!object) throw notFound(write.type, id);
  const options = {
    properties: listParam(context.query, 'properties'),
    associations: listParam(context.query, 'associations'),
  };
  return { status: 200, body: objectJson(context.state, write.type, object, options) };
}

/** `POST /crm/v3/objects/{type}`: 201 with the record; inline `associations` accepted. */
function create(context: RouteContext): Reply {
  const write = writeContext(context);
  if (!isRecord(context.body)) throw invalidInput('Invalid input: expected {properties, associations}');
  const properties = propertiesInput(context.body['properties'], 'input');
  const { result, links } = createOne(write, {
    properties,
    associations: context.body['associations'],
    objectWriteTraceId: optionalString(context.body['objectWriteTraceId'], 'objectWriteTraceId'),
  });
  if (!result.ok) throwItemError(result.error);
  applyLinks(write, result.object.id, links);
  return {
    status: 201,
    body: objectJson(context.state, write.type, result.object, { only: Object.keys(result.object.props) }),
  };
}

/** `PATCH /crm/v3/objects/{type}/{id}?idProperty=`: 200 with the record. */
function update(context: RouteContext): Reply {
  const write = writeContext(context);
  const id = context.params['id'] ?? '';
  const idProperty = context.query.get('idProperty') ?? undefined;
  if (idProperty !== undefined) requireUniqueProperty(write, idProperty);
  if (!isRecord(context.body)) throw invalidInput('Invalid input: expected {properties}');
  const properties = propertiesInput(context.body['properties'], 'input');
  const object = findTarget(write, id, idProperty);
  if (!object) throw notFound(write.type, id);
  const result = updateOne(write, object, properties, {
    id,
    ...(idProperty !== undefined ? { idProperty } : {}),
    properties,
  });
  if (!result.ok) throwItemError(result.error);
  return {
    status: 200,
    body: objectJson(context.state, write.type, result.object, { only: Object.keys(result.object.props) }),
  };
}

/** `DELETE /crm/v3/objects/{type}/{id}`: 204, archiving the record (also when it was already gone). */
function archive(context: RouteContext): Reply {
  const write = writeContext(context);
  context.state.objects.archive(write.type, context.params['id'] ?? '');
  return { status: 204 };
}

export const OBJECT_ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', template: '/crm/v3/objects/{type}', write: false, handler: list },
  { method: 'POST', template: '/crm/v3/objects/{type}', write: true, handler: create },
  { method: 'GET', template: '/crm/v3/objects/{type}/{id}', write: false, handler: read },
  { method: 'PATCH', template: '/crm/v3/objects/{type}/{id}', write: true, handler: update },
  { method: 'DELETE', template: '/crm/v3/objects/{type}/{id}', write: true, handler: archive },
];

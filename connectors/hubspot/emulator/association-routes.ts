import { isRecord, type Reply } from '../../emulator-kit/http-io.ts';
import { decodeCursor, encodeCursor, HubspotHttpError, invalidInput, isoTime, limitParam, pagingJson } from './http.ts';
import {
  associationType,
  associationTypesBetween,
  defaultAssociationType,
  objectTypeInfo,
  resolveObjectType,
  type ObjectTypeName,
} from './object-types.ts';
import { optionalString } from './object-writes.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import type { Link } from './association-store.ts';
import type { PortalState } from './state.ts';

/**
 * Associations v4 (https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide). Codes
 * are the SDK's: batch/create 201/207, batch/associate/default 200, batch/read 200/207 (≤ 1,000 inputs:
 * https://developers.hubspot.com/changelog/bug-fix-batch-read-limit-for-hubspot-associations-api),
 * batch/archive 204, labels 200, PUT default 200, PUT labeled 201, GET 200 (paged).
 */
const READ_MAX = 1_000;
/** Association writes take up to 2,000 pairs a call (the limit integrations built on the v4 API report). */
const WRITE_MAX = 2_000;

interface Pair {
  readonly from: ObjectTypeName;
  readonly to: ObjectTypeName;
}

interface Failure {
  readonly category: string;
  readonly message: string;
  readonly context: Record<string, string[]>;
}

const pairOf = (context: RouteContext): Pair => ({
  from: resolveObjectType(context.params['fromType'] ?? context.params['type'] ?? ''),
  to: resolveObjectType(context.params['toType'] ?? ''),
});

function inputsOf(body: unknown, max: number): Record<string, unknown>[] {
  if (!isRecord(body) || !Array.isArray(body['inputs']))
    throw invalidInput('Invalid input: expected {"inputs": [...]}');
  const inputs = body['inputs'] as unknown[];
  if (inputs.length > max)
    throw invalidInput(`Batch input size ${inputs.length} is larger than the limit of ${max} inputs`);
  return inputs.map((i) => (isRecord(i) ? i : {}));
}

const idOf = (raw: unknown, where: string): string =>
  (isRecord(raw) ? optionalString(raw['id'], `${where}.id`) : undefined) ?? '';
/** Numeric ids are numbers in v4 responses (the SDK types them as strings but passes them through). */
const wireId = (id: string): number | string => (/^\d+$/.test(id) ? Number(id) : id);

function typeJson(pair: Pair, typeId: number): Record<string, unknown> {
  const def = associationType(pair.from, pair.to, typeId);
  return { category: def ? 'HUBSPOT_DEFINED' : 'USER_DEFINED', typeId, label: def?.label ?? null };
}

/** The SDK's LabelsBetweenObjectPair: the labels of every type now linking the two records. */
function pairJson(state: PortalState, link: Link): Record<string, unknown> {
  const labels = state.associations
    .typesOf(link)
    .map((t) => associationType(link.from, link.to, t)?.label)
    .filter((l): l is string => typeof l === 'string');
  return {
    fromObjectTypeId: objectTypeInfo(link.from).typeId,
    fromObjectId: wireId(link.fromId),
    toObjectTypeId: objectTypeInfo(link.to).typeId,
    toObjectId: wireId(link.toId),
    labels,
  };
}

function missingRecord(state: PortalState, link: Link): Failure | undefined {
  if (!state.objects.isLive(link.from, link.fromId))
    return {
      category: 'OBJECT_NOT_FOUND',
      message: `No ${objectTypeInfo(link.from).singular} with ID ${link.fromId} exists`,
      context: { fromObjectId: [link.fromId] },
    };
  if (!state.objects.isLive(link.to, link.toId))
    return {
      category: 'OBJECT_NOT_FOUND',
      message: `No ${objectTypeInfo(link.to).singular} with ID ${link.toId} exists`,
      context: { toObjectId: [link.toId] },
    };
  return undefined;
}

function linkOf(pair: Pair, fromId: string, toId: string): Link {
  return { from: pair.from, fromId, to: pair.to, toId };
}

function envelope(state: PortalState, results: unknown[], failures: readonly Failure[]): Record<string, unknown> {
  const at = isoTime(state.now());
  const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: at, completedAt: at };
  if (failures.length === 0) return body;
  return {
    ...body,
    numErrors: failures.length,
    errors: failures.map((f) => ({ status: 'error', category: f.category, message: f.message, context: f.context })),
  };
}

function typeIdsOf(pair: Pair, raw: unknown): number[] | Failure {
  const specs = Array.isArray(raw) ? (raw as unknown[]) : [];
  const ids: number[] = [];
  for (const spec of specs) {
    const typeId = isRecord(spec) ? Number(spec['associationTypeId']) : NaN;
    const category = isRecord(spec) ? spec['associationCategory'] : undefined;
    if (!Number.isInteger(typeId) || (category === 'HUBSPOT_DEFINED' && !associationType(pair.from, pair.to, typeId))) {
      return {
        category: 'VALIDATION_ERROR',
        message: `${String(typeId)} is not a valid association type from ${pair.from} to ${pair.to}`,
        context: { associationTypeId: [String(typeId)] },
      };
    }
    ids.push(typeId);
  }
  return ids.length > 0
    ? ids
    : { category: 'VALIDATION_ERROR', message: 'types must name at least one association type', context: {} };
}

function batchCreate(context: RouteContext): Reply {
  const pair = pairOf(context);
  const results: unknown[] = [];
  const failures: Failure[] = [];
  for (const input of inputsOf(context.body, WRITE_MAX)) {
    const link = linkOf(pair, idOf(input['from'], 'from'), idOf(input['to'], 'to'));
    const typeIds = typeIdsOf(pair, input['types']);
    const failure = Array.isArray(typeIds) ? missingRecord(context.state, link) : typeIds;
    if (failure !== undefined || !Array.isArray(typeIds)) {
      if (failure !== undefined) failures.push(failure);
      continue;
    }
    for (const typeId of typeIds) context.state.associations.add(link, typeId);
    results.push(pairJson(context.state, link));
  }
  return { status: failures.length > 0 ? 207 : 201, body: envelope(context.state, results, failures) };
}

function defaultTypeOf(pair: Pair): number {
  const def = defaultAssociationType(pair.from, pair.to);
  if (!def) throw invalidInput(`There is no default association type from ${pair.from} to ${pair.to}`);
  return def.typeId;
}

function defaultJson(link: Link): Record<string, unknown> {
  return {
    from: { id: link.fromId },
    to: { id: link.toId },
    associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: defaultTypeOf(link) },
  };
}

/** The default (unlabeled) association needs no type id; errors ride in the 200 body. */
function batchDefault(context: RouteContext): Reply {
  const pair = pairOf(context);
  const typeId = defaultTypeOf(pair);
  const results: unknown[] = [];
  const failures: Failure[] = [];
  for (const input of inputsOf(context.body, WRITE_MAX)) {
    const link = linkOf(pair, idOf(input['from'], 'from'), idOf(input['to'], 'to'));
    const failure = missingRecord(context.state, link);
    if (failure) failures.push(failure);
    else {
      context.state.associations.add(link, typeId);
      results.push(defaultJson(link));
    }
  }
  return { status: 200, body: envelope(context.state, results, failures) };
}

function targetsJson(context: RouteContext, pair: Pair, fromId: string): Array<Record<string, unknown>> {
  return context.state.associations
    .targets(pair.from, fromId, pair.to)
    .filter((t) => context.state.objects.isLive(pair.to, t.toId))
    .map((t) => ({ toObjectId: wireId(t.toId), associationTypes: t.typeIds.map((id) => typeJson(pair, id)) }));
}

function batchRead(context: RouteContext): Reply {
  const pair = pairOf(context);
  const results: unknown[] = [];
  const failures: Failure[] = [];
  for (const input of inputsOf(context.body, READ_MAX)) {
    const fromId = optionalString(input['id'], 'id') ?? '';
    const to = context.state.objects.isLive(pair.from, fromId) ? targetsJson(context, pair, fromId) : [];
    if (to.length > 0) results.push({ from: { id: fromId }, to });
    else
      failures.push({
        category: 'OBJECT_NOT_FOUND',
        message: `No ${objectTypeInfo(pair.to).singular} is associated with ${objectTypeInfo(pair.from).singular} ${fromId}.`,
        context: { fromObjectId: [fromId] },
      });
  }
  return { status: failures.length > 0 ? 207 : 200, body: envelope(context.state, results, failures) };
}

function batchArchive(context: RouteContext): Reply {
  const pair = pairOf(context);
  for (const input of inputsOf(context.body, WRITE_MAX)) {
    const fromId = idOf(input['from'], 'from');
    for (const to of Array.isArray(input['to']) ? (input['to'] as unknown[]) : [])
      context.state.associations.remove(linkOf(pair, fromId, idOf(to, 'to')));
  }
  return { status: 204 };
}

function batchArchiveLabels(context: RouteContext): Reply {
  const pair = pairOf(context);
  for (const input of inputsOf(context.body, WRITE_MAX)) {
    const typeIds = typeIdsOf(pair, input['types']);
    if (Array.isArray(typeIds))
      context.state.associations.remove(linkOf(pair, idOf(input['from'], 'from'), idOf(input['to'], 'to')), typeIds);
  }
  return { status: 204 };
}

/** The link a `/crm/v4/objects/{type}/{id}/associations/.../{toType}/{toId}` path names. */
function pathLink(context: RouteContext): Link {
  return linkOf(pairOf(context), context.params['id'] ?? '', context.params['toId'] ?? '');
}

function requireRecords(context: RouteContext): Link {
  const link = pathLink(context);
  const failure = missingRecord(context.state, link);
  if (failure)
    throw new HubspotHttpError(404, { category: failure.category, message: failure.message, context: failure.context });
  return link;
}

function putDefault(context: RouteContext): Reply {
  const link = requireRecords(context);
  context.state.associations.add(link, defaultTypeOf(link));
  return { status: 200, body: envelope(context.state, [defaultJson(link)], []) };
}

function putLabeled(context: RouteContext): Reply {
  const link = requireRecords(context);
  const typeIds = typeIdsOf(link, context.body);
  if (!Array.isArray(typeIds)) throw invalidInput(typeIds.message);
  for (const typeId of typeIds) context.state.associations.add(link, typeId);
  return { status: 201, body: pairJson(context.state, link) };
}

function removeOne(context: RouteContext): Reply {
  context.state.associations.remove(pathLink(context));
  return { status: 204 };
}

/** `GET /crm/v4/objects/{type}/{id}/associations/{toType}`: limit default 500, opaque `after`. */
function listOne(context: RouteContext): Reply {
  const pair = pairOf(context);
  const fromId = context.params['id'] ?? '';
  const all = targetsJson(context, pair, fromId);
  const limit = limitParam(context.query, 500, 500);
  const start = decodeCursor(context.query.get('after'));
  const results = all.slice(start, start + limit);
  if (start + limit >= all.length) return { status: 200, body: { results } };
  const after = encodeCursor(start + limit);
  return {
    status: 200,
    body: {
      results,
      paging: pagingJson(
        after,
        `${context.state.baseUrl}/crm/v4/objects/${pair.from}/${fromId}/associations/${pair.to}?after=${after}`,
      ),
    },
  };
}

function labels(context: RouteContext): Reply {
  const pair = pairOf(context);
  return {
    status: 200,
    body: {
      results: associationTypesBetween(pair.from, pair.to).map((t) => ({
        category: 'HUBSPOT_DEFINED',
        typeId: t.typeId,
        label: t.label,
      })),
    },
  };
}

const V4 = '/crm/v4/associations/{fromType}/{toType}';
const V4_OBJECT = '/crm/v4/objects/{type}/{id}/associations';

export const ASSOCIATION_ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', template: `${V4}/batch/create`, write: true, handler: batchCreate },
  { method: 'POST', template: `${V4}/batch/associate/default`, write: true, handler: batchDefault },
  { method: 'POST', template: `${V4}/batch/read`, write: false, handler: batchRead },
  { method: 'POST', template: `${V4}/batch/archive`, write: true, handler: batchArchive },
  { method: 'POST', template: `${V4}/batch/labels/archive`, write: true, handler: batchArchiveLabels },
  { method: 'GET', template: `${V4}/labels`, write: false, handler: labels },
  { method: 'PUT', template: `${V4_OBJECT}/default/{toType}/{toId}`, write: true, handler: putDefault },
  { method: 'PUT', template: `${V4_OBJECT}/{toType}/{toId}`, write: true, handler: putLabeled },
  { method: 'DELETE', template: `${V4_OBJECT}/{toType}/{toId}`, write: true, handler: removeOne },
  { method: 'GET', template: `${V4_OBJECT}/{toType}`, write: false, handler: listOne },
];

import { isRecord, type Reply } from '../../emulator-kit/http-io.ts';
import { describeGlobal, describeObject } from './describe.ts';
import { restDatetime, restError } from './http.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import type { ObjectSchema } from './schema.ts';
import { MAX_VERSION, MIN_VERSION, type OrgState } from './state.ts';
import type { StoredRecord } from './store.ts';
import { upsertKey } from './collection-routes.ts';
import { errorArray, writeOne } from './writes.ts';

const notFound = (): never => {
  throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
};

function objectOf(state: OrgState, name: string | undefined): ObjectSchema {
  return state.schema.get(name ?? '') ?? notFound();
}

function body(raw: unknown): Record<string, unknown> {
  if (!isRecord(raw)) throw restError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  return raw;
}

/** A record as `GET /sobjects/{T}/{id}` returns it: attributes first, datetimes `…+0000`. */
export function recordJson(
  schema: ObjectSchema,
  record: StoredRecord,
  version: string,
  fields?: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: schema.name, url: `/services/data/v${version}/sobjects/${schema.name}/${record.Id}` },
  };
  const wanted = fields?.map((f) => f.toLowerCase());
  for (const def of schema.fields) {
    if (wanted && !wanted.includes(def.name.toLowerCase())) continue;
    const value = record[def.name] ?? null;
    out[def.name] = def.type === 'datetime' && typeof value === 'string' ? restDatetime(Date.parse(value)) : value;
  }
  return out;
}

function getRecord({ state, params, query, version }: RouteContext): Reply {
  const schema = objectOf(state, params['type']);
  const record = state.store.get(schema.name, params['id'] ?? '') ?? notFound();
  const fields = query
    .get('fields')
    ?.split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const unknown = fields?.find((f) => !schema.byName.has(f.toLowerCase()));
  if (unknown !== undefined)
    throw restError(400, 'INVALID_FIELD', `No such column '${unknown}' on sobject of type ${schema.name}`);
  return { status: 200, body: recordJson(schema, record, version, fields) };
}

/** `POST /sobjects/{T}` → 201 `{id, success, errors}` (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm). */
function createRecord({ state, params, body: raw }: RouteContext): Reply {
  const schema = objectOf(state, params['type']);
  const result = writeOne(state, { operation: 'create', object: schema.name, record: body(raw) });
  if (!result.ok) return { status: 400, body: errorArray(result.errors) };
  return { status: 201, body: { id: result.id, success: true, errors: [] } };
}

/** `PATCH /sobjects/{T}/{id}` → 204 (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_update_fields.htm). */
function updateRecord({ state, params, body: raw }: RouteContext): Reply {
  const schema = objectOf(state, params['type']);
  if (!state.store.get(schema.name, params['id'] ?? '')) notFound();
  const result = writeOne(state, {
    operation: 'update',
    object: schema.name,
    record: { ...body(raw), Id: params['id'] },
  });
  return result.ok ? { status: 204 } : { status: 400, body: errorArray(result.errors) };
}

/**
 * `PATCH /sobjects/{T}/{ExtField}/{value}`: 201 `{id, success, errors, created:true}` when created, 200 with
 * `created:false` when updated, 300 when several records match
 * (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-sobject-upsert-patch.html).
 */
function upsertRecord({ state, params, query, body: raw, version }: RouteContext): Reply {
  const schema = objectOf(state, params['type']);
  const keyField = upsertKey(state, schema.name, params['field'] ?? '');
  const matches = state.store.findBy(schema.name, keyField, params['value']);
  if (matches.length > 1)
    return { status: 300, body: matches.map((m) => `/services/data/v${version}/sobjects/${schema.name}/${m.Id}`) };
  if (matches.length === 0 && query.get('updateOnly') === 'true') notFound();
  const result = writeOne(state, {
    operation: 'upsert',
    object: schema.name,
    record: body(raw),
    keyField,
    keyValue: params['value'],
  });
  if (!result.ok) return { status: 400, body: errorArray(result.errors) };
  return {
    status: result.created ? 201 : 200,
    body: { id: result.id, success: true, errors: [], created: result.created },
  };
}

/** `GET /limits` (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm). */
function limits({ state }: RouteContext): Reply {
  const { used, max } = state.usage;
  return {
    status: 200,
    body: {
      DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
      DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
      DataStorageMB: { Max: 5, Remaining: 5 },
      FileStorageMB: { Max: 20, Remaining: 20 },
      ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
    },
  };
}

/** `GET /services/data` lists every version the org serves (resources_versions.htm). */
function versions(): Reply {
  const list = [];
  for (let major = MIN_VERSION; major <= MAX_VERSION; major += 1)
    list.push({ label: `API ${major}.0`, url: `/services/data/v${major}.0`, version: `${major}.0` });
  return { status: 200, body: list };
}

/** `GET /services/data/vNN.0` lists the resources of that version (resources_discoveryresource.htm). */
function resources({ version }: RouteContext): Reply {
  const base = `/services/data/v${version}`;
  return {
    status: 200,
    body: {
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      limits: `${base}/limits`,
      composite: `${base}/composite`,
      tooling: `${base}/tooling`,
    },
  };
}

export const SOBJECT_ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', template: '/services/data', write: false, root: true, handler: versions },
  { method: 'GET', template: '', write: false, handler: resources },
  { method: 'GET', template: '/limits', write: false, handler: limits },
  {
    method: 'GET',
    template: '/sobjects',
    write: false,
    handler: ({ state, version }) => ({ status: 200, body: describeGlobal(state.schema, version) }),
  },
  {
    method: 'GET',
    template: '/sobjects/{type}/describe',
    write: false,
    handler: ({ state, params, version }) => ({
      status: 200,
      body: describeObject(state.schema, objectOf(state, params['type']), version),
    }),
  },
  { method: 'GET', template: '/sobjects/{type}/{id}', write: false, handler: getRecord },
  { method: 'POST', template: '/sobjects/{type}', write: true, handler: createRecord },
  { method: 'PATCH', template: '/sobjects/{type}/{id}', write: true, handler: updateRecord },
  { method: 'PATCH', template: '/sobjects/{type}/{field}/{value}', write: true, handler: upsertRecord },
];

import { isRecord, type Reply } from '../../emulator-kit/http-io.ts';
import { restError } from './http.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import type { FieldDef } from './schema.ts';
import type { OrgState } from './state.ts';
import type { WriteResult } from './store.ts';
import type { ItemError, WriteOperation } from './types.ts';
import { writeOne } from './writes.ts';

const MAX_RECORDS = 200;

const ROLLED_BACK: ItemError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

interface CollectionBody {
  readonly allOrNone: boolean;
  readonly records: ReadonlyArray<Record<string, unknown>>;
}

/**
 * The body every collection call takes, `{allOrNone, records}` with at most 200 records, each carrying
 * `attributes.type`; anything else is not well formed and answered 400
 * (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-create.html).
 */
function parseBody(body: unknown): CollectionBody {
  if (!isRecord(body) || !Array.isArray(body['records']))
    throw restError(400, 'JSON_PARSER_ERROR', 'The request body must be {"allOrNone": boolean, "records": [...]}');
  const records = body['records'] as unknown[];
  if (records.length > MAX_RECORDS)
    throw restError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
    );
  for (const record of records) {
    const attributes = isRecord(record) ? record['attributes'] : undefined;
    if (!isRecord(attributes) || typeof attributes['type'] !== 'string')
      throw restError(400, 'INVALID_INPUT', 'Each record in the records array must have an attributes map with a type');
  }
  return { allOrNone: body['allOrNone'] === true, records: records as Array<Record<string, unknown>> };
}

function typeOf(record: Readonly<Record<string, unknown>>): string {
  return (record['attributes'] as { type: string }).type;
}

/**
 * Records are written in order and results returned in that order; with allOrNone, one failure rolls every
 * write of the call back and the others report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */
function run(
  state: OrgState,
  body: CollectionBody,
  upsert: boolean,
  item: (record: Record<string, unknown>, index: number) => WriteResult,
): Reply {
  const snapshot = body.allOrNone ? state.store.snapshot() : undefined;
  const results = body.records.map((record, index) => item(record, index));
  const anyFailed = results.some((r) => !r.ok);
  if (snapshot && anyFailed) {
    state.store.restore(snapshot);
    return {
      status: 200,
      body: results.map((r) =>
        r.ok ? { success: false, errors: [ROLLED_BACK] } : { success: false, errors: r.errors },
      ),
    };
  }
  return {
    status: 200,
    body: results.map((r) =>
      r.ok
        ? { id: r.id, success: true, errors: [], ...(upsert ? { created: r.created } : {}) }
        : { success: false, errors: r.errors },
    ),
  };
}

function collection(operation: Exclude<WriteOperation, 'upsert'>) {
  return ({ state, body }: RouteContext): Reply => {
    const parsed = parseBody(body);
    return run(state, parsed, false, (record) => {
      const object = typeOf(record);
      if (!state.schema.hasObject(object))
        return {
          ok: false,
          errors: [{ statusCode: 'INVALID_TYPE', message: `sObject type '${object}' is not supported.`, fields: [] }],
        };
      const { attributes: _a, ...fields } = record;
      return writeOne(state, { operation, object: state.schema.objectName(object), record: fields });
    });
  };
}

/**
 * `PATCH /composite/sobjects/{T}/{ExternalIdField}`: one type only (the URL's), an external id field only,
 * never Id (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-upsert.html).
 * Items that repeat a key value within the call all fail with DUPLICATE_EXTERNAL_ID.
 */
function upsertCollection({ state, params, body }: RouteContext): Reply {
  const object = params['type'] ?? '';
  if (!state.schema.hasObject(object)) throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const keyField = upsertKey(state, object, params['field'] ?? '');
  const parsed = parseBody(body);
  const canonical = state.schema.objectName(object);
  if (parsed.records.some((r) => typeOf(r).toLowerCase() !== canonical.toLowerCase())) {
    throw restError(400, 'INVALID_INPUT', `The list can only contain objects of type ${canonical}`);
  }
  const keys = parsed.records.map((r) => keyOf(r, keyField));
  const repeated = new Set(keys.filter((k, i) => k !== undefined && keys.indexOf(k) !== i));
  return run(state, parsed, true, (record, index) => {
    const key = keys[index];
    if (key !== undefined && repeated.has(key)) {
      return {
        ok: false,
        errors: [
          {
            statusCode: 'DUPLICATE_EXTERNAL_ID',
            message: `Duplicate external id specified: ${String(record[keyField.name])}`,
            fields: [keyField.name],
          },
        ],
      };
    }
    const { attributes: _a, ...fields } = record;
    return writeOne(state, { operation: 'upsert', object: canonical, record: fields, keyField });
  });
}

export function upsertKey(state: OrgState, object: string, name: string): FieldDef {
  const def = state.schema.def(object, name);
  if (!def)
    throw restError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`);
  if (def.name === 'Id' || !def.externalId)
    throw restError(
      400,
      'INVALID_FIELD',
      `Field ${def.name} is not an External ID or indexed field for ${state.schema.objectName(object)}`,
    );
  return def;
}

function keyOf(record: Readonly<Record<string, unknown>>, field: FieldDef): string | undefined {
  const value = record[field.name];
  return value === null || value === undefined || value === '' ? undefined : String(value).toLowerCase();
}

export const COLLECTION_ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', template: '/composite/sobjects', write: true, handler: collection('create') },
  { method: 'PATCH', template: '/composite/sobjects', write: true, handler: collection('update') },
  { method: 'PATCH', template: '/composite/sobjects/{type}/{field}', write: true, handler: upsertCollection },
];

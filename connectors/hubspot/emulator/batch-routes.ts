import { isRecord, type Reply } from '../../emulator-kit/http-io.ts';
import { HubspotHttpError, invalidInput, isoTime } from './http.ts';
import { objectTypeInfo, resolveObjectType, type ObjectTypeName } from './object-types.ts';
import {
  applyLinks,
  createOne,
  findTarget,
  optionalString,
  propertiesInput,
  requireUniqueProperty,
  throwItemError,
  updateOne,
  type InlineLink,
  type WriteContext,
} from './object-writes.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import { ALWAYS_RETURNED } from './standard-properties.ts';
import { objectJson, type PortalState } from './state.ts';
import type { ItemError, StoredObject } from './store.ts';

/**
 * `POST /crm/v3/objects/{type}/batch/{read,create,update,upsert,archive}`
 * (https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide). Success codes are the SDK's:
 * read/update/upsert 200, create 201, archive 204, and 207 with `errors[]` when some inputs failed
 * (https://developers.hubspot.com/docs/api-reference/latest/error-handling, "Multi-status errors").
 */
const BATCH_MAX = 100;

interface Failure {
  readonly error: ItemError;
  readonly context: Record<string, string[]>;
}

function writeContext(context: RouteContext): WriteContext {
  return { state: context.state, faults: context.faults, type: resolveObjectType(context.params['type'] ?? '') };
}

/** Batch inputs: at most 100 per call (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines). */
function inputsOf(body: unknown): Record<string, unknown>[] {
  if (!isRecord(body) || !Array.isArray(body['inputs']))
    throw invalidInput('Invalid input: expected {"inputs": [...]}');
  const inputs = body['inputs'] as unknown[];
  if (inputs.length > BATCH_MAX) {
    throw new HubspotHttpError(400, {
      category: 'VALIDATION_ERROR',
      message: `Batch input size ${inputs.length} is larger than the limit of ${BATCH_MAX} inputs`,
      context: { limit: [String(BATCH_MAX)], size: [String(inputs.length)] },
    });
  }
  return inputs.map((input, i) => {
    if (!isRecord(input)) throw invalidInput(`Invalid input: inputs[${i}] must be an object`);
    return input;
  });
}

function rejectDuplicates(ids: readonly string[]): void {
  const seen = new Set<string>();
  const duplicates = new Set(ids.filter((id) => seen.size === seen.add(id).size));
  if (duplicates.size > 0)
    throw invalidInput(`Duplicate IDs found in batch input: [${[...duplicates].join(', ')}]. IDs must be unique`);
}

function errorEntry(failure: Failure): Record<string, unknown> {
  const { error } = failure;
  return {
    status: 'error',
    category: error.category,
    message: error.message,
    context: { ...error.context, ...failure.context },
    ...(error.errors ? { errors: error.errors } : {}),
    links: {},
  };
}

function batchReply(
  state: PortalState,
  options: { readonly success: number; readonly results: unknown[]; readonly failures: readonly Failure[] },
): Reply {
  const at = isoTime(state.now());
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results: options.results,
    startedAt: at,
    completedAt: at,
    links: {},
  };
  if (options.failures.length === 0) return { status: options.success, body };
  return {
    status: 207,
    body: { ...body, numErrors: options.failures.length, errors: options.failures.map(errorEntry) },
  };
}

/** An input sent with an `objectWriteTraceId` is named by it in its error; otherwise by its id. */
function withTrace(context: Record<string, string[]>, trace: string | undefined): Record<string, string[]> {
  return trace === undefined || trace === '' ? context : { objectWriteTraceId: [trace] };
}

function notFoundFailure(type: ObjectTypeName, ids: readonly string[]): Failure {
  const message = `Could not get some ${objectTypeInfo(type).label} objects, they may be deleted or not exist. Check that ids are valid.`;
  return { error: { status: 404, category: 'OBJECT_NOT_FOUND', message }, context: { ids: [...ids] } };
}

/**
 * batch/create: per-item errors need a unique `objectWriteTraceId` on every input; without them one bad
 * input fails the whole batch with its own status and nothing is created.
 */
function batchCreate(context: RouteContext): Reply {
  const write = writeContext(context);
  const inputs = inputsOf(context.body).map((raw, i) => ({
    properties: propertiesInput(raw['properties'], `inputs[${i}]`),
    associations: raw['associations'],
    objectWriteTraceId: optionalString(raw['objectWriteTraceId'], `inputs[${i}].objectWriteTraceId`),
  }));
  const traces = inputs.map((i) => i.objectWriteTraceId).filter((t): t is string => t !== undefined && t !== '');
  const traced = traces.length === inputs.length && new Set(traces).size === traces.length;
  const created: Array<{ object: StoredObject; links: InlineLink[]; trace: string | undefined }> = [];
  const failures: Failure[] = [];
  for (const input of inputs) {
    const { result, links } = createOne(write, input);
    if (result.ok) created.push({ object: result.object, links, trace: input.objectWriteTraceId });
    else failures.push({ error: result.error, context: withTrace({}, input.objectWriteTraceId) });
  }
  if (failures.length > 0 && !traced) {
    for (const c of created) context.state.objects.discard(write.type, c.object.id);
    throwItemError(failures[0]!.error);
  }
  for (const c of created) applyLinks(write, c.object.id, c.links);
  const results = created.map((c) =>
    objectJson(context.state, write.type, c.object, { only: Object.keys(c.object.props), objectWriteTraceId: c.trace }),
  );
  return batchReply(context.state, { success: 201, results, failures });
}

interface KeyedInput {
  readonly id: string;
  readonly idProperty: string | undefined;
  readonly properties: Record<string, string>;
  readonly trace: string | undefined;
}

function keyedInputs(
  context: RouteContext,
  write: WriteContext,
  options: { readonly requireIdProperty: boolean },
): KeyedInput[] {
  const inputs = inputsOf(context.body).map((raw, i) => {
    const id = optionalString(raw['id'], `inputs[${i}].id`);
    if (id === undefined || id === '') throw invalidInput(`Invalid input: inputs[${i}].id is required`);
    const idProperty = optionalString(raw['idProperty'], `inputs[${i}].idProperty`);
    if (options.requireIdProperty && (idProperty === undefined || idProperty === ''))
      throw invalidInput(`Invalid input: inputs[${i}].idProperty is required to upsert`);
    return {
      id,
      idProperty,
      properties: propertiesInput(raw['properties'], `inputs[${i}]`),
      trace: optionalString(raw['objectWriteTraceId'], `inputs[${i}].objectWriteTraceId`),
    };
  });
  for (const idProperty of new Set(inputs.map((i) => i.idProperty)))
    if (idProperty !== undefined) requireUniqueProperty(write, idProperty);
  rejectDuplicates(inputs.map((i) => i.id));
  return inputs;
}

function resultProperties(properties: Record<string, string>, extra: readonly string[] = []): string[] {
  return [...Object.keys(properties), ...extra, ...ALWAYS_RETURNED];
}

/** batch/update: by record id, or by a unique property's value with `idProperty`. */
function batchUpdate(context: RouteContext): Reply {
  const write = writeContext(context);
  const results: unknown[] = [];
  const failures: Failure[] = [];
  const missing: string[] = [];
  for (const input of keyedInputs(context, write, { requireIdProperty: false })) {
    const object = findTarget(write, input.id, input.idProperty);
    if (!object) {
      missing.push(input.id);
      continue;
    }
    const view = {
      id: input.id,
      properties: input.properties,
      ...(input.idProperty ? { idProperty: input.idProperty } : {}),
      ...(input.trace ? { objectWriteTraceId: input.trace } : {}),
    };
    const result = updateOne(write, object, input.properties, view);
    if (result.ok)
      results.push(
        objectJson(context.state, write.type, result.object, {
          only: resultProperties(input.properties),
          objectWriteTraceId: input.trace,
        }),
      );
    else failures.push({ error: result.error, context: withTrace({ ids: [input.id] }, input.trace) });
  }
  if (missing.length > 0) failures.push(notFoundFailure(write.type, missing));
  return batchReply(context.state, { success: 200, results, failures });
}

/** batch/upsert: `idProperty` must be unique; results carry `new: true|false`. */
function batchUpsert(context: RouteContext): Reply {
  const write = writeContext(context);
  const results: unknown[] = [];
  const failures: Failure[] = [];
  for (const input of keyedInputs(context, write, { requireIdProperty: true })) {
    const idProperty = input.idProperty ?? '';
    const view = {
      id: input.id,
      idProperty,
      properties: input.properties,
      ...(input.trace ? { objectWriteTraceId: input.trace } : {}),
    };
    const injected = context.faults.recordFailure(write.type, 'upsert', view);
    const existing = context.state.objects.findByUnique(write.type, idProperty, input.id);
    const result = injected
      ? ({ ok: false, error: injected } as const)
      : existing
        ? context.state.objects.update(write.type, existing, input.properties)
        : context.state.objects.create(write.type, { ...input.properties, [idProperty]: input.id });
    if (!result.ok) {
      failures.push({ error: result.error, context: withTrace({ ids: [input.id] }, input.trace) });
      continue;
    }
    const json = objectJson(context.state, write.type, result.object, {
      only: resultProperties(input.properties, [idProperty]),
      objectWriteTraceId: input.trace,
    });
    results.push({ ...json, new: result.created });
  }
  return batchReply(context.state, { success: 200, results, failures });
}

/** batch/read: `{inputs: [{id}], properties, idProperty}`; missing ids are one OBJECT_NOT_FOUND error in a 207. */
function batchRead(context: RouteContext): Reply {
  const write = writeContext(context);
  const body = isRecord(context.body) ? context.body : {};
  const idProperty = optionalString(body['idProperty'], 'idProperty');
  if (idProperty !== undefined && idProperty !== 'hs_object_id') requireUniqueProperty(write, idProperty);
  const archived = context.query.get('archived') === 'true';
  const properties = Array.isArray(body['properties']) ? (body['properties'] as unknown[]).map(String) : undefined;
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const [i, input] of inputsOf(context.body).entries()) {
    const id = optionalString(input['id'], `inputs[${i}].id`) ?? '';
    const object = archived ? context.state.objects.get(write.type, id, true) : findTarget(write, id, idProperty);
    if (object) results.push(objectJson(context.state, write.type, object, { properties }));
    else missing.push(id);
  }
  return batchReply(context.state, {
    success: 200,
    results,
    failures: missing.length > 0 ? [notFoundFailure(write.type, missing)] : [],
  });
}

/** batch/archive: 204, whether or not every id existed. */
function batchArchive(context: RouteContext): Reply {
  const write = writeContext(context);
  for (const [i, input] of inputsOf(context.body).entries()) {
    context.state.objects.archive(write.type, optionalString(input['id'], `inputs[${i}].id`) ?? '');
  }
  return { status: 204 };
}

export const BATCH_ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', template: '/crm/v3/objects/{type}/batch/read', write: false, handler: batchRead },
  { method: 'POST', template: '/crm/v3/objects/{type}/batch/create', write: true, handler: batchCreate },
  { method: 'POST', template: '/crm/v3/objects/{type}/batch/update', write: true, handler: batchUpdate },
  { method: 'POST', template: '/crm/v3/objects/{type}/batch/upsert', write: true, handler: batchUpsert },
  { method: 'POST', template: '/crm/v3/objects/{type}/batch/archive', write: true, handler: batchArchive },
];

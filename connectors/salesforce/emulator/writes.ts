import type { FieldDef } from './schema.ts';
import type { OrgState } from './state.ts';
import type { WriteResult } from './store.ts';
import type { ItemError, WriteOperation } from './types.ts';
import { coerceValue } from './values.ts';

/** A write of one record, the same for single-record calls and each item of a collection. */
export interface WriteInput {
  readonly operation: WriteOperation;
  readonly object: string;
  readonly record: Readonly<Record<string, unknown>>;
  /** The external id field of an upsert. */
  readonly keyField?: FieldDef;
  /** The upsert key's value, when it comes from the URL rather than the record. */
  readonly keyValue?: unknown;
}

const failed = (error: ItemError): WriteResult => ({ ok: false, errors: [error] });

export function writeOne(state: OrgState, input: WriteInput): WriteResult {
  const { operation, object, record } = input;
  const injected = state.faults.recordFailure(object, operation, record);
  if (injected) return failed(injected);
  if (operation === 'create') return state.store.create(object, record);
  if (operation === 'update') {
    // Field names are case-insensitive; jsforce sends the key as `id`.
    const id = findCaseInsensitive(record, 'Id');
    if (typeof id !== 'string' || id === '')
      return failed({ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] });
    return state.store.update(object, id, record);
  }
  return upsert(state, input);
}

/**
 * Upsert by external id (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-sobject-upsert-patch.html):
 * no match creates, one match updates, several matches are an error and nothing is written.
 */
function upsert(state: OrgState, { object, record, keyField, keyValue }: WriteInput): WriteResult {
  if (!keyField) return failed({ statusCode: 'INVALID_FIELD', message: 'No external id field specified', fields: [] });
  const raw = keyValue ?? record[keyField.name] ?? findCaseInsensitive(record, keyField.name);
  const coerced = coerceValue(keyField, raw);
  if (!coerced.ok) return failed(coerced.error);
  if (coerced.value === null)
    return failed({
      statusCode: 'MISSING_ARGUMENT',
      message: `${keyField.name} not specified`,
      fields: [keyField.name],
    });
  const matches = state.store.findBy(object, keyField, coerced.value);
  if (matches.length > 1) {
    return failed({
      statusCode: 'DUPLICATE_EXTERNAL_ID',
      message: `${keyField.name}: more than one record found for external id field: [${matches.map((m) => m.Id).join(', ')}]`,
      fields: [keyField.name],
    });
  }
  const fields = Object.fromEntries(Object.entries(record).filter(([k]) => k.toLowerCase() !== 'id'));
  const withKey = { ...fields, [keyField.name]: coerced.value };
  const match = matches[0];
  if (!match) return state.store.create(object, withKey);
  // The key itself is not rewritten on update (it matched); other fields are.
  const { [keyField.name]: _key, ...changes } = withKey;
  return state.store.update(object, match.Id, changes);
}

function findCaseInsensitive(record: Readonly<Record<string, unknown>>, name: string): unknown {
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

/** The 400 body of a failed single-record call: one element per error (errorcodes.htm). */
export function errorArray(
  errors: readonly ItemError[],
): Array<{ message: string; errorCode: string; fields: readonly string[] }> {
  return errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields }));
}

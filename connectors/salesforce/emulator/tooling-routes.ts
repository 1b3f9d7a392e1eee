import { isRecord, type Reply } from '../../emulator-kit/http-io.ts';
import { makeId } from './ids.ts';
import { restError } from './http.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import { SchemaError } from './schema.ts';
import type { FieldInput, SalesforceFieldType } from './types.ts';

/** Metadata API field types to the describe type they produce (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm). */
const METADATA_TYPE: Readonly<Record<string, SalesforceFieldType>> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Checkbox: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Email: 'email',
  Url: 'url',
  Phone: 'phone',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
};

function fieldInput(name: string, metadata: Record<string, unknown>): FieldInput {
  const type = METADATA_TYPE[String(metadata['type'])];
  if (!type)
    throw restError(400, 'FIELD_INTEGRITY_EXCEPTION', `Invalid field type: ${String(metadata['type'])}`, ['Metadata']);
  const num = (key: string): number | undefined =>
    typeof metadata[key] === 'number' ? (metadata[key] as number) : undefined;
  const valueSet = isRecord(metadata['valueSet']) ? metadata['valueSet'] : undefined;
  const definition = valueSet && isRecord(valueSet['valueSetDefinition']) ? valueSet['valueSetDefinition'] : undefined;
  const picklist = Array.isArray(definition?.['value']) ? (definition['value'] as unknown[]).filter(isRecord) : [];
  const length = num('length') ?? (type === 'textarea' && metadata['type'] !== 'TextArea' ? 32768 : undefined);
  return {
    name,
    type,
    ...(typeof metadata['label'] === 'string' ? { label: metadata['label'] } : {}),
    ...(length !== undefined ? { length } : {}),
    ...(num('precision') !== undefined ? { precision: num('precision') as number } : {}),
    ...(num('scale') !== undefined ? { scale: num('scale') as number } : {}),
    externalId: metadata['externalId'] === true,
    unique: metadata['unique'] === true,
    ...(metadata['required'] === true ? { nillable: false } : {}),
    ...(picklist.length > 0
      ? {
          picklistValues: picklist.map((v) => ({
            value: String(v['fullName']),
            label: String(v['label'] ?? v['fullName']),
            defaultValue: v['default'] === true,
          })),
        }
      : {}),
    ...(valueSet?.['restricted'] === true ? { restrictedPicklist: true } : {}),
  };
}

/**
 * `POST /tooling/sobjects/CustomField` with `{FullName: 'Account.Field__c', Metadata: {...}}` → 201
 * `{id, success, errors}`; an existing name is 400 DUPLICATE_DEVELOPER_NAME
 * (https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_customfield.htm).
 */
function createCustomField({ state, body }: RouteContext): Reply {
  if (!isRecord(body) || typeof body['FullName'] !== 'string' || !isRecord(body['Metadata']))
    throw restError(400, 'JSON_PARSER_ERROR', 'FullName and Metadata are required');
  const [object = '', name = ''] = body['FullName'].split('.');
  if (!name.endsWith('__c'))
    throw restError(400, 'FIELD_INTEGRITY_EXCEPTION', `Custom field names must end with __c: ${body['FullName']}`, [
      'FullName',
    ]);
  try {
    state.schema.addField(object, fieldInput(name, body['Metadata']));
  } catch (error) {
    if (error instanceof SchemaError) throw restError(400, error.code, error.message, []);
    throw error;
  }
  state.store.addColumn(object, name);
  state.counters.customField += 1;
  return {
    status: 201,
    body: { id: makeId('00N', state.counters.customField), success: true, errors: [], warnings: [], infos: [] },
  };
}

export const TOOLING_ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', template: '/tooling/sobjects/CustomField', write: true, handler: createCustomField },
];

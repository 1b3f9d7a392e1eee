import type { FieldDef, ObjectSchema } from './schema.ts';
import type { SchemaStore } from './schema.ts';

const SOAP_TYPE: Readonly<Record<string, string>> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  base64: 'xsd:base64Binary',
};

/** One field of a describe (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm#field). */
export function describeField(f: FieldDef): Record<string, unknown> {
  const text =
    f.type !== 'boolean' &&
    f.type !== 'date' &&
    f.type !== 'datetime' &&
    !['double', 'currency', 'percent', 'int'].includes(f.type);
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP_TYPE[f.type] ?? 'xsd:string',
    length: text ? f.length : 0,
    byteLength: text ? f.length * 3 : 0,
    precision: f.precision,
    scale: f.scale,
    digits: f.type === 'int' ? f.precision : 0,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    defaultedOnCreate: f.defaultedOnCreate,
    externalId: f.externalId,
    unique: f.unique,
    idLookup: f.idLookup,
    custom: f.custom,
    calculated: false,
    caseSensitive: false,
    filterable: f.type !== 'textarea' && f.type !== 'base64',
    sortable: f.type !== 'textarea' && f.type !== 'base64' && f.type !== 'multipicklist',
    groupable: f.type !== 'textarea' && f.type !== 'base64',
    nameField: f.name === 'Name',
    restrictedPicklist: f.restrictedPicklist,
    picklistValues: f.picklistValues.map((p) => ({
      active: p.active,
      defaultValue: p.defaultValue,
      label: p.label,
      validFor: null,
      value: p.value,
    })),
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    defaultValue: null,
    inlineHelpText: null,
  };
}

function urls(version: string, name: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** `GET /sobjects/{T}/describe` (https://developer.salesforce.com/docs/platform/api-rest/guide/dome-sobject-describe). */
export function describeObject(schema: SchemaStore, object: ObjectSchema, version: string): Record<string, unknown> {
  const childRelationships = schema
    .all()
    .flatMap((child) =>
      child.fields
        .filter((f) => f.referenceTo.includes(object.name))
        .map((f) => ({ childSObject: child.name, field: f.name, relationshipName: null, cascadeDelete: false })),
    );
  return {
    name: object.name,
    label: object.label,
    labelPlural: object.labelPlural,
    keyPrefix: object.keyPrefix,
    custom: false,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    searchable: true,
    retrieveable: true,
    fields: object.fields.map(describeField),
    childRelationships,
    recordTypeInfos: [],
    urls: urls(version, object.name),
  };
}

/** `GET /sobjects` (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_describeGlobal.htm). */
export function describeGlobal(schema: SchemaStore, version: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: schema.all().map((o) => ({
      name: o.name,
      label: o.label,
      labelPlural: o.labelPlural,
      keyPrefix: o.keyPrefix,
      custom: false,
      createable: true,
      updateable: true,
      queryable: true,
      urls: urls(version, o.name),
    })),
  };
}

import { SYSTEM_FIELDS, type ObjectDefinition, type SchemaLookup } from './standard-objects.ts';
import type { ItemError } from './types.ts';

/**
 * The setup objects that grant field-level security through the API: a permission set, its field
 * permissions and its assignment to users. A field created through the Tooling API has no field-level
 * security for anyone, so the integration user needs these before it can read or write the field.
 */

const fail = (statusCode: string, message: string, fields: readonly string[]): ItemError => ({
  statusCode,
  message,
  fields,
});

/** A developer name: a letter first, then letters, digits and single underscores, no trailing underscore. */
const DEVELOPER_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;

function checkPermissionSet(record: Record<string, unknown>): ItemError | undefined {
  const name = record['Name'];
  if (typeof name === 'string' && (!DEVELOPER_NAME.test(name) || name.endsWith('_'))) {
    return fail(
      'FIELD_INTEGRITY_EXCEPTION',
      'The API Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.',
      ['Name'],
    );
  }
  return undefined;
}

/** Fields a permission set can grant: not the Id, not required ones (always readable and writable). */
function permissionable(def: {
  readonly type: string;
  readonly nillable: boolean;
  readonly updateable: boolean;
}): boolean {
  return def.type !== 'id' && (def.nillable || (def.type === 'boolean' && def.updateable));
}

/**
 * SobjectType and Field are restricted picklists of the org's objects and permissionable fields; Field is
 * `SobjectType.FieldName`, and from API 50.0 a lookup may be named without its `Id`. Values are stored as
 * the API spells them. PermissionsEdit requires PermissionsRead.
 */
function checkFieldPermissions(record: Record<string, unknown>, schema: SchemaLookup): ItemError | undefined {
  const type = record['SobjectType'];
  if (typeof type !== 'string' || !schema.hasObject(type))
    return fail(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      `Sobject Type Name: bad value for restricted picklist field: ${String(type)}`,
      ['SobjectType'],
    );
  const object = schema.objectName(type);
  const field = typeof record['Field'] === 'string' ? record['Field'] : '';
  const dot = field.indexOf('.');
  const prefix = field.slice(0, dot);
  const name = field.slice(dot + 1);
  const def =
    dot > 0 && prefix.toLowerCase() === object.toLowerCase()
      ? (schema.def(object, name) ?? schema.def(object, `${name}Id`))
      : undefined;
  if (!def || !permissionable(def))
    return fail(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      `Field Name: bad value for restricted picklist field: ${field}`,
      ['Field'],
    );
  if (record['PermissionsEdit'] === true && record['PermissionsRead'] !== true) {
    return fail('FIELD_INTEGRITY_EXCEPTION', 'Permission Edit depends on permission(s): Read', ['PermissionsRead']);
  }
  record['SobjectType'] = object;
  record['Field'] = `${object}.${def.name}`;
  return undefined;
}

const reference = (name: string, label: string, to: string, relationshipName: string) => ({
  name,
  label,
  type: 'reference' as const,
  length: 18,
  nillable: false,
  updateable: false,
  referenceTo: [to],
  relationshipName,
});

export const SETUP_OBJECTS: readonly ObjectDefinition[] = [
  {
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionset.htm
    name: 'PermissionSet',
    label: 'Permission Set',
    labelPlural: 'Permission Sets',
    keyPrefix: '0PS',
    fields: [
      ...SYSTEM_FIELDS,
      { name: 'Name', type: 'string', length: 80, nillable: false, unique: true, idLookup: true },
      { name: 'Label', type: 'string', length: 80, nillable: false },
      { name: 'Description', type: 'textarea', length: 255 },
      {
        name: 'IsOwnedByProfile',
        label: 'Is Owned by Profile',
        type: 'boolean',
        nillable: false,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      },
      {
        name: 'NamespacePrefix',
        label: 'Namespace Prefix',
        type: 'string',
        length: 15,
        createable: false,
        updateable: false,
      },
    ],
    check: checkPermissionSet,
  },
  {
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_fieldpermissions.htm
    name: 'FieldPermissions',
    label: 'Field Permissions',
    labelPlural: 'Field Permissions',
    keyPrefix: '01k',
    fields: [
      ...SYSTEM_FIELDS,
      reference('ParentId', 'Parent ID', 'PermissionSet', 'Parent'),
      {
        name: 'SobjectType',
        label: 'Sobject Type Name',
        type: 'picklist',
        length: 255,
        nillable: false,
        updateable: false,
      },
      { name: 'Field', label: 'Field Name', type: 'picklist', length: 255, nillable: false, updateable: false },
      { name: 'PermissionsRead', label: 'Read Access', type: 'boolean', nillable: false, defaultedOnCreate: true },
      { name: 'PermissionsEdit', label: 'Edit Access', type: 'boolean', nillable: false, defaultedOnCreate: true },
    ],
    uniqueTogether: [['ParentId', 'Field']],
    check: checkFieldPermissions,
  },
  {
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm
    name: 'PermissionSetAssignment',
    label: 'Permission Set Assignment',
    labelPlural: 'Permission Set Assignments',
    keyPrefix: '0Pa',
    fields: [
      ...SYSTEM_FIELDS,
      reference('AssigneeId', 'Assignee ID', 'User', 'Assignee'),
      reference('PermissionSetId', 'Permission Set ID', 'PermissionSet', 'PermissionSet'),
    ],
    uniqueTogether: [['AssigneeId', 'PermissionSetId']],
  },
];

import { fieldMetadataXml, type FieldTarget } from './provision.ts';

/** The permission set that grants the integration user read and edit on every field the worker writes. */
export const PERMISSION_SET = 'Expansion_Sync';

export interface MetadataFile {
  readonly path: string;
  readonly content: string;
}

/**
 * A source-format metadata package for admins who deploy the fields themselves (`sf project deploy start`
 * or a change set): one CustomField file per field, a permission set with field-level security on each,
 * and package.xml (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_types_list.htm).
 * Fields created through the API carry no field-level security of their own, so the permission set is
 * what lets the integration user write them; assign it to that user.
 */
export function metadataPackage(targets: readonly FieldTarget[], apiVersion: string): MetadataFile[] {
  const files = targets.map((t) => ({
    path: `force-app/main/default/objects/${t.object}/fields/${t.name}.field-meta.xml`,
    content: `${fieldMetadataXml(t)
      .split('\n')
      .filter((l) => !l.startsWith('<!--'))
      .join('\n')}\n`,
  }));
  const permissions = targets.map((t) =>
    [
      '    <fieldPermissions>',
      '        <editable>true</editable>',
      `        <field>${t.object}.${t.name}</field>`,
      '        <readable>true</readable>',
      '    </fieldPermissions>',
    ].join('\n'),
  );
  files.push({
    path: `force-app/main/default/permissionsets/${PERMISSION_SET}.permissionset-meta.xml`,
    content: [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">',
      '    <description>Read and edit on the fields expansion-sync writes. Assign it to the integration user.</description>',
      ...permissions,
      '    <hasActivationRequired>false</hasActivationRequired>',
      '    <label>Expansion Sync</label>',
      '</PermissionSet>',
      '',
    ].join('\n'),
  });
  const members = targets.map((t) => `        <members>${t.object}.${t.name}</members>`);
  files.push({
    path: 'manifest/package.xml',
    content: [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Package xmlns="http://soap.sforce.com/2006/04/metadata">',
      '    <types>',
      ...members,
      '        <name>CustomField</name>',
      '    </types>',
      '    <types>',
      `        <members>${PERMISSION_SET}</members>`,
      '        <name>PermissionSet</name>',
      '    </types>',
      `    <version>${apiVersion}</version>`,
      '</Package>',
      '',
    ].join('\n'),
  });
  return files;
}

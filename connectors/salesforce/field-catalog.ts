import { createdOutput, type CreatedShape, type Entity } from '../../src/mapping/index.ts';

/**
 * The custom fields the worker writes, as Metadata API CustomField definitions
 * (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm): the type
 * translator over the one output catalog (src/mapping/output-specs.ts). Provisioning creates them through
 * the Tooling API under whatever API name the mapping gives; `setup salesforce --print` prints the same.
 */
export interface CustomFieldSpec {
  readonly label: string;
  readonly description: string;
  readonly type: 'Text' | 'LongTextArea' | 'Number' | 'Currency' | 'Date' | 'Picklist';
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly visibleLines?: number;
  readonly externalId?: boolean;
  readonly unique?: boolean;
  readonly picklist?: readonly string[];
}

type Shape = Omit<CustomFieldSpec, 'label' | 'description' | 'picklist'>;

const TYPES: Readonly<Record<CreatedShape, Shape>> = {
  score: { type: 'Number', precision: 3, scale: 0 },
  probability: { type: 'Number', precision: 3, scale: 2 },
  money: { type: 'Currency', precision: 16, scale: 2 },
  'short-text': { type: 'Text', length: 255 },
  'long-text': { type: 'LongTextArea', length: 32768, visibleLines: 5 },
  date: { type: 'Date' },
  enum: { type: 'Picklist' },
  // External ID + Unique: the upsert key, so reruns, retries and crashes never create a second opportunity.
  key: { type: 'Text', length: 120, externalId: true, unique: true },
};

/** Salesforce labels are title case: `Expansion Potential ARR`. */
const titleCase = (label: string): string => label.replace(/\b[a-z]/g, (c) => c.toUpperCase());

/** The custom field the worker creates for an output, or undefined for outputs that go to standard fields. */
export function customFieldSpec(entity: Entity, from: string): CustomFieldSpec | undefined {
  const spec = createdOutput(entity, from);
  if (spec === undefined) return undefined;
  const { label, description, shape } = spec.created;
  return {
    label: titleCase(label),
    description,
    ...TYPES[shape],
    ...(shape === 'enum' ? { picklist: spec.values ?? [] } : {}),
  };
}

/** The Tooling API body for one field: `{FullName: 'Account.X__c', Metadata: {...}}`. */
export function customFieldBody(
  object: string,
  name: string,
  spec: CustomFieldSpec,
): { FullName: string; Metadata: Record<string, unknown> } {
  const { picklist: values, ...rest } = spec;
  const metadata: Record<string, unknown> = { ...rest };
  if (values)
    metadata['valueSet'] = {
      restricted: false,
      valueSetDefinition: { sorted: false, value: values.map((v) => ({ fullName: v, label: v, default: false })) },
    };
  return { FullName: `${object}.${name}`, Metadata: metadata };
}

import { createdOutput, type CreatedShape, type Entity } from '../../src/mapping/index.ts';

/**
 * How a created output is stored as a HubSpot property: the type translator over the one output catalog
 * (src/mapping/output-specs.ts). Property types and field types as documented for the Properties API:
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 */
export interface PropertySpec {
  readonly label: string;
  readonly description: string;
  readonly type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
  readonly fieldType: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'booleancheckbox';
  readonly options?: ReadonlyArray<{ readonly label: string; readonly value: string }>;
  /** Only the expansion key: the deal upsert key must be unique (`hasUniqueValue`, immutable once set). */
  readonly unique?: boolean;
}

const TYPES: Readonly<Record<CreatedShape, Pick<PropertySpec, 'type' | 'fieldType'>>> = {
  score: { type: 'number', fieldType: 'number' },
  probability: { type: 'number', fieldType: 'number' },
  money: { type: 'number', fieldType: 'number' },
  'short-text': { type: 'string', fieldType: 'text' },
  'long-text': { type: 'string', fieldType: 'textarea' },
  date: { type: 'date', fieldType: 'date' },
  enum: { type: 'enumeration', fieldType: 'select' },
  key: { type: 'string', fieldType: 'text' },
};

/** The property the worker creates for an output, or undefined for outputs that go to standard properties. */
export function propertySpec(entity: Entity, from: string): PropertySpec | undefined {
  const spec = createdOutput(entity, from);
  if (spec === undefined) return undefined;
  const { label, description, shape } = spec.created;
  const options = shape === 'enum' ? (spec.values ?? []).map((value) => ({ label: value, value })) : undefined;
  return {
    label,
    description,
    ...TYPES[shape],
    ...(options ? { options } : {}),
    ...(spec.key ? { unique: true } : {}),
  };
}

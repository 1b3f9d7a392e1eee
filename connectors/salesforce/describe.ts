import type { SalesforceClient } from './client.ts';

/** The parts of a describe field the connector uses (https://developer.salesforce.com/docs/platform/api-rest/guide/dome-sobject-describe). */
export interface FieldInfo {
  readonly name: string;
  readonly type: string;
  readonly length: number;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly externalId: boolean;
  readonly unique: boolean;
  readonly picklistValues: readonly string[];
}

/** Fields by API name, lower-cased: Salesforce names are case-insensitive. */
export type FieldIndex = ReadonlyMap<string, FieldInfo>;

interface RawField {
  readonly name: string;
  readonly type: string;
  readonly length?: number;
  readonly createable?: boolean;
  readonly updateable?: boolean;
  readonly externalId?: boolean;
  readonly unique?: boolean;
  readonly picklistValues?: ReadonlyArray<{ readonly value: string; readonly active?: boolean }>;
}

/** One describe call per object per run; the result is the run's snapshot of that object's schema. */
export async function describeFields(client: SalesforceClient, object: string): Promise<Map<string, FieldInfo>> {
  const result = await client.call(`${object.toLowerCase()}.describe`, (conn) =>
    conn.request<{ fields: RawField[] }>(`/sobjects/${object}/describe`),
  );
  return new Map(
    result.fields.map((f) => [
      f.name.toLowerCase(),
      {
        name: f.name,
        type: f.type,
        length: f.length ?? 0,
        createable: f.createable === true,
        updateable: f.updateable === true,
        externalId: f.externalId === true,
        unique: f.unique === true,
        picklistValues: (f.picklistValues ?? []).filter((p) => p.active !== false).map((p) => p.value),
      },
    ]),
  );
}

const NUMERIC = new Set(['double', 'currency', 'percent', 'int', 'long']);

/** A planned string value as the REST API takes it for the field's type: numbers as JSON numbers. */
export function toApiValue(field: FieldInfo | undefined, value: string | null): unknown {
  if (value === null || value === '') return null;
  if (field && NUMERIC.has(field.type)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (field?.type === 'boolean') return value === 'true';
  return value;
}

/** A value read from the REST API as the string the planner compares: 66 and 66.0 both read "66". */
export function fromApiValue(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  return null;
}

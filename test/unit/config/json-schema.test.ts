import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../../src/config/json-schema.ts';

interface Node {
  readonly $schema?: string;
  readonly $id?: string;
  readonly title?: string;
  readonly type?: string;
  readonly required?: readonly string[];
  readonly additionalProperties?: unknown;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, Node>>;
  readonly oneOf?: readonly Node[];
}

describe('configJsonSchema', () => {
  const schema = configJsonSchema() as Node;

  it('identifies itself for editors', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/config/);
    expect(schema.title).toBe('expansion-sync config');
  });

  it('requires only what has no default, and rejects unknown keys', () => {
    expect(schema.required).toEqual(['name', 'crm', 'usage']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties?.['$schema']).toBeDefined();
  });

  it('asks for the token as an environment variable reference, with a description', () => {
    const token = schema.properties?.['crm']?.properties?.['hubspot']?.properties?.['token'];
    expect(token?.type).toBe('object');
    expect(token?.required).toEqual(['env']);
    expect(token?.description).toMatch(/environment variable/);
  });

  it('offers the usage source with joinOn and no stray keys', () => {
    const file = schema.properties?.['usage']?.oneOf?.[0];
    expect(Object.keys(file?.properties ?? {})).toEqual(['source', 'path', 'format', 'joinOn']);
    expect(file?.additionalProperties).toBe(false);
  });
});

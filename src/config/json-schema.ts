import { z } from 'zod';
import { ConfigSchema } from './schema.ts';

export const CONFIG_SCHEMA_ID = 'urn:expansion-sync:config:v1';

/**
 * The config file's JSON Schema, generated from the zod schema so the two cannot drift. The input side
 * is emitted: keys with defaults are optional, which is what a person writing the file needs to see.
 * `expansion-sync config schema > config.schema.json`, then `"$schema": "./config.schema.json"`.
 */
export function configJsonSchema(): object {
  const { $schema, ...rest } = z.toJSONSchema(ConfigSchema, { io: 'input' });
  return { $schema, $id: CONFIG_SCHEMA_ID, title: 'expansion-sync config', ...rest };
}

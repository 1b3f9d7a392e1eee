import { configJsonSchema } from '../../config/json-schema.ts';
import { EXIT } from '../exit-codes.ts';

export function configSchemaCommand(): number {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}

import { z } from 'zod';

/**
 * A secret is never written in the config file: it names the environment variable that holds it.
 * The loader resolves it at start-up and it is kept out of logs, the state store and error messages.
 */
export const SecretRefSchema = z
  .object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as HUBSPOT_TOKEN') })
  .strict()
  .describe('A secret, given as the name of the environment variable that holds it: {"env": "HUBSPOT_TOKEN"}.');

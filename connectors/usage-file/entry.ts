import { z } from 'zod';
import { JoinOnSchema } from '../../src/model/usage.ts';
import { defineUsageSource, type UsageSourceEntry } from '../usage-entry.ts';
import { readUsageFile } from './read.ts';

// joinOn lives in each source's strict object rather than in an intersection: zod does not report
// unknown keys through `.and()`, so a misspelt key next to `source` would have been ignored silently.
export const UsageFileConfigSchema = z
  .object({
    source: z.literal('file').describe('Read usage from a file.'),
    path: z.string().min(1).describe('CSV or NDJSON file of daily per-account usage, relative to the config file.'),
    format: z
      .enum(['csv', 'ndjson'])
      .optional()
      .describe('File format; inferred from the extension (.csv, .ndjson, .jsonl) when unset.'),
    joinOn: JoinOnSchema,
  })
  .strict();

/** A daily per-account usage file (CSV or NDJSON) next to the config: the default, and the demo's source. */
export const FILE_USAGE: UsageSourceEntry = defineUsageSource({
  id: 'file',
  label: 'usage file',
  configSchema: UsageFileConfigSchema,
  secrets: [],
  create: ({ config, resolvePath }) => {
    const path = resolvePath(config.path);
    const options = { path, ...(config.format ? { format: config.format } : {}) };
    return { label: path, read: () => readUsageFile(options) };
  },
});

import { z } from 'zod';
import { ScoringConfigSchema } from '../scoring/config.ts';

/**
 * A secret is never written in the config file: it names the environment variable that holds it.
 * The loader resolves it at start-up and it is kept out of logs, the state store and error messages.
 */
export const SecretRefSchema = z
  .object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as HUBSPOT_TOKEN') })
  .strict()
  .describe('A secret, given as the name of the environment variable that holds it: {"env": "HUBSPOT_TOKEN"}.');

const RateLimitSchema = z
  .object({
    perTenSeconds: z.number().int().positive().default(190).describe('Requests per rolling 10 seconds for the portal (HubSpot Professional/Enterprise private apps: 190; Free/Starter: 100).'),
    searchPerSecond: z.number().int().positive().default(5).describe('CRM search requests per second (HubSpot documents 5).'),
    maxConcurrent: z.number().int().positive().default(5).describe('Requests in flight at once.'),
  })
  .strict()
  .prefault({});

export const HubspotConfigSchema = z
  .object({
    token: SecretRefSchema.describe('Private-app access token, by environment variable.'),
    basePath: z.url().optional().describe('API base URL. Leave unset for https://api.hubapi.com; the demo points it at the local emulator.'),
    rateLimit: RateLimitSchema.describe('Client-side rate limits, shared by every read and write of this portal.'),
    propertyGroup: z.string().default('expansion_sync').describe('Property group that holds the properties the worker creates.'),
    pipeline: z.string().default('default').describe('Deal pipeline id for new expansion deals.'),
    stage: z.string().default('appointmentscheduled').describe('Deal stage id for new expansion deals.'),
    mappings: z
      .object({
        companies: z.string().default('mappings/hubspot.companies.yaml').describe('Company read/write mapping file.'),
        deals: z.string().default('mappings/hubspot.deals.yaml').describe('Deal read/write mapping file.'),
      })
      .strict()
      .prefault({})
      .describe('Mapping files, relative to the config file.'),
  })
  .strict();
export type HubspotConfig = z.infer<typeof HubspotConfigSchema>;

const JoinOnSchema = z
  .enum(['domain', 'id', 'usageKey'])
  .default('domain')
  .describe('Account field the usage file\'s account_key matches: the company domain, the CRM record id, or a custom field mapped to usageKey.');

// joinOn lives in each source's strict object rather than in an intersection: zod does not report
// unknown keys through `.and()`, so a misspelt key next to `source` would have been ignored silently.
export const UsageFileConfigSchema = z
  .object({
    source: z.literal('file').describe('Read usage from a file.'),
    path: z.string().min(1).describe('CSV or NDJSON file of daily per-account usage, relative to the config file.'),
    format: z.enum(['csv', 'ndjson']).optional().describe('File format; inferred from the extension (.csv, .ndjson, .jsonl) when unset.'),
    joinOn: JoinOnSchema,
  })
  .strict();

export const UsageConfigSchema = z
  .discriminatedUnion('source', [UsageFileConfigSchema])
  .describe('Where product usage comes from and how it joins to CRM accounts.');

export const WriteBackConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Write to the CRM. false computes and stores everything but writes nothing (shadow mode).'),
    notes: z.boolean().default(true).describe('Create talking-point notes on expansion opportunities.'),
    maxRetries: z.number().int().nonnegative().default(5).describe('Runs a failed record write is retried on before it is only reported.'),
  })
  .strict()
  .prefault({});

export const ConfigSchema = z
  .object({
    $schema: z.string().optional().describe('Path to the JSON Schema, for editors.'),
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _').describe('Name of this sync; runs, checkpoints and locks are kept per name.'),
    dataDir: z.string().default('.data').describe('Directory for the state store, relative to the config file.'),
    crm: z
      .object({ hubspot: HubspotConfigSchema })
      .strict()
      .describe('The CRM to sync with.'),
    usage: UsageConfigSchema,
    scoring: ScoringConfigSchema.prefault({}).describe('Signal thresholds, health gates, price book and timing.'),
    writeBack: WriteBackConfigSchema.describe('What the worker writes back, and how failures are retried.'),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

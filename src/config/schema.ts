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

/** Both flows suit a worker with no person at hand; neither returns a refresh token. */
const SalesforceAuthSchema = z
  .discriminatedUnion('flow', [
    z
      .object({
        flow: z.literal('client_credentials').describe('OAuth client credentials: the app runs as its configured integration user. Needs the My Domain login URL.'),
        clientId: z.string().min(1).describe('Consumer key of the connected app or external client app.'),
        clientSecret: SecretRefSchema.describe('Consumer secret, by environment variable.'),
      })
      .strict(),
    z
      .object({
        flow: z.literal('jwt').describe('OAuth JWT bearer: an assertion signed with the private key whose certificate is uploaded to the app.'),
        clientId: z.string().min(1).describe('Consumer key of the connected app or external client app (the JWT issuer).'),
        username: z.string().min(3).describe('The pre-authorised Salesforce username the worker runs as (the JWT subject).'),
        privateKey: SecretRefSchema.describe('PEM private key, by environment variable.'),
        audience: z.url().optional().describe('JWT audience: https://login.salesforce.com (production, the default is loginUrl), https://test.salesforce.com (sandboxes) or an Experience Cloud URL.'),
      })
      .strict(),
  ])
  .describe('How the worker signs in to Salesforce.');

export const SalesforceConfigSchema = z
  .object({
    loginUrl: z.url().describe("The org's My Domain URL, such as https://acme.my.salesforce.com; the emulator's URL to use it."),
    auth: SalesforceAuthSchema,
    apiVersion: z
      .string()
      .regex(/^\d{2,3}\.0$/, 'a REST API version such as 62.0')
      .refine((v) => Number(v) >= 62, 'the worker needs API version 62.0 or later')
      .default('62.0')
      .describe('REST API version, set explicitly (62.0 or later).'),
    bulkThreshold: z.number().int().min(200).default(2_000).describe('Write through one Bulk API 2.0 job instead of sObject Collections (200 records a call) when a run has more than this many writes of a kind.'),
    maxConcurrent: z.number().int().positive().max(25).default(5).describe('Requests in flight at once for this org; Salesforce allows 25 long-running ones per org.'),
    maxDailyShare: z.number().gt(0).lte(1).default(0.8).describe("Stop the run cleanly before the org's daily API requests pass this share of its allocation, leaving the rest to other integrations."),
    overlapSeconds: z.number().int().nonnegative().default(300).describe('Incremental reads re-read Accounts changed this many seconds before the last cursor, for changes committed out of timestamp order.'),
    stage: z.string().default('Prospecting').describe('StageName of new expansion opportunities.'),
    opportunityType: z.string().default('Existing Customer - Upgrade').describe('Type of new expansion opportunities.'),
    recordTypeId: z.string().regex(/^012[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/, 'an Opportunity record type id (starts with 012)').optional().describe('Record type of new expansion opportunities, when the org uses Opportunity record types.'),
    notes: z.enum(['content-note', 'task']).default('content-note').describe('How talking points are written: content-note (an Enhanced Note linked to the opportunity and the account) or task (a completed Task on the opportunity).'),
    mappings: z
      .object({
        accounts: z.string().default('mappings/salesforce.accounts.yaml').describe('Account read/write mapping file.'),
        opportunities: z.string().default('mappings/salesforce.opportunities.yaml').describe('Opportunity read/write mapping file.'),
      })
      .strict()
      .prefault({})
      .describe('Mapping files, relative to the config file.'),
  })
  .strict();
export type SalesforceConfig = z.infer<typeof SalesforceConfigSchema>;

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

/** When the worker runs this sync: a cron expression in a time zone, or a fixed interval. */
export const ScheduleSchema = z
  .union([
    z
      .object({
        cron: z.string().min(1).describe('Five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 6 * * 1-5".'),
        timezone: z.string().min(1).default('UTC').describe('IANA time zone the cron expression is read in, e.g. "Europe/Berlin"; DST is followed.'),
      })
      .strict(),
    z.object({ everyMinutes: z.number().int().positive().max(10_080).describe('Run every this many minutes, counted from the end of the previous run.') }).strict(),
  ])
  .describe('When `worker` runs this sync.');

export const WorkerConfigSchema = z
  .object({
    host: z.string().default('127.0.0.1').describe('Address the worker\'s HTTP endpoints (/healthz, /metrics, POST /run) listen on.'),
    port: z.number().int().min(0).max(65_535).default(9464).describe('Port of the HTTP endpoints; 0 picks a free one.'),
    shutdownGraceSeconds: z.number().int().positive().default(30).describe('On SIGTERM/SIGINT the in-flight batch finishes and the run checkpoints within this many seconds.'),
    lockLeaseSeconds: z.number().int().positive().default(120).describe('A run holds the sync\'s lock for this long, renewed while it runs; a crashed holder\'s lock expires after it.'),
  })
  .strict()
  .prefault({})
  .describe('The long-running worker.');

export const AlertsConfigSchema = z
  .object({
    slack: z
      .object({
        webhookUrl: SecretRefSchema.describe('Slack incoming-webhook URL for the channel, by environment variable.'),
        ownerWebhooks: z.record(z.string(), SecretRefSchema).default({}).describe('CRM owner id -> that owner\'s own incoming-webhook URL (by environment variable): their opportunity alerts go there instead of the channel.'),
      })
      .strict()
      .optional(),
    webhook: z.object({ url: SecretRefSchema.describe('Generic webhook URL that receives every alert as JSON, by environment variable.') }).strict().optional(),
    opportunityMinTier: z.enum(['P1', 'P2', 'P3']).default('P1').describe('New opportunities of this priority tier or better are alerted.'),
    failedRecordRate: z.number().min(0).max(1).default(0.05).describe('Alert when more than this share of a run\'s writes fail.'),
    weeklyDigest: z
      .object({ cron: z.string().default('0 8 * * 1'), timezone: z.string().default('UTC') })
      .strict()
      .optional()
      .describe('When the worker sends the weekly pipeline digest (default Monday 08:00).'),
  })
  .strict()
  .prefault({})
  .describe('Where alerts go: new high-priority opportunities, the weekly digest, failed runs and records, schema drift.');

export const ConfigSchema = z
  .object({
    $schema: z.string().optional().describe('Path to the JSON Schema, for editors.'),
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _').describe('Name of this sync; runs, checkpoints and locks are kept per name.'),
    dataDir: z.string().default('.data').describe('Directory for the state store, relative to the config file.'),
    crm: z
      .object({ hubspot: HubspotConfigSchema.optional(), salesforce: SalesforceConfigSchema.optional() })
      .strict()
      .refine((crm) => (crm.hubspot === undefined) !== (crm.salesforce === undefined), 'configure exactly one CRM: "hubspot" or "salesforce"')
      .describe('The CRM to sync with: one of hubspot or salesforce.'),
    usage: UsageConfigSchema,
    scoring: ScoringConfigSchema.prefault({}).describe('Signal thresholds, health gates, price book and timing.'),
    writeBack: WriteBackConfigSchema.describe('What the worker writes back, and how failures are retried.'),
    schedule: ScheduleSchema.optional(),
    worker: WorkerConfigSchema,
    alerts: AlertsConfigSchema,
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

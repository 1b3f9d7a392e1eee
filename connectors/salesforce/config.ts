import { z } from 'zod';
import { SecretRefSchema } from '../../src/config/secret-ref.ts';

/** Both flows suit a worker with no person at hand; neither returns a refresh token. */
const SalesforceAuthSchema = z
  .discriminatedUnion('flow', [
    z
      .object({
        flow: z
          .literal('client_credentials')
          .describe(
            'OAuth client credentials: the app runs as its configured integration user. Needs the My Domain login URL.',
          ),
        clientId: z.string().min(1).describe('Consumer key of the connected app or external client app.'),
        clientSecret: SecretRefSchema.describe('Consumer secret, by environment variable.'),
      })
      .strict(),
    z
      .object({
        flow: z
          .literal('jwt')
          .describe(
            'OAuth JWT bearer: an assertion signed with the private key whose certificate is uploaded to the app.',
          ),
        clientId: z
          .string()
          .min(1)
          .describe('Consumer key of the connected app or external client app (the JWT issuer).'),
        username: z
          .string()
          .min(3)
          .describe('The pre-authorised Salesforce username the worker runs as (the JWT subject).'),
        privateKey: SecretRefSchema.describe('PEM private key, by environment variable.'),
        audience: z
          .url()
          .optional()
          .describe(
            'JWT audience: https://login.salesforce.com (production, the default is loginUrl), https://test.salesforce.com (sandboxes) or an Experience Cloud URL.',
          ),
      })
      .strict(),
  ])
  .describe('How the worker signs in to Salesforce.');

export const SalesforceConfigSchema = z
  .object({
    loginUrl: z
      .url()
      .describe("The org's My Domain URL, such as https://acme.my.salesforce.com; the emulator's URL to use it."),
    auth: SalesforceAuthSchema,
    apiVersion: z
      .string()
      .regex(/^\d{2,3}\.0$/, 'a REST API version such as 62.0')
      .refine((v) => Number(v) >= 62, 'the worker needs API version 62.0 or later')
      .default('62.0')
      .describe('REST API version, set explicitly (62.0 or later).'),
    bulkThreshold: z
      .number()
      .int()
      .min(200)
      .default(2_000)
      .describe(
        'Write through one Bulk API 2.0 job instead of sObject Collections (200 records a call) when a run has more than this many writes of a kind.',
      ),
    maxConcurrent: z
      .number()
      .int()
      .positive()
      .max(25)
      .default(5)
      .describe('Requests in flight at once for this org; Salesforce allows 25 long-running ones per org.'),
    maxDailyShare: z
      .number()
      .gt(0)
      .lte(1)
      .default(0.8)
      .describe(
        "Stop the run cleanly before the org's daily API requests pass this share of its allocation, leaving the rest to other integrations.",
      ),
    overlapSeconds: z
      .number()
      .int()
      .nonnegative()
      .default(300)
      .describe(
        'Incremental reads re-read Accounts changed this many seconds before the last cursor, for changes committed out of timestamp order.',
      ),
    stage: z.string().default('Prospecting').describe('StageName of new expansion opportunities.'),
    opportunityType: z.string().default('Existing Customer - Upgrade').describe('Type of new expansion opportunities.'),
    recordTypeId: z
      .string()
      .regex(/^012[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/, 'an Opportunity record type id (starts with 012)')
      .optional()
      .describe('Record type of new expansion opportunities, when the org uses Opportunity record types.'),
    notes: z
      .enum(['content-note', 'task'])
      .default('content-note')
      .describe(
        'How talking points are written: content-note (an Enhanced Note linked to the opportunity and the account) or task (a completed Task on the opportunity).',
      ),
    mappings: z
      .object({
        accounts: z.string().default('mappings/salesforce.accounts.yaml').describe('Account read/write mapping file.'),
        opportunities: z
          .string()
          .default('mappings/salesforce.opportunities.yaml')
          .describe('Opportunity read/write mapping file.'),
      })
      .strict()
      .prefault({})
      .describe('Mapping files, relative to the config file.'),
  })
  .strict();
export type SalesforceConfig = z.infer<typeof SalesforceConfigSchema>;

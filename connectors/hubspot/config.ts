import { z } from 'zod';
import { SecretRefSchema } from '../../src/config/secret-ref.ts';

const RateLimitSchema = z
  .object({
    perTenSeconds: z
      .number()
      .int()
      .positive()
      .default(190)
      .describe(
        'Requests per rolling 10 seconds for the portal (HubSpot Professional/Enterprise private apps: 190; Free/Starter: 100).',
      ),
    searchPerSecond: z
      .number()
      .int()
      .positive()
      .default(5)
      .describe('CRM search requests per second (HubSpot documents 5).'),
    maxConcurrent: z.number().int().positive().default(5).describe('Requests in flight at once.'),
  })
  .strict()
  .prefault({});

export const HubspotConfigSchema = z
  .object({
    token: SecretRefSchema.describe('Private-app access token, by environment variable.'),
    basePath: z
      .url()
      .optional()
      .describe('API base URL. Leave unset for https://api.hubapi.com; the demo points it at the local emulator.'),
    rateLimit: RateLimitSchema.describe('Client-side rate limits, shared by every read and write of this portal.'),
    propertyGroup: z
      .string()
      .default('expansion_sync')
      .describe('Property group that holds the properties the worker creates.'),
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

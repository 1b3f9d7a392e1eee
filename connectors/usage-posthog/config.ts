import { z } from 'zod';
import { SecretRefSchema } from '../../src/config/secret-ref.ts';
import { JoinOnSchema } from '../../src/model/usage.ts';

/**
 * Rows a query returns when it names no LIMIT, and the most it may ask for before PostHog suggests paging:
 * "By default, API queries return up to 100 rows. If you specify your own LIMIT value, you can return up
 * to 50k rows per query" (https://posthog.com/docs/api/queries).
 */
export const POSTHOG_MAX_PAGE_ROWS = 50_000;
export const POSTHOG_DEFAULT_PAGE_ROWS = 10_000;

/** An event name as HogQL quotes it: printable text without control characters, at most 200 characters. */
const EventNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, 'an event name without control characters');

export const PosthogConfigSchema = z
  .object({
    source: z.literal('posthog').describe('Read usage from PostHog through its query API (HogQL).'),
    host: z
      .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://us.posthog.com' })
      .refine((url) => {
        const parsed = URL.parse(url);
        return parsed !== null && parsed.username === '' && parsed.password === '';
      }, 'the URL must not carry credentials; the API key is read from usage.apiKey')
      .refine((url) => URL.parse(url)?.search === '', 'the URL must have no query string')
      .describe('PostHog app host: https://us.posthog.com, https://eu.posthog.com, or a self-hosted URL.'),
    projectId: z
      .union([z.string().regex(/^\d+$/, 'digits only'), z.number().int().positive()])
      .transform(String)
      .describe('The PostHog project id (Project settings > Project ID).'),
    apiKey: SecretRefSchema.describe('Personal API key with the Query Read permission, by environment variable.'),
    groupIndex: z
      .number()
      .int()
      .min(0)
      .max(4)
      .describe('The group type index of companies: N of $group_N on the events table (Settings > Groups).'),
    events: z
      .array(EventNameSchema)
      .min(1)
      .max(50)
      .refine((list) => new Set(list).size === list.length, 'event names must be unique')
      .optional()
      .describe('Feature event names counted per account and day; unset: every event, counted as "events".'),
    activeUsersFrom: z
      .enum(['person', 'distinct_id'])
      .default('person')
      .describe('What counts as an active user: distinct persons (person_id) or distinct ids (distinct_id).'),
    pageSize: z
      .number()
      .int()
      .min(100)
      .max(POSTHOG_MAX_PAGE_ROWS)
      .default(POSTHOG_DEFAULT_PAGE_ROWS)
      .describe('Rows per query page (LIMIT), at most 50,000.'),
    joinOn: JoinOnSchema,
  })
  .strict();
export type PosthogConfig = z.output<typeof PosthogConfigSchema>;

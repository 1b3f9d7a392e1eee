import { z } from 'zod';
import { SecretRefSchema } from '../../src/config/secret-ref.ts';
import { JoinOnSchema } from '../../src/model/usage.ts';
import { defineUsageSource, type UsageSourceEntry } from '../usage-entry.ts';

export const UsagePostgresConfigSchema = z
  .object({
    source: z.literal('postgres').describe('Read usage from PostgreSQL (a warehouse, or Segment warehouse tables).'),
    url: SecretRefSchema.describe(
      'The connection URL (postgres://user:password@host:5432/database?sslmode=require), from an environment variable: {"env": "DATABASE_URL"}.',
    ),
    query: z
      .string()
      .min(1)
      .describe(
        'SQL file relative to the config file, returning day, account_key, feature, events, users ordered by account_key, day; it uses :from, :to and :features (see queries/postgres/).',
      ),
    features: z
      .array(z.string().min(1))
      .min(1)
      .describe('Event names the query counts, bound as the text[] :features.'),
    seatsFeature: z
      .string()
      .min(1)
      .optional()
      .describe("A feature name whose row's users column is the seats in use that day (not counted as an event)."),
    batchRows: z
      .number()
      .int()
      .min(100)
      .max(100_000)
      .default(5_000)
      .describe('Rows fetched from the server-side cursor per round trip.'),
    statementTimeoutSeconds: z
      .number()
      .int()
      .positive()
      .default(900)
      .describe('The query is cancelled after this many seconds.'),
    joinOn: JoinOnSchema,
  })
  .strict();

/** PostgreSQL: one query per run for the run's window, streamed through a server-side cursor. */
export const POSTGRES_USAGE: UsageSourceEntry = defineUsageSource({
  id: 'postgres',
  label: 'PostgreSQL',
  configSchema: UsagePostgresConfigSchema,
  secrets: ['usage.url'],
  create: ({ config, resolvePath, secret }) => {
    const label = `postgres:${config.query}`;
    return {
      label,
      // One row per account and day: the query groups by them and the reader folds and orders them.
      uniqueDays: true,
      read: async function* (window) {
        // Loaded on the first read: a config that names another source never loads pg here.
        const [{ readPostgresUsage }, { usageReadWindow }] = await Promise.all([
          import('./read.ts'),
          import('../../src/engine/usage-source.ts'),
        ]);
        yield* readPostgresUsage({
          label,
          // Read when the pull starts, so a source that is never read never asks for its secret.
          url: secret('usage.url'),
          queryPath: resolvePath(config.query),
          queryName: config.query,
          features: config.features,
          seatsFeature: config.seatsFeature,
          batchRows: config.batchRows,
          statementTimeoutSeconds: config.statementTimeoutSeconds,
          // A caller without a window (a check, a preview) reads the last USAGE_HISTORY_DAYS up to today.
          window: window ?? usageReadWindow(undefined, new Date().toISOString().slice(0, 10)),
        });
      },
    };
  },
});

import { z } from 'zod';
import { checkCrmConfig, crmConfigShape, crmIds } from '../../connectors/crm-registry.ts';
import { UsageConfigSchema } from '../../connectors/usage-registry.ts';
import { ScoringConfigSchema } from '../scoring/config.ts';

import { SecretRefSchema } from './secret-ref.ts';

export { SecretRefSchema };

// The usage block is written once, by the usage-source registry: each source's schema lives in its folder.
export { UsageConfigSchema };

export const WriteBackConfigSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('Write to the CRM. false computes and stores everything but writes nothing (shadow mode).'),
    notes: z.boolean().default(true).describe('Create talking-point notes on expansion opportunities.'),
    maxRetries: z
      .number()
      .int()
      .nonnegative()
      .default(5)
      .describe('Runs a failed record write is retried on before it is only reported.'),
  })
  .strict()
  .prefault({});

/** When the worker runs this sync: a cron expression in a time zone, or a fixed interval. */
export const ScheduleSchema = z
  .union([
    z
      .object({
        cron: z
          .string()
          .min(1)
          .describe('Five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 6 * * 1-5".'),
        timezone: z
          .string()
          .min(1)
          .default('UTC')
          .describe('IANA time zone the cron expression is read in, e.g. "Europe/Berlin"; DST is followed.'),
      })
      .strict(),
    z
      .object({
        everyMinutes: z
          .number()
          .int()
          .positive()
          .max(10_080)
          .describe('Run every this many minutes, counted from the end of the previous run.'),
      })
      .strict(),
  ])
  .describe('When `worker` runs this sync.');

export const WorkerConfigSchema = z
  .object({
    host: z
      .string()
      .default('127.0.0.1')
      .describe("Address the worker's HTTP endpoints (/healthz, /metrics, POST /run) listen on."),
    port: z.number().int().min(0).max(65_535).default(9464).describe('Port of the HTTP endpoints; 0 picks a free one.'),
    shutdownGraceSeconds: z
      .number()
      .int()
      .positive()
      .default(30)
      .describe('On SIGTERM/SIGINT the in-flight batch finishes and the run checkpoints within this many seconds.'),
    lockLeaseSeconds: z
      .number()
      .int()
      .positive()
      .default(120)
      .describe(
        "A run holds the sync's lock for this long, renewed while it runs; a crashed holder's lock expires after it.",
      ),
  })
  .strict()
  .prefault({})
  .describe('The long-running worker.');

export const AlertsConfigSchema = z
  .object({
    slack: z
      .object({
        webhookUrl: SecretRefSchema.describe('Slack incoming-webhook URL for the channel, by environment variable.'),
        ownerWebhooks: z
          .record(z.string(), SecretRefSchema)
          .default({})
          .describe(
            "CRM owner id -> that owner's own incoming-webhook URL (by environment variable): their opportunity alerts go there instead of the channel.",
          ),
      })
      .strict()
      .optional(),
    webhook: z
      .object({
        url: SecretRefSchema.describe(
          'Generic webhook URL that receives every alert as JSON, by environment variable.',
        ),
      })
      .strict()
      .optional(),
    opportunityMinTier: z
      .enum(['P1', 'P2', 'P3'])
      .default('P1')
      .describe('New opportunities of this priority tier or better are alerted.'),
    failedRecordRate: z
      .number()
      .min(0)
      .max(1)
      .default(0.05)
      .describe("Alert when more than this share of a run's writes fail."),
    maxOpportunityAlerts: z
      .number()
      .int()
      .min(1)
      .default(5)
      .describe(
        'When a run has more new opportunities to alert than this, one summary alert goes out instead (count, potential ARR, the top few); every one is still marked as alerted.',
      ),
    weeklyDigest: z
      .object({ cron: z.string().default('0 8 * * 1'), timezone: z.string().default('UTC') })
      .strict()
      .optional()
      .describe('When the worker sends the weekly pipeline digest (default Monday 08:00).'),
  })
  .strict()
  .prefault({})
  .describe(
    'Where alerts go: new high-priority opportunities, the weekly digest, failed runs and records, schema drift.',
  );

export const LearningConfigSchema = z
  .object({
    mode: z
      .enum(['off', 'report', 'apply'])
      .default('report')
      .describe(
        'off: outcomes are read and reported, nothing is fitted. report: recalibration is fitted and backtested and shown by `outcomes --explain`, the configured weights stay in force. apply: a recalibration that passes the data gate and improves the backtest replaces the weights in force.',
      ),
    minClosed: z
      .number()
      .int()
      .min(1)
      .default(50)
      .describe('Data gate: closed outcomes (won plus lost) needed before any recalibration is fitted.'),
    minEach: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('Data gate: at least this many won and this many lost outcomes.'),
    fullReplaceEach: z
      .number()
      .int()
      .min(1)
      .default(200)
      .describe(
        'Learned weights may fully replace the configured ones only past this many won and this many lost; below it they stay shrunk toward the configured weights.',
      ),
    holdoutShare: z
      .number()
      .min(0)
      .max(0.5)
      .default(0.05)
      .describe(
        'Share of accounts kept as a never-pitched holdout, chosen by a hash of the account id: no deal or note is created for them, so the uplift of pitching can be measured.',
      ),
    explorationShare: z
      .number()
      .min(0)
      .max(0.5)
      .default(0)
      .describe(
        'Share of otherwise-queued opportunities pitched anyway, chosen by hash, with the propensity logged so estimates can be reweighted.',
      ),
    influenceDays: z
      .number()
      .int()
      .min(1)
      .default(90)
      .describe(
        "An AE's deal created within this many days after the worker pitched that motion counts as influenced.",
      ),
  })
  .strict()
  .prefault({})
  .describe('The outcome loop: how outcomes are learned from, the holdout, and recalibration gates.');

export const ConfigSchema = z
  .object({
    $schema: z.string().optional().describe('Path to the JSON Schema, for editors.'),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _')
      .describe('Name of this sync; runs, checkpoints and locks are kept per name.'),
    dataDir: z.string().default('.data').describe('Directory for the state store, relative to the config file.'),
    // The registry's CRMs, typed; a key no registered CRM owns is reported by checkCrmConfig.
    crm: z
      .object(crmConfigShape())
      .catchall(z.unknown())
      .superRefine(checkCrmConfig)
      .describe(`The CRM to sync with: one of ${crmIds().join(' or ')}.`),
    usage: UsageConfigSchema,
    scoring: ScoringConfigSchema.prefault({}).describe('Signal thresholds, health gates, price book and timing.'),
    writeBack: WriteBackConfigSchema.describe('What the worker writes back, and how failures are retried.'),
    schedule: ScheduleSchema.optional(),
    worker: WorkerConfigSchema,
    alerts: AlertsConfigSchema,
    learning: LearningConfigSchema,
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

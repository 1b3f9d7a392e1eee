import { defineUsageSource, type UsageSourceEntry } from '../usage-entry.ts';
import { AMPLITUDE_DEFAULT_HOST, UsageAmplitudeConfigSchema } from './config.ts';

export { UsageAmplitudeConfigSchema } from './config.ts';

/**
 * Raw events from Amplitude's Export API (https://amplitude.com/docs/apis/analytics/export), aggregated per
 * account (the configured group type) and day: distinct users and counts per event type.
 */
export const AMPLITUDE_USAGE: UsageSourceEntry = defineUsageSource({
  id: 'amplitude',
  label: 'Amplitude',
  configSchema: UsageAmplitudeConfigSchema,
  secrets: ['usage.apiKey', 'usage.secretKey'],
  create: ({ config, secret }) => {
    const host = (config.host ?? AMPLITUDE_DEFAULT_HOST).replace(/\/+$/, '');
    const apiKey = secret('usage.apiKey');
    const secretKey = secret('usage.secretKey');
    return {
      label: `Amplitude export (${host}, group type ${config.groupType})`,
      // The reader aggregates each account-day itself and yields it once.
      uniqueDays: true,
      read: async function* (window) {
        // Loaded on the first read: a config that names another source never loads axios, yauzl or the logger.
        const [{ createExportClient }, { readAmplitude }, { silentLogger }] = await Promise.all([
          import('./client.ts'),
          import('./read.ts'),
          import('../../src/logger.ts'),
        ]);
        const client = createExportClient({ host, apiKey, secretKey, log: silentLogger() });
        yield* readAmplitude({ client, groupType: config.groupType, window });
      },
    };
  },
});

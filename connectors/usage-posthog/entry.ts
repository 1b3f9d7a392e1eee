import { defineUsageSource, type UsageSourceEntry } from '../usage-entry.ts';
import { PosthogConfigSchema } from './config.ts';

export { PosthogConfigSchema } from './config.ts';

/** PostHog product analytics, read through its query API (HogQL) with a personal API key. */
export const POSTHOG_USAGE: UsageSourceEntry = defineUsageSource({
  id: 'posthog',
  label: 'PostHog',
  configSchema: PosthogConfigSchema,
  secrets: ['usage.apiKey'],
  create: ({ config, secret }) => {
    const apiKey = secret('usage.apiKey');
    return {
      label: `PostHog project ${config.projectId}`,
      // The HogQL query groups by account and day, and keyset paging never repeats a row.
      uniqueDays: true,
      read: async function* (window) {
        // Loaded on the first read: a config that names another source never loads axios or Bottleneck here.
        const { readPosthogUsage } = await import('./read.ts');
        yield* readPosthogUsage({ config, apiKey }, window);
      },
    };
  },
});

import { z } from 'zod';
import { SecretRefSchema } from '../../src/config/secret-ref.ts';
import { JoinOnSchema } from '../../src/model/usage.ts';

/** The Export API's host for projects in the default region; EU projects use https://analytics.eu.amplitude.com. */
export const AMPLITUDE_DEFAULT_HOST = 'https://amplitude.com';

const HostSchema = z
  .string()
  .refine((text) => {
    const url = URL.parse(text);
    return url !== null && (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '';
  }, 'must be an http(s) URL such as https://amplitude.com or https://analytics.eu.amplitude.com')
  .describe(
    'Export API host: https://amplitude.com (default) or https://analytics.eu.amplitude.com for EU data residency.',
  );

// joinOn lives in the strict object (not an intersection) so that a misspelt key next to it is reported.
export const UsageAmplitudeConfigSchema = z
  .object({
    source: z.literal('amplitude').describe("Read raw events through Amplitude's Export API."),
    host: HostSchema.optional(),
    apiKey: SecretRefSchema.describe('The project API key (Basic-auth user name), as {"env": "AMPLITUDE_API_KEY"}.'),
    secretKey: SecretRefSchema.describe(
      'The project secret key (Basic-auth password), as {"env": "AMPLITUDE_SECRET_KEY"}.',
    ),
    groupType: z
      .string()
      .min(1)
      .describe('The Amplitude group type whose value on each event is the account key, e.g. "company".'),
    joinOn: JoinOnSchema,
  })
  .strict();
export type UsageAmplitudeConfig = z.infer<typeof UsageAmplitudeConfigSchema>;

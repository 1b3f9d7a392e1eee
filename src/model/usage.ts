import { z } from 'zod';

/**
 * One account's product usage on one day, the unit every analytics source is reduced to.
 * `events` holds per-feature event counts (feature name -> count) for the day. A count the source did
 * not collect that day is absent, which is not the same as zero: scoring skips the day for that measure.
 */
export const UsageDaySchema = z
  .object({
    accountKey: z.string().min(1),
    date: z.iso.date(),
    activeUsers: z.number().int().nonnegative().optional(),
    seatsUsed: z.number().int().nonnegative().optional(),
    events: z.record(z.string(), z.number().nonnegative()).default({}),
  })
  .strict();
export type UsageDay = z.infer<typeof UsageDaySchema>;

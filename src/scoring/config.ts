import { z } from 'zod';

/**
 * Every threshold, weight and price the scoring uses, with documented defaults. Lives in the config
 * file under `scoring`; all keys are optional there.
 */
export const ScoringConfigSchema = z
  .object({
    seatUtilization: z
      .object({
        enterAt: z.number().gt(0).lte(2).default(0.8).describe('Utilization (seats used / licensed) at or above which a day counts toward the seat signal.'),
        exitBelow: z.number().gt(0).lte(2).default(0.75).describe('Hysteresis: once active, the signal stays until utilization drops below this.'),
        minDays: z.number().int().positive().default(14).describe('Consecutive days at or above enterAt before the signal fires.'),
      })
      .strict()
      .prefault({})
      .describe('The sustained seat-utilization signal.'),
    decline: z
      .object({
        redBelow: z.number().min(-1).max(0).default(-0.3).describe('Active users over the last 30 days vs the prior 30 at or below this change is a sharp decline: health red, hold.'),
        yellowBelow: z.number().min(-1).max(0).default(-0.1).describe('A decline at or below this (but above redBelow) makes health yellow.'),
      })
      .strict()
      .prefault({})
      .describe('The usage-decline health gate.'),
    pricing: z
      .object({
        currency: z.string().default('USD'),
        seatPriceDefault: z.number().nonnegative().default(600).describe('Annual list price per seat when the plan has no entry in seatPriceByPlan.'),
        seatPriceByPlan: z.record(z.string(), z.number().nonnegative()).default({}).describe('Annual list price per seat, by plan name (lowercase).'),
      })
      .strict()
      .prefault({})
      .describe('The price book used to size opportunities.'),
    sizing: z
      .object({
        headroom: z.number().min(0).max(1).default(0.15).describe('Spare capacity to recommend on top of projected seat need (0.15 = 15%).'),
        horizonDays: z.number().int().positive().default(90).describe('How far ahead the usage trend is projected when sizing a seat add.'),
        minSeats: z.number().int().positive().default(1).describe('Never recommend fewer seats than this.'),
      })
      .strict()
      .prefault({})
      .describe('Seat-add sizing.'),
    renewal: z
      .object({
        evaluationWindowDays: z.number().int().nonnegative().default(60).describe('Inside this many days before renewal the customer is evaluating: no pitch.'),
        conversationStartDays: z.number().int().positive().default(120).describe('Expansion conversations start this many days before renewal at the latest.'),
      })
      .strict()
      .prefault({})
      .describe('Renewal-aware timing.'),
    historyDays: z.number().int().positive().default(120).describe('Days of usage history the scoring reads.'),
  })
  .strict();

export type ScoringConfig = z.infer<typeof ScoringConfigSchema>;
export const defaultScoringConfig = (): ScoringConfig => ScoringConfigSchema.parse({});

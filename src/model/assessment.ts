import { z } from 'zod';
import { MotionSchema } from './account.ts';

/** One number a claim rests on, with where it came from. Narratives may only cite these. */
export const EvidenceSchema = z
  .object({
    metric: z.string(),
    value: z.number(),
    /** `money` is in the configured currency (scoring.pricing.currency); `usd` is read from older stored assessments. */
    unit: z.enum(['percent', 'count', 'seats', 'days', 'weeks', 'money', 'usd', 'ratio', 'users', 'events']),
    /** The period the value covers, e.g. `2026-10-01..2026-11-21` or `last 30 days`. */
    window: z.string(),
    comparison: z.string().optional(),
    source: z.enum(['usage', 'crm', 'config', 'derived']),
  })
  .strict();
export type Evidence = z.infer<typeof EvidenceSchema>;

export const SignalSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['expansion', 'risk']),
    /** 0..1, how strongly the signal fired. */
    strength: z.number().min(0).max(1),
    summary: z.string(),
    evidence: z.array(EvidenceSchema),
  })
  .strict();
export type Signal = z.infer<typeof SignalSchema>;

export const HealthSchema = z.enum(['green', 'yellow', 'red']);
export type Health = z.infer<typeof HealthSchema>;
export const TimingSchema = z.enum(['now', '30d', '90d', 'hold']);
export type Timing = z.infer<typeof TimingSchema>;

export const NarrativeSchema = z
  .object({
    title: z.string(),
    /** Plain text; each connector renders it safely for its CRM (HTML-escaped for HubSpot notes). */
    body: z.string(),
    /** The evidence the text cites; every number in `body` appears here. */
    evidence: z.array(EvidenceSchema),
  })
  .strict();
export type Narrative = z.infer<typeof NarrativeSchema>;

export const PriorityTierSchema = z.enum(['P1', 'P2', 'P3']);
export type PriorityTier = z.infer<typeof PriorityTierSchema>;

export const PrioritySchema = z
  .object({
    /** Expected value x timing urgency: what the pipeline is ranked by. */
    score: z.number().nonnegative(),
    /** 1 = first in the portfolio. */
    rank: z.number().int().positive(),
    tier: PriorityTierSchema,
    /** Over the owner's capacity for new opportunities this period: not created in the CRM yet. */
    queued: z.boolean(),
    /** Past the owner's capacity but pitched anyway by exploration (`learning.explorationShare`). */
    explored: z.boolean().optional(),
    /** The probability it was pitched under the holdout and exploration settings (see src/outcomes/holdout.ts). */
    propensity: z.number().min(0).max(1).optional(),
  })
  .strict();
export type Priority = z.infer<typeof PrioritySchema>;

export const ExpansionOpportunitySchema = z
  .object({
    motion: MotionSchema,
    /** For module cross-sell: which module. */
    module: z.string().optional(),
    arrPotential: z.number().nonnegative(),
    arrLow: z.number().nonnegative(),
    arrHigh: z.number().nonnegative(),
    seatsToAdd: z.number().int().nonnegative().optional(),
    probability: z.number().min(0).max(1),
    expectedValue: z.number().nonnegative(),
    timing: TimingSchema,
    signalIds: z.array(z.string()),
    /** Tier upgrade: the plan one rung up the ladder. */
    targetPlan: z.string().optional(),
    /** Cross-sell: ids of the matched peer accounts that own the module, nearest first. */
    peers: z.array(z.string()).optional(),
    /**
     * Identified but not pitched: no CRM deal is created while this is set. `watch`: a cross-sell that only
     * resemblance supports (seed 004: single signals suggest, multiple confirm); `renewal_evaluation`: the
     * customer is inside the renewal evaluation, so the opportunity waits for the renewal conversation;
     * `ramping`: the customer is too new to pitch (seed 003: 3+ months of consistent usage); `holdout`: the
     * account is in the never-pitched holdout (`learning.holdoutShare`) the uplift is measured against.
     */
    withheld: z.enum(['watch', 'renewal_evaluation', 'ramping', 'holdout']).optional(),
    /** Set by the portfolio pass: rank, tier, and whether the owner's capacity makes it wait. */
    priority: PrioritySchema.optional(),
    narrative: NarrativeSchema,
  })
  .strict();
export type ExpansionOpportunity = z.infer<typeof ExpansionOpportunitySchema>;

export const AssessmentSchema = z
  .object({
    accountId: z.string(),
    asOf: z.iso.date(),
    /** 0..100 expansion readiness. */
    score: z.number().min(0).max(100),
    health: HealthSchema,
    timing: TimingSchema,
    /** The date the account's timing was first given this value; timing hysteresis reads it on the next run. */
    timingSince: z.iso.date().optional(),
    signals: z.array(SignalSchema),
    /** Inputs that were absent, so the signals needing them were not evaluated. */
    missing: z.array(z.string()),
    /** Short human reasons for the score, health and timing. */
    reasons: z.array(z.string()),
    opportunities: z.array(ExpansionOpportunitySchema),
    /** Strong accounts only: a QBR agenda that surfaces the top opportunity. */
    qbrAgenda: NarrativeSchema.optional(),
    /** Strong accounts only: an outreach email draft (seed 004's seat-limit template for a seat add). */
    outreachEmail: NarrativeSchema.optional(),
  })
  .strict();
export type Assessment = z.infer<typeof AssessmentSchema>;

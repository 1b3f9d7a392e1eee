import { z } from 'zod';
import { CatalogSchema } from './config-catalog.ts';
import {
  CrossSellSchema,
  EngagementSchema,
  FeatureGraduationSchema,
  HeadcountSchema,
  HealthSchema,
  MotionProbabilitySchema,
  PowerUsersSchema,
  PrioritySchema,
  RiskSchema,
  SignalWeightsSchema,
  TeamsSchema,
  WorkaroundsSchema,
} from './config-signals.ts';

/**
 * Every threshold, weight and price the scoring uses, with documented defaults. Lives in the config
 * file under `scoring`; all keys are optional there.
 */
export const ScoringConfigSchema = z
  .object({
    seatUtilization: z
      .object({
        enterAt: z
          .number()
          .gt(0)
          .lte(2)
          .default(0.8)
          .describe('Utilization (seats used / licensed) at or above which a day counts toward the seat signal.'),
        exitBelow: z
          .number()
          .gt(0)
          .lte(2)
          .default(0.75)
          .describe('Hysteresis: once active, the signal stays until utilization drops below this.'),
        minDays: z
          .number()
          .int()
          .positive()
          .default(14)
          .describe('Consecutive days at or above enterAt before the signal fires.'),
        maxGapDays: z
          .number()
          .int()
          .nonnegative()
          .default(3)
          .describe(
            'Days without usage rows (a weekend, a holiday) a sustained run may span; a longer gap ends the run, so "for 5 weeks" stays backed by data.',
          ),
        maxDipDays: z
          .number()
          .int()
          .nonnegative()
          .default(2)
          .describe(
            'While the signal is entering, this many days in a row below enterAt (but not below exitBelow) do not restart the run.',
          ),
        staleAfterDays: z
          .number()
          .int()
          .nonnegative()
          .default(7)
          .describe(
            'Usage whose latest day is more than this many days before asOf is stale: the seat signal is not evaluated.',
          ),
      })
      .strict()
      .prefault({})
      .describe('The sustained seat-utilization signal.'),
    decline: z
      .object({
        redBelow: z
          .number()
          .min(-1)
          .max(0)
          .default(-0.3)
          .describe(
            'Active users over the last 30 days vs the prior 30 at or below this change is a sharp decline: health red, hold.',
          ),
        yellowBelow: z
          .number()
          .min(-1)
          .max(0)
          .default(-0.1)
          .describe('A decline at or below this (but above redBelow) makes health yellow.'),
      })
      .strict()
      .prefault({})
      .describe('The usage-decline health gate.'),
    trend: z
      .object({
        windowDays: z
          .number()
          .int()
          .positive()
          .default(28)
          .describe(
            'The mean per observed day over the last this-many days is compared with the same number of days before them. Whole weeks (28) give both windows the same weekdays, so weekends do not move the trend.',
          ),
        minDaysPerWindow: z
          .number()
          .int()
          .positive()
          .default(14)
          .describe(
            'Observed days each window needs before the trend is evaluated; fewer and the trend is listed as missing.',
          ),
        growthAt: z
          .number()
          .positive()
          .default(0.2)
          .describe(
            'A change at or above this (0.2 = +20%) in any trend measure fires the usage-growth expansion signal.',
          ),
        quarterGrowthAt: z
          .number()
          .positive()
          .default(0.3)
          .describe(
            'Slow, steady growth: the last window this much above the window two before it (0.3 = +30%), with the window between them in between, also fires usage growth.',
          ),
        measures: z
          .array(z.enum(['activeUsers', 'events']))
          .min(1)
          .default(['activeUsers', 'events'])
          .describe(
            'What the trend compares: active users, total events, or both. With both, growth is the stronger of the two and decline the weaker, so rising activity on flat users counts and a fall in either is not missed.',
          ),
        trimShare: z
          .number()
          .min(0)
          .max(0.4)
          .default(0.1)
          .describe(
            'Share of the lowest and of the highest days dropped from each window before averaging, so a holiday, a short outage or a three-day spike does not move the trend.',
          ),
      })
      .strict()
      .prefault({})
      .describe('The usage trend: growth is an expansion signal, decline a risk (see decline).'),
    pricing: z
      .object({
        currency: z
          .string()
          .default('USD')
          .refine((code) => Intl.supportedValuesOf('currency').includes(code), {
            message: 'an ISO 4217 currency code such as USD, EUR or GBP',
          })
          .describe('ISO 4217 code of the price book; every amount in notes, the CLI and alerts is shown in it.'),
        seatPriceDefault: z
          .number()
          .nonnegative()
          .default(600)
          .describe(
            'Annual list price per seat when the plan is neither in seatPriceByPlan nor on the catalog plan ladder.',
          ),
        seatPriceByPlan: z
          .record(z.string(), z.number().nonnegative())
          .default({})
          .describe("Annual list price per seat, by plan name (lowercase); overrides the catalog plan ladder's price."),
      })
      .strict()
      .prefault({})
      .describe('The price book used to size opportunities.'),
    sizing: z
      .object({
        recentDays: z
          .number()
          .int()
          .positive()
          .default(28)
          .describe('Seat adds are sized on seats used over the last this-many days.'),
        percentile: z
          .number()
          .gt(0)
          .lte(1)
          .default(0.9)
          .describe(
            'The percentile of daily seats used that the add must cover (0.9 = p90), so a busy day is covered but one outlier is not.',
          ),
        targetUtilization: z
          .number()
          .gt(0)
          .lte(1)
          .default(0.75)
          .describe(
            'Utilization the add aims for at that percentile: below seatUtilization.enterAt, so the account leaves the crunch instead of sitting on its edge.',
          ),
        highUtilization: z
          .number()
          .gt(0)
          .lte(1)
          .default(0.7)
          .describe(
            'The high end of the seat range: utilization at the percentile after the larger add an AE may propose.',
          ),
        steadyWeeks: z
          .number()
          .int()
          .min(3)
          .default(6)
          .describe(
            'A seat trend is projected only when weekly seats used rose in all but one of the last this-many weeks with no single step carrying most of the rise; a recent step up is not a trend.',
          ),
        headroom: z
          .number()
          .min(0)
          .max(1)
          .default(0.15)
          .describe(
            'Spare capacity on top of licensed seats for the high end of tier-upgrade and per-seat module ranges (0.15 = 15%).',
          ),
        horizonDays: z
          .number()
          .int()
          .positive()
          .default(90)
          .describe('How far ahead a steady seat trend and known hiring are projected when sizing a seat add.'),
        minSeats: z.number().int().positive().default(1).describe('Never recommend fewer seats than this.'),
        maxAddShare: z
          .number()
          .positive()
          .default(0.5)
          .describe('A seat add never asks for more than this share of the licensed seats at once (0.5 = 50%).'),
        moduleDiscount: z
          .number()
          .min(0)
          .max(1)
          .default(0.2)
          .describe("The low end of a module's ARR range is list price less this usual discount."),
        minDealArr: z
          .number()
          .nonnegative()
          .default(1000)
          .describe(
            "Opportunities worth less than this annual amount (in pricing.currency) are not pitched: too small to be worth an AE's call.",
          ),
      })
      .strict()
      .prefault({})
      .describe('Opportunity sizing.'),
    probability: z
      .object({
        base: z
          .number()
          .min(0)
          .max(1)
          .default(0.25)
          .describe('Win probability of a seat add before signal strength is counted.'),
        perStrength: z
          .number()
          .min(0)
          .max(1)
          .default(0.5)
          .describe('Added to the probability per unit of seat-signal strength (0..1).'),
        growthBonus: z.number().min(0).max(1).default(0.1).describe('Added when usage is also growing.'),
        yellowFactor: z
          .number()
          .min(0)
          .max(1)
          .default(0.7)
          .describe(
            'Multiplies the probability when health is yellow (nurture first). The result is kept within 0.05..0.95.',
          ),
        platt: z
          .object({
            a: z.number().positive().describe('Slope on logit(p).'),
            b: z.number().describe('Intercept.'),
          })
          .strict()
          .optional()
          .describe(
            "Platt calibration of every opportunity's win probability: p' = 1 / (1 + e^-(a logit(p) + b)), kept within 0.05..0.95. Unset: none. Set by an applied recalibration (learning.mode apply), not usually by hand.",
          ),
      })
      .strict()
      .prefault({})
      .describe('How likely an opportunity is to close; expected value = ARR potential x probability.'),
    score: z
      .object({
        signalWeights: SignalWeightsSchema,
        utilizationWeight: z
          .number()
          .nonnegative()
          .default(3)
          .describe(
            'Points (in signal-weight units) for seat utilization itself, scaled from 50% (none) to 100% (all), so the score rises with utilization before the sustained signal fires.',
          ),
        scale: z
          .number()
          .positive()
          .default(6)
          .describe(
            'Weighted signal points that give a score of 63 (1 - 1/e); the score is 100 x (1 - e^(-points/scale)), so it saturates below 100.',
          ),
        riskPenalty: z
          .number()
          .min(0)
          .max(1)
          .default(0.35)
          .describe('Each risk signal multiplies the score by (1 - riskPenalty x strength).'),
        redCap: z
          .number()
          .min(0)
          .max(100)
          .default(20)
          .describe('Red health caps the score here: retention comes first.'),
      })
      .strict()
      .prefault({})
      .describe('The 0..100 expansion-readiness score.'),
    renewal: z
      .object({
        evaluationWindowDays: z
          .number()
          .int()
          .nonnegative()
          .default(90)
          .describe('Inside this many days before renewal the customer is evaluating: no pitch.'),
        conversationStartDays: z
          .number()
          .int()
          .positive()
          .default(120)
          .describe('Expansion conversations start this many days before renewal at the latest.'),
      })
      .strict()
      .prefault({})
      .describe('Renewal-aware timing.'),
    featureGraduation: FeatureGraduationSchema,
    powerUsers: PowerUsersSchema,
    teams: TeamsSchema,
    workarounds: WorkaroundsSchema,
    headcount: HeadcountSchema,
    engagement: EngagementSchema,
    risk: RiskSchema,
    health: HealthSchema,
    crossSell: CrossSellSchema,
    priority: PrioritySchema,
    motionProbability: MotionProbabilitySchema,
    catalog: CatalogSchema,
    tenure: z
      .object({
        minDays: z
          .number()
          .int()
          .nonnegative()
          .default(90)
          .describe(
            'A customer for fewer days than this (from customerSince) is still ramping: opportunities are identified but not pitched (seed 003: 3+ months of consistent usage).',
          ),
      })
      .strict()
      .prefault({})
      .describe('Customer tenure.'),
    stability: z
      .object({
        amountBand: z
          .number()
          .min(0)
          .max(1)
          .default(0.15)
          .describe(
            'A seat add keeps its previous size unless the new size differs by more than this share (0.15 = 15%): numbers an AE has seen do not drift with noise.',
          ),
        timingMinDays: z
          .number()
          .int()
          .nonnegative()
          .default(7)
          .describe(
            'A timing between now, 30d and 90d stays at least this many days before it moves to another of those; moves to or from hold apply at once.',
          ),
      })
      .strict()
      .prefault({})
      .describe('Hysteresis: a recommendation changes only when its evidence changes materially.'),
    narrative: z
      .object({
        productName: z.string().min(1).default('the platform').describe('The product name the outreach email uses.'),
        strongScoreAt: z
          .number()
          .min(0)
          .max(100)
          .default(60)
          .describe(
            'Accounts scoring at or above this (with an opportunity, not on hold) also get a QBR agenda and an outreach email draft.',
          ),
        templatesDir: z
          .string()
          .min(1)
          .optional()
          .describe(
            'A directory of Handlebars templates (seat-add.hbs, tier-upgrade.hbs, cross-sell.hbs, qbr-agenda.hbs, outreach-email.hbs, partials/*.hbs) that replace the shipped ones file by file; see templates/README.md. Unset: the shipped templates.',
          ),
      })
      .strict()
      .prefault({})
      .describe('Talking points, QBR agenda and outreach email.'),
    historyDays: z.number().int().positive().default(120).describe('Days of usage history the scoring reads.'),
  })
  .strict();

export type ScoringConfig = z.infer<typeof ScoringConfigSchema>;
export const defaultScoringConfig = (): ScoringConfig => ScoringConfigSchema.parse({});

import { z } from 'zod';

const share = z.number().min(0).max(1);
const days = z.number().int().positive();

/** Thresholds of the signals beyond seats, usage trend and renewal (those live in config.ts). */
export const FeatureGraduationSchema = z
  .object({
    windowDays: days.default(30).describe('Days of usage the signal reads.'),
    minEvents: z
      .number()
      .int()
      .positive()
      .default(5)
      .describe('Events of a feature in the window before it counts as explored.'),
    minFeatures: z
      .number()
      .int()
      .positive()
      .default(2)
      .describe(
        'Higher-tier features explored before the tier-graduation signal fires (seed 004: 2+ advanced features).',
      ),
  })
  .strict()
  .prefault({})
  .describe('Feature breadth and tier graduation: use of features gated to a higher plan than the account has.');

export const PowerUsersSchema = z
  .object({
    metric: z
      .string()
      .min(1)
      .default('power_users')
      .describe('Usage metric (an events key) holding the number of power users that day.'),
    topEventsMetric: z
      .string()
      .min(1)
      .default('top_decile_events')
      .describe('Usage metric holding the events of the most active 10% of users that day.'),
    windowDays: days.default(30),
    minPowerUsers: z
      .number()
      .positive()
      .default(3)
      .describe('Average daily power users at or above which the signal can fire (seed 004: 3+).'),
    shareAt: share
      .default(0.5)
      .describe('Share of all activity from the top 10% of users at or above which activity counts as concentrated.'),
  })
  .strict()
  .prefault({})
  .describe('Power-user concentration: a few users drive most of the activity, so wider adoption is feasible.');

export const TeamsSchema = z
  .object({
    prefix: z
      .string()
      .min(1)
      .default('team_')
      .describe("Usage metrics named <prefix><team> hold that team's active users for the day."),
    minActiveUsers: z
      .number()
      .positive()
      .default(2)
      .describe('Average daily active users a team needs in a window to count as using the product.'),
    recentDays: days.default(14).describe('The recent window: the last this-many days.'),
    baselineDays: days
      .default(30)
      .describe('The baseline window: this many days, ending where the gap before the recent window starts.'),
    gapDays: z
      .number()
      .int()
      .nonnegative()
      .default(16)
      .describe('Days between the baseline and the recent window (default: baseline is days 31-60 before asOf).'),
  })
  .strict()
  .prefault({})
  .describe('Adoption by a new team or department (seed 004: +1 department from baseline).');

export const WorkaroundsSchema = z
  .object({
    windowDays: days.default(30),
    perActiveUserPerWeek: z
      .number()
      .positive()
      .default(5)
      .describe('Workaround events per active user per week at or above which the module-workaround signal fires.'),
    minEvents: z
      .number()
      .int()
      .positive()
      .default(20)
      .describe('Workaround events the window needs before any rate counts.'),
  })
  .strict()
  .prefault({})
  .describe('Module whitespace: behaviour that a module the customer does not own would replace.');

export const HeadcountSchema = z
  .object({
    growthAt: z
      .number()
      .positive()
      .default(0.2)
      .describe('Year-over-year headcount growth at or above which the signal fires (seed 004: >20% YoY).'),
    minHistoryDays: days
      .default(180)
      .describe('Employee-count history must span this many days before growth is annualised from it.'),
  })
  .strict()
  .prefault({})
  .describe('Headcount growth, from the employee-count history the store keeps or an enrichment growth field.');

export const EngagementSchema = z
  .object({
    executiveWithinDays: days
      .default(90)
      .describe('An executive meeting this recent fires the executive-engagement signal.'),
    championWithinDays: days.default(120).describe('A champion departure this recent is a risk signal.'),
  })
  .strict()
  .prefault({})
  .describe('Executive and champion engagement, from CRM dates.');

export const RiskSchema = z
  .object({
    npsDetractorAt: z
      .number()
      .min(0)
      .max(10)
      .default(6)
      .describe('An NPS response (0-10) at or below this is a detractor: risk.'),
    csatLowBelow: z.number().min(0).max(100).default(70).describe('CSAT (percent satisfied) below this is a risk.'),
    escalationsAt: z
      .number()
      .int()
      .positive()
      .default(1)
      .describe('Open support escalations at or above this are a risk.'),
    paymentOverdueDays: z
      .number()
      .int()
      .positive()
      .default(30)
      .describe('An invoice overdue this many days is a payment risk.'),
  })
  .strict()
  .prefault({})
  .describe('Risk signals beyond usage decline.');

export const HealthSchema = z
  .object({
    redRiskCount: z
      .number()
      .int()
      .positive()
      .default(2)
      .describe('This many risk signals at once make health red (early churn indicators), whatever usage does.'),
    redPaymentOverdueDays: z
      .number()
      .int()
      .positive()
      .default(60)
      .describe('An invoice overdue this long makes health red on its own.'),
    redNpsAt: z
      .number()
      .min(0)
      .max(10)
      .default(3)
      .describe('An NPS response at or below this makes health red on its own.'),
    redEscalationsAt: z
      .number()
      .int()
      .positive()
      .default(3)
      .describe('This many open support escalations make health red on their own: an unhappy customer is not pitched.'),
  })
  .strict()
  .prefault({})
  .describe('The traffic light beyond the usage-decline gate: red means retention first, no pitch.');

export const CrossSellSchema = z
  .object({
    neighbours: z
      .number()
      .int()
      .positive()
      .default(15)
      .describe('Nearest peers each account is compared with, per module.'),
    referenceSize: z
      .number()
      .int()
      .positive()
      .default(400)
      .describe(
        'Peers per module sampled from the portfolio (half adopters, half not), so matching stays linear in accounts.',
      ),
    minAdopters: z
      .number()
      .int()
      .positive()
      .default(5)
      .describe('A module needs this many adopters in the portfolio before affinity is scored.'),
    minProbability: share.default(0.4).describe('Affinity at or above which resemblance counts for a cross-sell...'),
    minLift: z
      .number()
      .min(1)
      .default(1.5)
      .describe(
        '...and at least this many times the adoption rate among comparable accounts (same plan, similar licence size): looking like everyone is not looking like an adopter.',
      ),
    sizeBandFactor: z
      .number()
      .gt(1)
      .default(2)
      .describe("Comparable accounts have licensed seats within this factor of the account's."),
    minComparable: z
      .number()
      .int()
      .positive()
      .default(20)
      .describe(
        "Comparable accounts needed before their adoption rate is used; fewer and the plan's rate, then the portfolio's, is used.",
      ),
    adjacentPerUserPerWeek: z
      .number()
      .positive()
      .default(1)
      .describe(
        "Events of a module's adjacent features (catalog modules[].adjacent) per active user per week at or above which the account has reached the milestone that preceded adoption.",
      ),
    requireBehavior: z
      .boolean()
      .default(true)
      .describe(
        "A cross-sell is pitched only when behaviour confirms it (the module's workaround, or resemblance plus its adjacent-feature milestone). Resemblance alone stays in the pipeline as a watch item. Set false to pitch on resemblance alone.",
      ),
    peersShown: z.number().int().positive().default(3).describe('Matched adopter peers kept as evidence.'),
  })
  .strict()
  .prefault({})
  .describe('Cross-sell: behaviour first, nearest-neighbour resemblance to adopters as confirmation.');

export const PrioritySchema = z
  .object({
    capacityPerOwner: z
      .number()
      .int()
      .positive()
      .default(20)
      .describe(
        'At most this many new opportunities per owner per period; the rest wait, queued, for the next period.',
      ),
    periodDays: days.default(30).describe('The capacity period.'),
    urgency: z
      .object({ now: share.default(1), '30d': share.default(0.6), '90d': share.default(0.3) })
      .strict()
      .prefault({})
      .describe('Weight of expected value by timing.'),
    p1Share: share.default(0.2).describe('The top this-share of ranked opportunities are P1.'),
    p2Share: share.default(0.3).describe('The next this-share are P2; the rest P3.'),
  })
  .strict()
  .prefault({})
  .describe("Priority: expected value weighted by timing urgency, within each owner's capacity.");

export const MotionProbabilitySchema = z
  .object({
    tierBase: share.default(0.2).describe('Win probability of a tier upgrade before signal strength.'),
    tierPerStrength: share.default(0.45),
    crossSellWorkaroundBonus: share
      .default(0.15)
      .describe("Added to a cross-sell's affinity when the account also shows the module's workaround."),
    crossSellBase: share
      .default(0.25)
      .describe('Cross-sell probability from a workaround alone, when affinity could not be scored.'),
    supportingBonus: share
      .default(0.05)
      .describe(
        'Added per supporting expansion signal (headcount, new team, power users, executive engagement), up to three.',
      ),
  })
  .strict()
  .prefault({})
  .describe('Win probabilities of the tier-upgrade and cross-sell motions (seat add: see probability).');

export const SignalWeightsSchema = z
  .record(z.string(), z.number().nonnegative())
  .default({
    seat_utilization: 5,
    usage_growth: 4,
    feature_graduation: 3,
    headcount_growth: 4,
    new_team_adoption: 4,
    power_user_concentration: 3,
    renewal_window: 2,
    executive_engagement: 4,
    module_workaround: 3,
  })
  .describe("Score weight per expansion signal id (seed 004's weights); module_workaround covers every module.");

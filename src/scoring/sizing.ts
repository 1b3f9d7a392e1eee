import type { Evidence } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { collected, daysBetween, mean, percentile, type Day } from './days.ts';
import { wholeDollars, wholePercent } from './evidence.ts';

export interface SeatSizingEvidence {
  readonly seatsUsedP90: Evidence;
  readonly recentDays: Evidence;
  readonly targetUtilization: Evidence;
  readonly hiringSeats: Evidence;
  readonly trendSeats: Evidence;
  readonly horizonDays: Evidence;
  readonly seatsToAdd: Evidence;
  readonly seatsLow: Evidence;
  readonly seatsHigh: Evidence;
  readonly targetSeats: Evidence;
  readonly utilizationAfter: Evidence;
  readonly seatPrice: Evidence;
  readonly arrPotential: Evidence;
  readonly arrLow: Evidence;
  readonly arrHigh: Evidence;
  readonly maxAddShare: Evidence;
  readonly minSeats: Evidence;
}

export interface SeatSizing {
  readonly seatsToAdd: number;
  readonly seatsLow: number;
  readonly seatsHigh: number;
  readonly arrPotential: number;
  readonly arrLow: number;
  readonly arrHigh: number;
  /** True when the need asked for more than sizing.maxAddShare of the licence: the cap set the size. */
  readonly capped: boolean;
  /** True when weekly seats used rose steadily, so the trend was projected over the horizon. */
  readonly trendProjected: boolean;
  /** True when known hiring (headcount growth) added seats. */
  readonly hiring: boolean;
  /** True when the previous run's size was kept: the new need is within the stability band. */
  readonly kept: boolean;
  readonly evidence: SeatSizingEvidence;
}

export interface SeatSizingInput {
  readonly days: readonly Day[];
  /** Day number the recent window ends on (the latest day with usage). */
  readonly usageEnd: number;
  readonly licensedSeats: number;
  readonly plan: string | undefined;
  /** Year-over-year headcount growth when the headcount signal fired (0.25 = +25%): known hiring. */
  readonly headcountGrowth: number | undefined;
  /** The seat add the previous run recommended, for hysteresis. */
  readonly previousSeats: number | undefined;
  readonly config: ScoringConfig;
}

/** Ceil that ignores float dust: 40 x 1.15 must be 46 seats, not 47. */
const ceilSeats = (value: number): number => Math.ceil(value - 1e-9);

/**
 * Seats to add so the busy days of the last few weeks (the p90 of daily seats used) land at
 * targetUtilization, below the trigger, so the account leaves the crunch rather than sitting on its
 * edge: ceil(need / target) - licensed, where need is that p90 plus known hiring over the horizon plus
 * a trend, projected only when seats rose week after week (a step up in the last weeks is not a trend).
 * The range runs from the add that just brings the p90 under the trigger to the one that brings the
 * need to highUtilization. A previous size within the stability band is kept, so the number an AE saw
 * yesterday does not drift with noise. Never above maxAddShare of the licence.
 */
export function sizeSeatAdd(input: SeatSizingInput): SeatSizing {
  const { config, licensedSeats: licensed } = input;
  const { horizonDays, minSeats, recentDays, targetUtilization, highUtilization } = config.sizing;
  const recent = collected(
    daysBetween(input.days, input.usageEnd - recentDays + 1, input.usageEnd),
    (d) => d.seatsUsed,
  );
  const p90 = percentile(recent, config.sizing.percentile);
  const trend = steadyTrendSeats(input);
  const hiring =
    input.headcountGrowth !== undefined && input.headcountGrowth > 0
      ? ceilSeats((p90 * input.headcountGrowth * horizonDays) / 365)
      : 0;
  const need = p90 + trend + hiring;
  const cap = Math.max(minSeats, ceilSeats(licensed * config.sizing.maxAddShare));
  const seatsFor = (seats: number, utilization: number): number =>
    Math.min(cap, Math.max(minSeats, ceilSeats(seats / utilization) - licensed));
  const fresh = seatsFor(need, targetUtilization);
  const seatsLow = Math.min(fresh, seatsFor(p90, config.seatUtilization.enterAt));
  const seatsHigh = Math.max(fresh, seatsFor(need, highUtilization));
  const previous = input.previousSeats;
  const kept =
    previous !== undefined &&
    previous !== fresh &&
    previous >= seatsLow &&
    previous <= seatsHigh &&
    Math.abs(fresh - previous) <= config.stability.amountBand * previous;
  const seatsToAdd = kept ? previous : fresh;
  const price = seatPriceFor(input.plan, config);
  const sizing = {
    seatsToAdd,
    seatsLow,
    seatsHigh,
    arrPotential: wholeDollars(seatsToAdd * price),
    arrLow: wholeDollars(seatsLow * price),
    arrHigh: wholeDollars(seatsHigh * price),
  };
  const evidence = seatEvidence({ ...sizing, p90, trend, hiring, licensed, price, plan: input.plan, config });
  return {
    ...sizing,
    capped: ceilSeats(need / targetUtilization) - licensed > cap,
    trendProjected: trend > 0,
    hiring: hiring > 0,
    kept,
    evidence,
  };
}

/**
 * Seats a steady rise adds over the horizon: weekly means of seats used over the last steadyWeeks
 * weeks must rise in all but one week, with no single week carrying more than half the rise. Else 0.
 */
function steadyTrendSeats(input: SeatSizingInput): number {
  const weeks = input.config.sizing.steadyWeeks;
  const means: number[] = [];
  for (let w = weeks - 1; w >= 0; w -= 1) {
    const to = input.usageEnd - 7 * w;
    const values = collected(daysBetween(input.days, to - 6, to), (d) => d.seatsUsed);
    if (values.length < 3) return 0;
    means.push(mean(values));
  }
  const steps = means.slice(1).map((m, i) => m - (means[i] ?? m));
  const rise = (means.at(-1) ?? 0) - (means[0] ?? 0);
  const rising = steps.filter((s) => s > 0).length;
  if (rise <= 0 || rising < steps.length - 1 || Math.max(...steps) > rise / 2) return 0;
  return ceilSeats(((rise / steps.length) * input.config.sizing.horizonDays) / 7);
}

interface SeatEvidenceInput extends Pick<
  SeatSizing,
  'seatsToAdd' | 'seatsLow' | 'seatsHigh' | 'arrPotential' | 'arrLow' | 'arrHigh'
> {
  readonly p90: number;
  readonly trend: number;
  readonly hiring: number;
  readonly licensed: number;
  readonly price: number;
  readonly plan: string | undefined;
  readonly config: ScoringConfig;
}

function seatEvidence(input: SeatEvidenceInput): SeatSizingEvidence {
  const { config } = input;
  const { horizonDays, recentDays } = config.sizing;
  const next = `next ${horizonDays} days`;
  const planLabel = input.plan === undefined ? 'default price' : `plan ${input.plan.toLowerCase()}`;
  const after = input.licensed + input.seatsToAdd;
  return {
    seatsUsedP90: {
      metric: 'seats_used_p90',
      value: input.p90,
      unit: 'seats',
      window: `last ${recentDays} days`,
      comparison: `${wholePercent(config.sizing.percentile)}th percentile of daily seats used`,
      source: 'usage',
    },
    recentDays: { metric: 'sizing_recent_days', value: recentDays, unit: 'days', window: 'config', source: 'config' },
    targetUtilization: {
      metric: 'sizing_target_utilization',
      value: wholePercent(config.sizing.targetUtilization),
      unit: 'percent',
      window: 'config',
      source: 'config',
    },
    hiringSeats: {
      metric: 'seats_for_hiring',
      value: input.hiring,
      unit: 'seats',
      window: next,
      comparison: 'headcount growth over the horizon',
      source: 'derived',
    },
    trendSeats: {
      metric: 'seats_for_trend',
      value: input.trend,
      unit: 'seats',
      window: next,
      comparison: 'steady weekly rise in seats used',
      source: 'derived',
    },
    horizonDays: {
      metric: 'sizing_horizon_days',
      value: horizonDays,
      unit: 'days',
      window: 'config',
      source: 'config',
    },
    seatsToAdd: { metric: 'seats_to_add', value: input.seatsToAdd, unit: 'seats', window: next, source: 'derived' },
    seatsLow: {
      metric: 'seats_to_add_low',
      value: input.seatsLow,
      unit: 'seats',
      window: next,
      comparison: 'just under the seat trigger',
      source: 'derived',
    },
    seatsHigh: {
      metric: 'seats_to_add_high',
      value: input.seatsHigh,
      unit: 'seats',
      window: next,
      comparison: `need at ${wholePercent(config.sizing.highUtilization)}% utilization`,
      source: 'derived',
    },
    targetSeats: { metric: 'licensed_seats_after_add', value: after, unit: 'seats', window: next, source: 'derived' },
    utilizationAfter: {
      metric: 'seat_utilization_after_add',
      value: wholePercent(input.p90 / after),
      unit: 'percent',
      window: next,
      comparison: 'busy-day seats used over licensed seats after the add',
      source: 'derived',
    },
    seatPrice: {
      metric: 'seat_price_annual',
      value: wholeDollars(input.price),
      unit: 'money',
      window: planLabel,
      source: 'config',
    },
    arrPotential: {
      metric: 'arr_potential',
      value: input.arrPotential,
      unit: 'money',
      window: 'annual',
      source: 'derived',
    },
    arrLow: {
      metric: 'arr_low',
      value: input.arrLow,
      unit: 'money',
      window: 'annual',
      comparison: 'the smallest add that ends the crunch',
      source: 'derived',
    },
    arrHigh: {
      metric: 'arr_high',
      value: input.arrHigh,
      unit: 'money',
      window: 'annual',
      comparison: 'the larger add with room to grow',
      source: 'derived',
    },
    maxAddShare: {
      metric: 'sizing_max_add_share',
      value: wholePercent(config.sizing.maxAddShare),
      unit: 'percent',
      window: 'config',
      source: 'config',
    },
    minSeats: {
      metric: 'sizing_min_seats',
      value: config.sizing.minSeats,
      unit: 'seats',
      window: 'config',
      source: 'config',
    },
  };
}

/** The plan's seat price: a seatPriceByPlan override, else the catalog ladder's price, else the default (plans compare lowercase). */
export function seatPriceFor(plan: string | undefined, config: ScoringConfig): number {
  const name = plan?.trim().toLowerCase();
  if (name === undefined) return config.pricing.seatPriceDefault;
  return (
    config.pricing.seatPriceByPlan[name] ??
    config.catalog.plans.find((p) => p.name === name)?.seatPrice ??
    config.pricing.seatPriceDefault
  );
}

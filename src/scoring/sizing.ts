import type { Evidence } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { daysBetween, slopePerDay, type Day } from './days.ts';
import { oneDecimal, wholeDollars, wholePercent } from './evidence.ts';

export interface SeatSizingEvidence {
  readonly seatGrowthPerWeek: Evidence;
  readonly horizonDays: Evidence;
  readonly projectedSeats: Evidence;
  readonly headroom: Evidence;
  readonly seatsWithHeadroom: Evidence;
  readonly minSeats: Evidence;
  readonly seatsToAdd: Evidence;
  readonly maxAddShare: Evidence;
  readonly targetSeats: Evidence;
  readonly seatPrice: Evidence;
  readonly arrPotential: Evidence;
  readonly arrLow: Evidence;
  readonly arrHigh: Evidence;
}

export interface SeatSizing {
  readonly seatsToAdd: number;
  readonly arrPotential: number;
  readonly arrLow: number;
  readonly arrHigh: number;
  /** True when the projection alone needs fewer than sizing.minSeats: the floor set the size. */
  readonly atMinimum: boolean;
  /** True when the projection asked for more than sizing.maxAddShare of the licence: the cap set the size. */
  readonly capped: boolean;
  readonly evidence: SeatSizingEvidence;
}

export interface SeatSizingInput {
  readonly days: readonly Day[];
  readonly asOf: number;
  readonly licensedSeats: number;
  readonly latestSeatsUsed: number;
  readonly plan: string | undefined;
  readonly config: ScoringConfig;
}

/** Ceil that ignores float dust: 40 x 1.15 must be 46 seats, not 47. */
const ceilSeats = (value: number): number => Math.ceil(value - 1e-9);

/**
 * Seats the team will need by the horizon: today's seats used plus the least-squares trend of seats
 * used over the trend window (never negative: a dip is no reason to sell fewer seats than in use),
 * plus headroom, less what is licensed, and never below minSeats.
 */
export function sizeSeatAdd(input: SeatSizingInput): SeatSizing {
  const { config, licensedSeats: licensed } = input;
  const { headroom, horizonDays, minSeats } = config.sizing;
  const recent = daysBetween(input.days, input.asOf - config.trend.windowDays + 1, input.asOf);
  const slope = Math.max(0, slopePerDay(recent, (d) => d.seatsUsed));
  const projected = input.latestSeatsUsed + slope * horizonDays;
  // A steep recent climb projected a quarter ahead can ask for more seats than any AE would propose in one
  // step; the cap keeps the ask credible, and the next quarter's run sizes the next step.
  const cap = Math.max(minSeats, ceilSeats(licensed * config.sizing.maxAddShare));
  const uncapped = (factor: number): number => Math.max(minSeats, ceilSeats(projected * factor) - licensed);
  const seatsFor = (factor: number): number => Math.min(cap, uncapped(factor));
  const withHeadroom = ceilSeats(projected * (1 + headroom));
  const seatsToAdd = seatsFor(1 + headroom);
  const price = seatPriceFor(input.plan, config);
  const arrPotential = wholeDollars(seatsToAdd * price);
  const arrLow = wholeDollars(seatsFor(1) * price);
  const arrHigh = wholeDollars(seatsFor(1 + 2 * headroom) * price);
  const planLabel = input.plan === undefined ? 'default price' : `plan ${input.plan.toLowerCase()}`;
  const evidence: SeatSizingEvidence = {
    seatGrowthPerWeek: { metric: 'seats_used_growth_per_week', value: oneDecimal(slope * 7), unit: 'seats', window: `last ${config.trend.windowDays} days`, comparison: 'least-squares trend of seats used', source: 'derived' },
    horizonDays: { metric: 'sizing_horizon_days', value: horizonDays, unit: 'days', window: 'config', source: 'config' },
    projectedSeats: { metric: 'projected_seats_used', value: ceilSeats(projected), unit: 'seats', window: `next ${horizonDays} days`, source: 'derived' },
    headroom: { metric: 'sizing_headroom', value: wholePercent(headroom), unit: 'percent', window: 'config', source: 'config' },
    seatsWithHeadroom: { metric: 'projected_seats_with_headroom', value: withHeadroom, unit: 'seats', window: `next ${horizonDays} days`, source: 'derived' },
    minSeats: { metric: 'sizing_min_seats', value: minSeats, unit: 'seats', window: 'config', source: 'config' },
    seatsToAdd: { metric: 'seats_to_add', value: seatsToAdd, unit: 'seats', window: `next ${horizonDays} days`, source: 'derived' },
    maxAddShare: { metric: 'sizing_max_add_share', value: wholePercent(config.sizing.maxAddShare), unit: 'percent', window: 'config', source: 'config' },
    targetSeats: { metric: 'licensed_seats_after_add', value: licensed + seatsToAdd, unit: 'seats', window: `next ${horizonDays} days`, source: 'derived' },
    seatPrice: { metric: 'seat_price_annual', value: wholeDollars(price), unit: 'usd', window: planLabel, source: 'config' },
    arrPotential: { metric: 'arr_potential', value: arrPotential, unit: 'usd', window: 'annual', source: 'derived' },
    arrLow: { metric: 'arr_low', value: arrLow, unit: 'usd', window: 'annual', comparison: 'projection without headroom', source: 'derived' },
    arrHigh: { metric: 'arr_high', value: arrHigh, unit: 'usd', window: 'annual', comparison: 'projection with double headroom', source: 'derived' },
  };
  return { seatsToAdd, arrPotential, arrLow, arrHigh, atMinimum: withHeadroom - licensed < minSeats, capped: uncapped(1 + headroom) > cap, evidence };
}

/** The plan's seat price: a seatPriceByPlan override, else the catalog ladder's price, else the default (plans compare lowercase). */
export function seatPriceFor(plan: string | undefined, config: ScoringConfig): number {
  const name = plan?.trim().toLowerCase();
  if (name === undefined) return config.pricing.seatPriceDefault;
  return config.pricing.seatPriceByPlan[name] ?? config.catalog.plans.find((p) => p.name === name)?.seatPrice ?? config.pricing.seatPriceDefault;
}

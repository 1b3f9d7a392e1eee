import type { Account } from '../model/account.ts';
import type { Evidence } from '../model/assessment.ts';
import type { Module, Plan } from './config-catalog.ts';
import type { ScoringConfig } from './config.ts';
import { wholeDollars, wholePercent } from './evidence.ts';
import { seatPriceFor } from './sizing.ts';

/** Ceil that ignores float dust, as in seat sizing. */
const ceilSeats = (value: number): number => Math.ceil(value - 1e-9);

/** The plan one rung above `plan` on the ladder, or undefined at the top or off the ladder. */
export function nextPlanOf(plan: string | undefined, config: ScoringConfig): Plan | undefined {
  if (plan === undefined) return undefined;
  const plans = config.catalog.plans;
  const index = plans.findIndex((p) => p.name === plan.trim().toLowerCase());
  return index < 0 ? undefined : plans[index + 1];
}

export interface MotionSizing<E> {
  readonly arrPotential: number;
  readonly arrLow: number;
  readonly arrHigh: number;
  readonly evidence: E;
}

export interface TierSizingEvidence {
  readonly currentSeatPrice: Evidence;
  readonly nextSeatPrice: Evidence;
  readonly seats: Evidence;
  readonly seatsInUse: Evidence;
  readonly seatsWithHeadroom: Evidence;
  readonly arrPotential: Evidence;
  readonly arrLow: Evidence;
  readonly arrHigh: Evidence;
}

/**
 * A tier upgrade re-prices every licensed seat at the next plan's rate: potential = seats x price step.
 * The range runs from only the seats in use today to the licensed seats plus sizing headroom.
 * Undefined when it cannot be sized honestly: no next plan, no licensed seats, or no price step.
 */
export function sizeTierUpgrade(input: {
  readonly account: Account;
  readonly seatsInUse: number | undefined;
  readonly next: Plan;
  readonly config: ScoringConfig;
}): MotionSizing<TierSizingEvidence> | undefined {
  const licensed = input.account.licensedSeats;
  if (licensed === undefined || licensed === 0) return undefined;
  const current = seatPriceFor(input.account.plan, input.config);
  const next = seatPriceFor(input.next.name, input.config);
  const step = next - current;
  if (step <= 0) return undefined;
  const inUse = Math.min(licensed, input.seatsInUse ?? licensed);
  const withHeadroom = ceilSeats(licensed * (1 + input.config.sizing.headroom));
  const arrPotential = wholeDollars(licensed * step);
  const arrLow = wholeDollars(inUse * step);
  const arrHigh = wholeDollars(withHeadroom * step);
  const plan = input.account.plan?.trim().toLowerCase() ?? 'current plan';
  const evidence: TierSizingEvidence = {
    currentSeatPrice: {
      metric: 'seat_price_annual',
      value: wholeDollars(current),
      unit: 'money',
      window: `plan ${plan}`,
      source: 'config',
    },
    nextSeatPrice: {
      metric: 'next_plan_seat_price_annual',
      value: wholeDollars(next),
      unit: 'money',
      window: `plan ${input.next.name}`,
      source: 'config',
    },
    seats: { metric: 'licensed_seats', value: licensed, unit: 'seats', window: 'current contract', source: 'crm' },
    seatsInUse: { metric: 'seats_used', value: inUse, unit: 'seats', window: 'latest day', source: 'usage' },
    seatsWithHeadroom: {
      metric: 'licensed_seats_with_headroom',
      value: withHeadroom,
      unit: 'seats',
      window: `${wholePercent(input.config.sizing.headroom)}% headroom`,
      source: 'derived',
    },
    arrPotential: {
      metric: 'arr_potential',
      value: arrPotential,
      unit: 'money',
      window: 'annual',
      comparison: `licensed seats at the ${input.next.name} rate`,
      source: 'derived',
    },
    arrLow: {
      metric: 'arr_low',
      value: arrLow,
      unit: 'money',
      window: 'annual',
      comparison: 'seats in use only',
      source: 'derived',
    },
    arrHigh: {
      metric: 'arr_high',
      value: arrHigh,
      unit: 'money',
      window: 'annual',
      comparison: 'licensed seats plus headroom',
      source: 'derived',
    },
  };
  return { arrPotential, arrLow, arrHigh, evidence };
}

export interface ModuleSizingEvidence {
  readonly listPrice: Evidence;
  /** Present when the module's minimum annual price set the amount. */
  readonly minPrice?: Evidence;
  readonly seats?: Evidence;
  readonly discount: Evidence;
  readonly arrPotential: Evidence;
  readonly arrLow: Evidence;
  readonly arrHigh: Evidence;
}

/**
 * A module at list price: flat, or per licensed seat but never below the module's minimum annual price.
 * The range runs from list less the usual discount to list (per seat: on the seats plus headroom).
 * Undefined for a per-seat module without licensed seats.
 */
export function sizeModule(input: {
  readonly account: Account;
  readonly module: Module;
  readonly config: ScoringConfig;
}): MotionSizing<ModuleSizingEvidence> | undefined {
  const { module, config } = input;
  const discount = config.sizing.moduleDiscount;
  const licensed = input.account.licensedSeats;
  if (module.pricing === 'per_seat' && (licensed === undefined || licensed === 0)) return undefined;
  const seats = module.pricing === 'per_seat' ? (licensed ?? 0) : 1;
  const priced = (count: number): number => wholeDollars(Math.max(module.minPrice, module.listPrice * count));
  const arrPotential = priced(seats);
  const arrLow = wholeDollars(arrPotential * (1 - discount));
  const arrHigh =
    module.pricing === 'per_seat' ? priced(ceilSeats(seats * (1 + config.sizing.headroom))) : arrPotential;
  const atMinimum = module.pricing === 'per_seat' && module.minPrice > module.listPrice * seats;
  const per = module.pricing === 'per_seat' ? 'per seat a year' : 'a year';
  const evidence: ModuleSizingEvidence = {
    listPrice: {
      metric: 'module_list_price',
      value: wholeDollars(module.listPrice),
      unit: 'money',
      window: per,
      comparison: module.label,
      source: 'config',
    },
    ...(module.pricing === 'per_seat'
      ? {
          seats: {
            metric: 'licensed_seats',
            value: seats,
            unit: 'seats',
            window: 'current contract',
            source: 'crm',
          } satisfies Evidence,
        }
      : {}),
    ...(atMinimum
      ? {
          minPrice: {
            metric: 'module_min_price',
            value: wholeDollars(module.minPrice),
            unit: 'money',
            window: 'a year',
            comparison: `${module.label} minimum`,
            source: 'config',
          } satisfies Evidence,
        }
      : {}),
    discount: {
      metric: 'module_discount',
      value: wholePercent(discount),
      unit: 'percent',
      window: 'config',
      source: 'config',
    },
    arrPotential: {
      metric: 'arr_potential',
      value: arrPotential,
      unit: 'money',
      window: 'annual',
      comparison: `${module.label} at list`,
      source: 'derived',
    },
    arrLow: {
      metric: 'arr_low',
      value: arrLow,
      unit: 'money',
      window: 'annual',
      comparison: 'list less the usual discount',
      source: 'derived',
    },
    arrHigh: {
      metric: 'arr_high',
      value: arrHigh,
      unit: 'money',
      window: 'annual',
      comparison: module.pricing === 'per_seat' ? 'seats plus headroom' : 'list',
      source: 'derived',
    },
  };
  return { arrPotential, arrLow, arrHigh, evidence };
}

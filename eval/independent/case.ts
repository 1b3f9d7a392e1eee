import type { Health, Timing } from '../../src/model/assessment.ts';

export const AS_OF = '2026-11-20';
/** Days of usage per account, ending on AS_OF. */
export const HISTORY_DAYS = 100;

/** Piecewise-linear curve over "days ago" (99 = the first generated day, 0 = AS_OF). */
export type Curve = readonly (readonly [daysAgo: number, value: number])[];
export type Rate = number | Curve;

export type Plan = 'starter' | 'growth' | 'enterprise';
export type ModuleId = 'reporting' | 'automation' | 'integrations' | 'api';
/** seat_add, tier_upgrade, or module_cross_sell:<module>. */
export type MotionKey = 'seat_add' | 'tier_upgrade' | `module_cross_sell:${ModuleId}`;

export interface Shape {
  /** Assigned seats as a fraction of licensed seats. */
  readonly seat: Curve;
  /** Weekday active users as a fraction of assigned seats; 0.74 when absent. */
  readonly dau?: Curve;
  /** Extra events per active user per weekday, added to the plan's baseline. */
  readonly perUser?: Readonly<Record<string, Rate>>;
  /** Extra events per weekday for the whole account (not scaled by users). */
  readonly perDay?: Readonly<Record<string, Rate>>;
  /** Power-user metrics: users at power-user engagement (weekday count) and the top decile's event share. */
  readonly power?: { readonly users: Rate; readonly topShare: Rate };
  /** Team active users as a fraction of active users, by team name. */
  readonly teams?: Readonly<Record<string, Rate>>;
  /** Exact extra events on single days: feature -> [daysAgo, count] pairs (stray clicks). */
  readonly once?: Readonly<Record<string, readonly (readonly [daysAgo: number, count: number])[]>>;
  /** Share of days whose seats_used was not collected (default 0.03). */
  readonly seatGaps?: number;
}

export interface Label {
  readonly health: Health;
  readonly timing: Timing;
  readonly motions: readonly MotionKey[];
  /** Acceptable seat-add size, inclusive, when a seat add is expected. */
  readonly seats?: readonly [min: number, max: number];
  /** One line per decision, each quoting the seed text it relies on. */
  readonly why: {
    readonly health: string;
    readonly timing: string;
    readonly motions: string;
    readonly seats?: string;
  };
  /** Set when a careful reader could reasonably label it otherwise: why. */
  readonly debatable?: string;
}

export interface Case {
  readonly id: string;
  readonly plan: Plan;
  readonly seats: number;
  readonly modules?: readonly ModuleId[];
  /** Days until renewal; absent = a default 150-330 days out; null = no renewal date in the CRM. */
  readonly renewalIn?: number | null;
  /** Days since the customer's first contract (default two years). */
  readonly tenure?: number;
  readonly employees?: number;
  readonly headcount?: number;
  readonly nps?: number;
  readonly csat?: number;
  readonly escalations?: number;
  readonly overdue?: number;
  readonly championLeftAgo?: number;
  readonly execAgo?: number;
  /** Absent: the CRM has no value (no NPS on file, ...), which is not a risk. */
  readonly sparse?: boolean;
  readonly usage: Shape;
  readonly label: Label;
}

/**
 * A CS leader's acceptable seat-add size: at least enough that assigned seats sit under 85% of the new
 * license, at most enough that they sit at 70% after the growth expected over the next half year.
 */
export function seatRange(licensed: number, utilization: number, halfYearGrowth = 0): readonly [number, number] {
  const used = licensed * utilization;
  const min = Math.max(1, Math.ceil(used / 0.85) - licensed);
  const max = Math.max(min + 2, Math.ceil((used * (1 + halfYearGrowth)) / 0.7) - licensed);
  return [min, max];
}

export const flat = (value: number): Curve => [
  [99, value],
  [0, value],
];
/** From `from` at `start` days ago to `to` at `end` days ago, flat on both sides. */
export const ramp = (from: number, to: number, start = 99, end = 0): Curve => [
  [99, from],
  [start, from],
  [end, to],
  [0, to],
];
/** A step from `before` to `after`, `since` days ago (over three days, as seats get assigned). */
export const step = (before: number, after: number, since: number): Curve => ramp(before, after, since + 3, since);

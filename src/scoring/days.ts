import type { UsageDay } from '../model/usage.ts';

/** One usage day reduced to what scoring reads, with its date as a day number for cheap arithmetic. */
export interface Day {
  /** Days since 1970-01-01 (UTC). */
  readonly day: number;
  /** Undefined when the source did not collect the count that day: not zero, just unknown. */
  readonly activeUsers: number | undefined;
  readonly seatsUsed: number | undefined;
  /** Per-feature event counts and named usage metrics for the day (see config powerUsers, teams). */
  readonly events: Readonly<Record<string, number>>;
}

/**
 * Day number of a `YYYY-MM-DD` date (already validated by the model's schema), by Howard Hinnant's
 * days-from-civil arithmetic (https://howardhinnant.github.io/date_algorithms.html#days_from_civil):
 * scoring reads 100,000 accounts x 90 days, and slicing plus Date.UTC per row was measurable there.
 */
export function dayNumber(iso: string): number {
  const digit = (i: number): number => iso.charCodeAt(i) - 48;
  const year0 = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const month = digit(5) * 10 + digit(6);
  const day = digit(8) * 10 + digit(9);
  const year = month <= 2 ? year0 - 1 : year0;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * `YYYY-MM-DD` of a day number, by Howard Hinnant's civil-from-days arithmetic
 * (https://howardhinnant.github.io/date_algorithms.html#civil_from_days): the demo writes millions of
 * usage rows and a Date plus toISOString per row was most of its time. Four-digit years only.
 */
export function isoDate(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${month < 10 ? '0' : ''}${month}-${dayOfMonth < 10 ? '0' : ''}${dayOfMonth}`;
}

/** `from..to` as evidence windows state a period. */
export function period(from: number, to: number): string {
  return `${isoDate(from)}..${isoDate(to)}`;
}

/**
 * The account's days from `asOf - historyDays + 1` to `asOf`, in date order, one per date. Rows after
 * asOf are ignored (a backfill must not leak the future into a past assessment); when a date repeats,
 * the row given last wins, as a re-delivered day replaces the earlier one.
 */
export function prepareUsage(
  usage: readonly UsageDay[],
  options: { readonly asOf: number; readonly historyDays: number },
): Day[] {
  const from = options.asOf - options.historyDays + 1;
  const days: Day[] = [];
  let ordered = true;
  for (const row of usage) {
    const day = dayNumber(row.date);
    if (day < from || day > options.asOf) continue;
    const previous = days.at(-1);
    if (previous !== undefined && previous.day >= day) ordered = false;
    days.push({ day, activeUsers: row.activeUsers, seatsUsed: row.seatsUsed, events: row.events });
  }
  // Stores hand rows over in date order, one per day; only otherwise pay for dedupe and sort.
  if (ordered) return days;
  const byDay = new Map<number, Day>();
  for (const d of days) byDay.set(d.day, d);
  return [...byDay.values()].sort((a, b) => a.day - b.day);
}

/** Days whose date falls in `[from, to]`; `days` is in date order. */
export function daysBetween<T extends Day>(days: readonly T[], from: number, to: number): T[] {
  return days.filter((d) => d.day >= from && d.day <= to);
}

/** The values of a measure on the days that collected it. */
export function collected(days: readonly Day[], pick: (d: Day) => number | undefined): number[] {
  const out: number[] = [];
  for (const d of days) {
    const value = pick(d);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/**
 * Mean after dropping the lowest and the highest `share` of values: a holiday, a day the pipeline
 * half-delivered or a three-day spike moves a plain mean; a trimmed one barely.
 */
export function trimmedMean(values: readonly number[], share: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * share);
  return mean(sorted.slice(cut, sorted.length - cut));
}

/** The `p` quantile (0..1) of values, nearest-rank: always one of the observed values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? 0;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));
export const clamp01 = (value: number): number => clamp(value, 0, 1);
export const round2 = (value: number): number => Math.round(value * 100) / 100;

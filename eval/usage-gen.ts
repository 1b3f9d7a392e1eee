import { UsageDaySchema, type UsageDay } from '../src/model/usage.ts';
import { daysAgo, isWeekend } from './calendar.ts';
import { between, createRandom, seedFor, type Random } from './prng.ts';
import type { Scenario, UsageSpec } from './scenario.ts';

const TEAMS = ['engineering', 'sales', 'marketing'] as const;
const NEW_TEAM = 'team_support';
/** The new team shows up this many days before asOf: inside the 14-day recent window, absent before. */
const NEW_TEAM_DAYS = 13;
const TREND_DAYS = 28;

/** Day offsets (days before asOf) that carry a usage row, oldest first. */
export function rowOffsets(spec: UsageSpec): number[] {
  const offsets: number[] = [];
  for (let k = spec.historyDays - 1; k >= spec.lastRowDaysAgo; k -= 1) {
    if (!spec.weekendRows && isWeekend(daysAgo(k))) continue;
    if (spec.outages.some(([from, to]) => k <= from && k >= to)) continue;
    offsets.push(k);
  }
  return offsets;
}

export const seatsMissing = (spec: UsageSpec, k: number): boolean =>
  spec.seatsMissingEvery > 0 && k % spec.seatsMissingEvery === 3;
export const usersMissing = (spec: UsageSpec, k: number): boolean =>
  spec.usersMissingEvery > 0 && k % spec.usersMissingEvery === 5;

export function seatBandAt(spec: UsageSpec, k: number): readonly [number, number] {
  let band: readonly [number, number] = spec.seatBase;
  for (const b of spec.seatBands) if (k <= b.from && k >= b.to) band = [b.low, b.high];
  return band;
}

/** Integer seats a band allows: the generator clamps into these, so they are hard bounds. */
export function seatBounds(licensed: number, band: readonly [number, number]): readonly [number, number] {
  return [Math.ceil(licensed * band[0] - 1e-9), Math.floor(licensed * band[1] + 1e-9)];
}

/** Each extra's total spread evenly over its observed days, earliest days taking the remainder. */
export function extrasByDay(spec: UsageSpec): Map<number, Record<string, number>> {
  const rows = new Set(rowOffsets(spec));
  const byDay = new Map<number, Record<string, number>>();
  for (const extra of spec.extras) {
    const days: number[] = [];
    for (let k = extra.from; k >= extra.to; k -= 1) if (rows.has(k)) days.push(k);
    days.forEach((k, i) => {
      const count = Math.floor(extra.total / days.length) + (i < extra.total % days.length ? 1 : 0);
      if (count === 0) return;
      const events = byDay.get(k) ?? {};
      events[extra.feature] = (events[extra.feature] ?? 0) + count;
      byDay.set(k, events);
    });
  }
  return byDay;
}

/** Unbiased rounding, so small rates on small accounts keep their mean. */
const roundRandom = (random: Random, value: number): number => Math.floor(value + random());

function seatsOn(spec: UsageSpec, k: number, random: Random): number {
  const band = seatBandAt(spec, k);
  const [low, high] = seatBounds(spec.licensed, band);
  const value = Math.round(spec.licensed * between(random, band[0], band[1]));
  return low <= high ? Math.min(high, Math.max(low, value)) : value;
}

function metricsOn(spec: UsageSpec, k: number, users: number, featureTotal: number): Record<string, number> {
  const metrics: Record<string, number> = {};
  metrics['power_users'] = spec.powerUsers ? Math.max(4, Math.round(users * 0.12)) : Math.round(users * 0.04);
  metrics['top_decile_events'] = Math.round(featureTotal * (spec.powerUsers ? 0.66 : 0.3));
  // Teams need a baseline (days 31-60) before a new one can be told apart from a short history.
  if (spec.historyDays < 61) return metrics;
  const shares = spec.users >= 24 ? [0.5, 0.3, 0.2] : spec.users >= 12 ? [0.6, 0.4] : [1];
  shares.forEach((share, i) => {
    const value = Math.round(users * share);
    if (value > 0) metrics[`team_${TEAMS[i] ?? 'other'}`] = value;
  });
  if (spec.newTeam && k <= NEW_TEAM_DAYS) metrics[NEW_TEAM] = 4;
  return metrics;
}

/** Active users a day is built around before noise: weekends at half, the last 28 days changed. */
export const usersLevel = (spec: UsageSpec, k: number): number =>
  spec.users * (k < TREND_DAYS ? 1 + spec.usersChange : 1) * (isWeekend(daysAgo(k)) ? 0.5 : 1);
const perUserLevel = (spec: UsageSpec, k: number): number => (k < TREND_DAYS ? 1 + spec.eventsPerUserChange : 1);

/** Feature events a day is built around before noise (the metrics aside). */
export function eventsLevel(spec: UsageSpec, k: number, extras: Readonly<Record<string, number>> | undefined): number {
  const rates = Object.values(spec.mix).reduce((sum, rate) => sum + rate, 0);
  const added = Object.values(extras ?? {}).reduce((sum, n) => sum + n, 0);
  return usersLevel(spec, k) * perUserLevel(spec, k) * rates + added;
}

function dayRow(scenario: Scenario, k: number, random: Random, extras: Record<string, number> | undefined): UsageDay {
  const spec = scenario.usage;
  const date = daysAgo(k);
  const users = Math.max(1, Math.round(usersLevel(spec, k) * between(random, 0.94, 1.06)));
  const perUser = perUserLevel(spec, k);
  const events: Record<string, number> = {};
  for (const [feature, rate] of Object.entries(spec.mix)) {
    const count = roundRandom(random, users * rate * perUser * between(random, 0.9, 1.1));
    if (count > 0) events[feature] = count;
  }
  for (const [feature, count] of Object.entries(extras ?? {})) events[feature] = (events[feature] ?? 0) + count;
  const featureTotal = Object.values(events).reduce((s, n) => s + n, 0);
  const seats = seatsOn(spec, k, random);
  if (spec.metrics) Object.assign(events, metricsOn(spec, k, users, featureTotal));
  return UsageDaySchema.parse({
    accountKey: scenario.account.usageKey ?? scenario.account.id,
    date,
    events,
    ...(usersMissing(spec, k) ? {} : { activeUsers: users }),
    ...(seatsMissing(spec, k) ? {} : { seatsUsed: seats }),
  });
}

/**
 * The scenario's usage rows, oldest first; the same rows on every call. Day noise repeats every 28 days,
 * so the two trend windows carry the same noise and their ratio is the one the scenario was built with.
 */
export function generateUsage(scenario: Scenario): UsageDay[] {
  const extras = extrasByDay(scenario.usage);
  return rowOffsets(scenario.usage).map((k) => {
    const random = createRandom(seedFor(`usage:${scenario.id}:${k % TREND_DAYS}`));
    return dayRow(scenario, k, random, extras.get(k));
  });
}

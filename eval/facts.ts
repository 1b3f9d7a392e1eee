import type { Account } from '../src/model/account.ts';
import { AS_OF, daysBetween } from './calendar.ts';
import { BOOK_MODULES, higherPlanFeatures, isPlan, MODULES, nextPlan, type ModuleId } from './catalog.ts';
import { MARGIN, POLICY } from './policy.ts';
import type { Scenario, UsageSpec } from './scenario.ts';
import {
  eventsLevel,
  extrasByDay,
  rowOffsets,
  seatBandAt,
  seatBounds,
  seatsMissing,
  usersLevel,
  usersMissing,
} from './usage-gen.ts';

/** A scenario whose construction sits too close to a threshold to carry a label: a bug in the book. */
export class BookError extends Error {}

/** What a scenario was built to show, in the policy's terms. Read from the construction, never from scoring. */
export interface Facts {
  readonly thin: boolean;
  readonly trend?: { readonly users: number; readonly events: number };
  readonly growth: boolean;
  readonly declineYellow: boolean;
  readonly declineRed: boolean;
  readonly stale: boolean;
  readonly seat: boolean;
  readonly seatDipped: boolean;
  readonly explored: readonly string[];
  readonly graduation: boolean;
  readonly workarounds: readonly ModuleId[];
  readonly ownedWorkarounds: readonly ModuleId[];
  readonly adjacency: readonly ModuleId[];
  readonly headcount: boolean;
  readonly power: boolean;
  readonly newTeam: boolean;
  readonly exec: boolean;
  readonly renewal: 'hold' | 'window' | 'later';
  readonly ramping: boolean;
  readonly risks: readonly string[];
  readonly redCauses: readonly string[];
}

const near = (value: number, threshold: number, margin: number): boolean => Math.abs(value - threshold) < margin;
const fail = (s: Scenario, what: string): never => {
  throw new BookError(`${s.id}: ${what}`);
};

type TrendFacts = Pick<Facts, 'thin' | 'trend' | 'growth' | 'declineYellow' | 'declineRed'>;

function trendFacts(s: Scenario, offsets: readonly number[]): TrendFacts {
  const { minDaysPerWindow, windowDays, growthAt, yellowDecline, redDecline } = POLICY.trend;
  const last = offsets.filter((k) => k < windowDays).length;
  const prior = offsets.filter((k) => k >= windowDays && k < 2 * windowDays).length;
  if (near(last, minDaysPerWindow, 2) || near(prior, minDaysPerWindow, 2)) {
    fail(s, `trend window of ${Math.min(last, prior)} days sits on the history minimum`);
  }
  if (last < minDaysPerWindow || prior < minDaysPerWindow) {
    return { thin: true, growth: false, declineYellow: false, declineRed: false };
  }
  // The change the construction implies for each measure, read with and without trimming: weekends, outages
  // and a stale tail change the mix of days, so the built change is measured on the built days.
  const extras = extrasByDay(s.usage);
  const usersOn = (k: number): number[] => (usersMissing(s.usage, k) ? [] : [usersLevel(s.usage, k)]);
  const eventsOn = (k: number): number[] => [eventsLevel(s.usage, k, extras.get(k))];
  const readings = [0, POLICY.trend.trimShare].flatMap((trim) => {
    const users = windowChange(offsets, usersOn, trim);
    const events = windowChange(offsets, eventsOn, trim);
    return [{ users, events, growth: Math.max(users, events), decline: Math.min(users, events) }];
  });
  const agree = (value: (r: (typeof readings)[number]) => number, threshold: number, above: boolean): boolean => {
    const sides = readings.map((r) => (above ? value(r) >= threshold : value(r) <= threshold));
    if (readings.some((r) => near(value(r), threshold, MARGIN.trend)) || new Set(sides).size > 1) {
      fail(s, `trend too close to ${threshold}`);
    }
    return sides[0] ?? false;
  };
  const [first] = readings;
  return {
    thin: false,
    ...(first === undefined ? {} : { trend: { users: first.users, events: first.events } }),
    growth: agree((r) => r.growth, growthAt, true),
    declineYellow: agree((r) => r.decline, yellowDecline, false),
    declineRed: agree((r) => r.decline, redDecline, false),
  };
}

function trimmedMean(values: readonly number[], trim: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * trim);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((sum, v) => sum + v, 0) / Math.max(1, kept.length);
}

/** Last 28 days against the 28 before, per observed day. */
function windowChange(offsets: readonly number[], value: (k: number) => number[], trim: number): number {
  const days = POLICY.trend.windowDays;
  const last = offsets.filter((k) => k < days).flatMap(value);
  const prior = offsets.filter((k) => k >= days && k < 2 * days).flatMap(value);
  return trimmedMean(last, trim) / trimmedMean(prior, trim) - 1;
}

interface SeatReading {
  readonly countRows: boolean;
  readonly gapEndsActive: boolean;
  readonly upper: boolean;
}

/** The seat signal's state machine over the bounds the generator clamps seats into, under one reading. */
interface SeatState {
  readonly active: boolean;
  readonly dipped: boolean;
}

function seatState(spec: UsageSpec, offsets: readonly number[], reading: SeatReading): SeatState {
  const { enterAt, exitBelow, minDays, maxGapDays } = POLICY.seats;
  let active = false;
  let dipped = false;
  let runStart: number | undefined;
  let runRows = 0;
  let previous: number | undefined;
  for (const k of offsets) {
    if (seatsMissing(spec, k)) continue;
    if (previous !== undefined && previous - k - 1 > maxGapDays) {
      [runStart, runRows] = [undefined, 0];
      if (reading.gapEndsActive) active = false;
    }
    previous = k;
    const bounds = seatBounds(spec.licensed, seatBandAt(spec, k));
    const utilization = (reading.upper ? bounds[1] : bounds[0]) / spec.licensed;
    if (active) {
      if (utilization < exitBelow) [active, runStart, runRows] = [false, undefined, 0];
      else if (utilization < enterAt) dipped = true;
      continue;
    }
    if (utilization < enterAt) {
      [runStart, runRows] = [undefined, 0];
      continue;
    }
    runStart ??= k;
    runRows += 1;
    if ((reading.countRows ? runRows : runStart - k + 1) >= minDays) active = true;
  }
  return { active, dipped };
}

function seatFacts(s: Scenario, offsets: readonly number[]): Pick<Facts, 'seat' | 'seatDipped' | 'stale'> {
  const spec = s.usage;
  // Tomorrow's run sees the latest day one day older: keep away from the limit on both days.
  if (near(spec.lastRowDaysAgo, POLICY.seats.staleAfterDays + 0.5, 2.5)) fail(s, 'latest usage on the staleness limit');
  const stale = spec.lastRowDaysAgo > POLICY.seats.staleAfterDays;
  for (const k of offsets) {
    const [low, high] = seatBounds(spec.licensed, seatBandAt(spec, k));
    if (low > high) fail(s, `seat band at day -${k} holds no whole seat count`);
  }
  // The rule can be read with runs counted in rows or in calendar days, and with a long gap ending an active
  // signal or not; seats lie anywhere within their band. A label holds only when every reading agrees.
  const both = [true, false];
  const readings = both.flatMap((countRows) =>
    both.flatMap((gapEndsActive) => both.map((upper) => seatState(spec, offsets, { countRows, gapEndsActive, upper }))),
  );
  const active = readings.map((r) => r.active);
  if (active.some((a) => a !== active[0])) fail(s, 'seat signal differs between readings of the rule');
  const fired = (active[0] ?? false) && s.account.licensedSeats !== undefined && !stale;
  return { seat: fired, seatDipped: readings.some((r) => r.dipped), stale };
}

function graduationFacts(s: Scenario): Pick<Facts, 'explored' | 'graduation'> {
  const plan = s.account.plan;
  if (!isPlan(plan)) return { explored: [], graduation: false };
  const higher = new Set(higherPlanFeatures(plan));
  if (Object.keys(s.usage.mix).some((f) => higher.has(f))) fail(s, 'daily mix uses a higher plan feature');
  const window = POLICY.graduation.windowDays;
  for (const extra of s.usage.extras) {
    if (extra.from >= window - 4 && extra.to <= window + 5) fail(s, `${extra.feature} extras straddle the window`);
  }
  const counts = new Map<string, number>();
  for (const [k, events] of extrasByDay(s.usage)) {
    if (k >= window) continue;
    for (const [feature, n] of Object.entries(events)) {
      if (higher.has(feature)) counts.set(feature, (counts.get(feature) ?? 0) + n);
    }
  }
  const explored = [...counts]
    .filter(([, n]) => n >= POLICY.graduation.minEvents)
    .map(([f]) => f)
    .sort();
  return { explored, graduation: explored.length >= POLICY.graduation.minFeatures && nextPlan(plan) !== undefined };
}

/** Weekly rates per active user a rule may read: with or without the days that have no row. */
function weeklyRates(spec: UsageSpec, offsets: readonly number[], perDay: number): number[] {
  const observed = offsets.filter((k) => k < 30).length;
  return [1, 1 + spec.eventsPerUserChange].flatMap((f) => [perDay * f * 7, perDay * f * 7 * (observed / 30)]);
}

type ModuleFacts = Pick<Facts, 'workarounds' | 'ownedWorkarounds' | 'adjacency'>;

function moduleFacts(s: Scenario, offsets: readonly number[]): ModuleFacts {
  const spec = s.usage;
  const meanUsers = spec.users * (1 + spec.usersChange) * (spec.weekendRows ? 6 / 7 : 1);
  const extras = extrasByDay(spec);
  const recentExtras = [...extras].filter(([k]) => k < 30).map(([, e]) => e);
  const extraPerDay = (feature: string): number =>
    recentExtras.reduce((sum, e) => sum + (e[feature] ?? 0), 0) / 30 / meanUsers;
  const side = (rates: number[], threshold: number, margin: number, what: string): boolean => {
    const split = new Set(rates.map((r) => r >= threshold)).size > 1;
    if (split || rates.some((r) => near(r, threshold, margin))) fail(s, `${what} too close to ${threshold} a week`);
    return (rates[0] ?? 0) >= threshold;
  };
  const rule = POLICY.workaround;
  const adjacentPerUserPerWeek = POLICY.adjacentPerUserPerWeek;
  const owned = new Set(s.account.modulesOwned);
  const workarounds: ModuleId[] = [];
  const ownedWorkarounds: ModuleId[] = [];
  const adjacency: ModuleId[] = [];
  for (const m of MODULES) {
    const { workaround, adjacent } = BOOK_MODULES[m];
    if (workaround !== undefined) {
      const perDay = spec.mix[workaround] ?? 0;
      const events = perDay * meanUsers * offsets.filter((k) => k < 30).length;
      const heavy = side(weeklyRates(spec, offsets, perDay), rule.perUserPerWeek, MARGIN.ratePerWeek, workaround);
      if (heavy && events > 12 && events < 35) fail(s, `${workaround} events near the minimum`);
      if (heavy && events >= 35) (owned.has(m) ? ownedWorkarounds : workarounds).push(m);
    }
    const perDay = adjacent.reduce((sum, f) => sum + (spec.mix[f] ?? 0) + extraPerDay(f), 0);
    if (side(weeklyRates(spec, offsets, perDay), adjacentPerUserPerWeek, MARGIN.adjacentPerWeek, `${m} adjacent`)) {
      adjacency.push(m);
    }
  }
  return { workarounds, ownedWorkarounds, adjacency };
}

/** Days from a CRM date to asOf; a boundary that tomorrow's run would cross is refused. */
function daysSince(s: Scenario, date: string | undefined, limit: number): number | undefined {
  if (date === undefined) return undefined;
  const days = daysBetween(date, AS_OF);
  if (days === limit) fail(s, `a date ${days} days back flips tomorrow`);
  return days;
}

type CrmFacts = Pick<Facts, 'headcount' | 'exec' | 'renewal' | 'ramping'> & { championGone: boolean };

const within = (days: number | undefined, limit: number): boolean => days !== undefined && days >= 0 && days <= limit;

function crmFacts(s: Scenario): CrmFacts {
  const a: Account = s.account;
  const exec = daysSince(s, a.executiveEngagedOn, POLICY.executiveWithinDays);
  const champion = daysSince(s, a.championDepartedOn, POLICY.championWithinDays);
  const tenure = daysSince(s, a.customerSince, POLICY.tenureDays - 1);
  const untilRenewal = a.renewalDate === undefined ? undefined : daysBetween(AS_OF, a.renewalDate);
  const { holdWithinDays, windowEndDays } = POLICY.renewal;
  if (untilRenewal === holdWithinDays + 1 || untilRenewal === windowEndDays + 1 || (untilRenewal ?? 1) < 1) {
    fail(s, 'renewal date flips tomorrow');
  }
  const renewal = within(untilRenewal, holdWithinDays)
    ? 'hold'
    : within(untilRenewal, windowEndDays)
      ? 'window'
      : 'later';
  return {
    headcount: (a.headcountGrowth ?? 0) >= POLICY.headcountGrowthAt,
    exec: within(exec, POLICY.executiveWithinDays),
    renewal,
    ramping: tenure !== undefined && tenure < POLICY.tenureDays,
    championGone: within(champion, POLICY.championWithinDays),
  };
}

function riskFacts(a: Account, trend: TrendFacts, championGone: boolean): Pick<Facts, 'risks' | 'redCauses'> {
  const { risk, red } = POLICY;
  const risks: string[] = [];
  if (a.nps !== undefined && a.nps <= risk.npsAtMost) risks.push(`NPS ${a.nps}`);
  if (a.csat !== undefined && a.csat < risk.csatBelow) risks.push(`CSAT ${a.csat}`);
  if ((a.openEscalations ?? 0) >= risk.escalationsAt) risks.push(`${a.openEscalations} escalation(s)`);
  if ((a.paymentOverdueDays ?? 0) >= risk.overdueDaysAt) risks.push(`invoice ${a.paymentOverdueDays}d overdue`);
  if (championGone) risks.push('champion departed');
  if (trend.declineYellow) risks.push('usage decline');
  const redCauses: string[] = [];
  if (trend.declineRed) redCauses.push('sharp decline');
  if (a.nps !== undefined && a.nps <= red.npsAtMost) redCauses.push(`NPS ${a.nps}`);
  if ((a.paymentOverdueDays ?? 0) >= red.overdueDaysAt) redCauses.push(`invoice ${a.paymentOverdueDays}d overdue`);
  if ((a.openEscalations ?? 0) >= red.escalationsAt) redCauses.push(`${a.openEscalations} escalations`);
  if (risks.length >= red.riskCount) redCauses.push(`${risks.length} risks`);
  return { risks, redCauses };
}

export function factsOf(s: Scenario): Facts {
  const offsets = rowOffsets(s.usage);
  const seat = seatFacts(s, offsets);
  // Policy clarification after the first run: usage gone stale is too thin to read a trend from.
  const trend: TrendFacts = seat.stale
    ? { thin: true, growth: false, declineYellow: false, declineRed: false }
    : trendFacts(s, offsets);
  const spec = s.usage;
  const hasRecentRows = offsets.some((k) => k < 14);
  const baseline = spec.metrics && spec.historyDays >= POLICY.teams.minHistoryDays && hasRecentRows;
  if (spec.newTeam && !baseline) fail(s, 'new team without a baseline');
  const { championGone, ...crm } = crmFacts(s);
  return {
    ...trend,
    ...seat,
    ...graduationFacts(s),
    ...moduleFacts(s, offsets),
    ...crm,
    power: spec.metrics && spec.powerUsers && offsets.some((k) => k < 30),
    newTeam: spec.newTeam,
    ...riskFacts(s.account, trend, championGone),
  };
}

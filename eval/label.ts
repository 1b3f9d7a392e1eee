import type { Health, Timing } from '../src/model/assessment.ts';
import type { UsageDay } from '../src/model/usage.ts';
import { AS_OF, daysBetween } from './calendar.ts';
import { BOOK_PLANS, isPlan, nextPlan, type ModuleId } from './catalog.ts';
import { BookError, type Facts } from './facts.ts';
import { POLICY, SEED } from './policy.ts';
import type { Scenario } from './scenario.ts';

/** A pitched motion as the book names it: `seat_add`, `tier_upgrade` or `module_cross_sell:<module>`. */
export type PitchKey = string;
export const crossSellKey = (module: string): PitchKey => `module_cross_sell:${module}`;

export interface Expected {
  readonly health: Health;
  readonly timing: Timing;
  readonly pitches: readonly PitchKey[];
  /** Seats to add, inclusive, when a seat add is expected. */
  readonly seatRange?: readonly [number, number];
  readonly rationale: string;
}

const DEFAULT_SEAT_PRICE = 600;

function percentiles(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const rank = sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)] ?? 0;
  const position = 0.9 * (sorted.length - 1);
  const low = sorted[Math.floor(position)] ?? 0;
  const high = sorted[Math.ceil(position)] ?? low;
  return [rank, low + (high - low) * (position - Math.floor(position))];
}

/**
 * The seat-add range from the seats the generator wrote over the recent window (p90 read both by rank and
 * by interpolation, with or without asOf's own day): enough to bring p90 to 80% at least, 70% at most.
 */
export function seatRange(s: Scenario, facts: Facts, rows: readonly UsageDay[]): [number, number] {
  const licensed = s.account.licensedSeats ?? s.usage.licensed;
  const ago = (d: UsageDay): number => daysBetween(d.date, AS_OF);
  const recent = POLICY.sizing.recentDays;
  const windows = [
    [0, recent - 1],
    [0, recent],
    [1, recent],
  ] as const;
  const seatsIn = (from: number, to: number): number[] =>
    rows.filter((d) => ago(d) >= from && ago(d) <= to).flatMap((d) => (d.seatsUsed === undefined ? [] : [d.seatsUsed]));
  const p90s = windows.flatMap(([from, to]) => percentiles(seatsIn(from, to)));
  const hiring = facts.headcount ? 1 + (s.account.headcountGrowth ?? 0) * (POLICY.sizing.horizonDays / 365) : 1;
  const cap = Math.floor(licensed * POLICY.sizing.maxAddShare);
  const low = Math.ceil(Math.min(...p90s) / POLICY.sizing.lowUtilization) - licensed;
  const hired = facts.headcount ? 1 : 0;
  const high = Math.ceil((Math.max(...p90s) * hiring) / POLICY.sizing.highUtilization) - licensed + hired;
  const lowSeats = Math.max(POLICY.sizing.minSeats, Math.min(low, cap));
  return [lowSeats, Math.max(lowSeats, Math.min(high, cap))];
}

function healthOf(facts: Facts, signals: readonly string[]): Health {
  if (facts.redCauses.length > 0) return 'red';
  // Policy clarification after the first run: renewal proximity is timing, never health.
  if (facts.risks.length > 0 || facts.thin || signals.filter((id) => id !== 'renewal_window').length === 0)
    return 'yellow';
  return 'green';
}

export function expansionSignals(facts: Facts): string[] {
  const signals: Array<[boolean, string]> = [
    [facts.seat, 'seat_utilization'],
    [facts.growth, 'usage_growth'],
    [facts.graduation, 'feature_graduation'],
    [facts.headcount, 'headcount_growth'],
    [facts.power, 'power_users'],
    [facts.newTeam, 'new_team'],
    [facts.exec, 'executive_engagement'],
    [facts.renewal === 'window', 'renewal_window'],
  ];
  const fired = signals.filter(([on]) => on).map(([, id]) => id);
  return [...fired, ...facts.workarounds.map((m) => `module_workaround:${m}`)];
}

interface Pitching {
  readonly pitches: PitchKey[];
  readonly seatRange?: [number, number];
  readonly notes: string[];
}

function pitchesOf(s: Scenario, facts: Facts, rows: readonly UsageDay[]): Pitching {
  const notes: string[] = [];
  const pitches: PitchKey[] = [];
  let range: [number, number] | undefined;
  if (facts.seat) {
    range = seatRange(s, facts, rows);
    const price = isPlan(s.account.plan) ? BOOK_PLANS[s.account.plan].seatPrice : DEFAULT_SEAT_PRICE;
    if (range[0] * price >= POLICY.minDealArr) pitches.push('seat_add');
    else if (range[1] * price < POLICY.minDealArr) notes.push(`seat add ${range[1]} seats: ${SEED.small}`);
    else throw new BookError(`${s.id}: seat add straddles the minimum deal size`);
  }
  const plan = s.account.plan;
  if (facts.graduation && isPlan(plan) && nextPlan(plan) !== undefined) pitches.push('tier_upgrade');
  const owned = new Set(s.account.modulesOwned);
  const confirmed = new Set<ModuleId>(facts.workarounds);
  const like = s.adopterLike;
  if (like !== undefined && facts.adjacency.includes(like) && !owned.has(like)) confirmed.add(like);
  for (const m of confirmed) pitches.push(crossSellKey(m));
  return { pitches: pitches.sort(), notes, ...(range === undefined ? {} : { seatRange: range }) };
}

function timingOf(facts: Facts, health: Health, pitched: number, signals: readonly string[]): Timing {
  if (health === 'red' || facts.renewal === 'hold') return 'hold';
  if (facts.risks.length > 0 || facts.thin || facts.ramping) return '90d';
  const urgent = facts.seat || signals.length >= 2 || facts.renewal === 'window';
  if (health === 'green' && pitched > 0 && urgent) return 'now';
  return '30d';
}

function reasonsOf(facts: Facts, health: Health, timing: Timing, identified: number): string[] {
  const reasons: string[] = [];
  if (health === 'red') reasons.push(`red (${facts.redCauses.join(', ')}): ${SEED.red}`);
  else if (facts.risks.length > 0) reasons.push(`one risk (${facts.risks.join(', ')}): ${SEED.risk}`);
  if (facts.seat) reasons.push(facts.seatDipped ? SEED.seatDip : SEED.seat);
  if (facts.graduation) reasons.push(SEED.graduation);
  if (facts.workarounds.length > 0) reasons.push(SEED.workaround);
  if (facts.growth) reasons.push(SEED.growth);
  if (facts.renewal === 'hold') reasons.push(SEED.renewalHold);
  if (facts.renewal === 'window') reasons.push(SEED.renewalWindow);
  if (facts.ramping) reasons.push(SEED.ramping);
  if (facts.thin) reasons.push(SEED.thin);
  if (health === 'yellow' && facts.risks.length === 0 && !facts.thin) reasons.push(SEED.flat);
  if (timing === 'hold' && identified > 0) reasons.push('identified, not pitched');
  return reasons;
}

/** The expert's label: the policy applied to what the scenario was built to show. */
export function labelOf(s: Scenario, facts: Facts, rows: readonly UsageDay[]): Expected {
  const signals = expansionSignals(facts);
  const health = healthOf(facts, signals);
  const identified = pitchesOf(s, facts, rows);
  const blocked = health === 'red' || facts.renewal === 'hold' || facts.ramping;
  const pitches = blocked ? [] : identified.pitches;
  const timing = timingOf(facts, health, pitches.length, signals);
  const like = s.adopterLike;
  if (like !== undefined && !blocked) {
    identified.notes.push(pitches.includes(crossSellKey(like)) ? SEED.affinity : SEED.watch);
  }
  const reasons = [...reasonsOf(facts, health, timing, identified.pitches.length), ...identified.notes];
  return {
    health,
    timing,
    pitches,
    ...(identified.seatRange !== undefined && pitches.includes('seat_add') ? { seatRange: identified.seatRange } : {}),
    rationale: `${s.note} | ${reasons.join('; ')}`,
  };
}

import type { Account } from '../model/account.ts';
import type { Evidence, Signal } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { clamp01, daysBetween, isoDate, mean, period, round2, type Day } from './days.ts';
import { citations, plural, wholePercent } from './evidence.ts';
import type { Evaluation } from './result.ts';

export const SEAT_SIGNAL_ID = 'seat_utilization';

/** Named evidence so the narrative cites exactly what the signal measured. */
export interface SeatEvidence {
  readonly utilization: Evidence;
  readonly threshold: Evidence;
  readonly daysSustained: Evidence;
  readonly weeksSustained: Evidence;
  readonly licensedSeats: Evidence;
  readonly seatsUsed: Evidence;
  readonly averageSeatsUsed: Evidence;
}

export interface SeatFacts {
  readonly active: boolean;
  /** Seats used / licensed on the latest day. */
  readonly utilization: number;
  readonly licensedSeats: number;
  readonly latestSeatsUsed: number;
  /** Days from the start of the current active run to the latest day; 0 when inactive. */
  readonly daysSustained: number;
  readonly strength: number;
  readonly evidence: SeatEvidence;
  readonly signal: Signal | undefined;
}

export interface SeatInput {
  readonly account: Account;
  /** The account's days in date order, up to asOf. */
  readonly days: readonly Day[];
  readonly asOf: number;
  readonly config: ScoringConfig;
}

export function evaluateSeatUtilization(input: SeatInput): Evaluation<SeatFacts> {
  const licensed = input.account.licensedSeats;
  const missing: string[] = [];
  // Zero licensed seats is no contract to measure against, not 100% of nothing.
  if (licensed === undefined || licensed === 0) missing.push('licensedSeats');
  // Days that did not collect seats used are no evidence either way: the walk steps over them.
  const days = input.days.filter((d): d is SeatDay => d.seatsUsed !== undefined);
  if (days.length === 0) missing.push(input.days.length === 0 ? 'usage' : 'usage.seatsUsed');
  const latest = days.at(-1);
  if (licensed === undefined || licensed === 0 || latest === undefined) {
    return { evaluated: false, missing, reason: missingReason(missing) };
  }
  if (input.asOf - latest.day > input.config.seatUtilization.staleAfterDays) {
    return {
      evaluated: false,
      missing: ['usage.recent'],
      reason: 'Usage data is stale (no recent days), so seat utilization was not evaluated.',
    };
  }
  const run = walk(input.days, licensed, input.config);
  const utilization = latest.seatsUsed / licensed;
  const daysSustained = run.active ? latest.day - run.start + 1 : 0;
  const strength = run.active ? seatStrength({ utilization, daysSustained, config: input.config }) : 0;
  const evidence = seatEvidence({ latest, licensed, daysSustained, runStart: run.start, days, config: input.config });
  return {
    evaluated: true,
    active: run.active,
    utilization,
    licensedSeats: licensed,
    latestSeatsUsed: latest.seatsUsed,
    daysSustained,
    strength,
    evidence,
    signal: run.active ? seatSignal(evidence, strength) : undefined,
  };
}

/** A day that collected seats used. */
type SeatDay = Day & { readonly seatsUsed: number };

function missingReason(missing: readonly string[]): string {
  if (missing.length === 2) return 'Licensed seats and usage are both missing, so seat utilization was not evaluated.';
  if (missing[0] === 'usage.seatsUsed')
    return 'The usage source does not collect seats used for this account, so seat utilization was not evaluated.';
  return missing[0] === 'usage'
    ? 'No usage rows for this account, so the usage signals were not evaluated.'
    : 'Licensed seats are not on the account, so seat utilization was not evaluated.';
}

/**
 * Hysteresis: the signal enters once utilization has held at or above enterAt for minDays calendar days
 * and leaves only on a day below the exit level, so an account hovering around the threshold does not
 * flap between runs. The exit level is exitBelow, or one seat under enterAt on a small licence, where a
 * single unassigned seat is several points. While entering, up to maxDipDays days in a row between the
 * exit level and enterAt do not restart the run (a quiet day is not the end of a crunch). A gap without
 * usage rows longer than maxGapDays ends the run, so "for 5 weeks" is always backed by data; a day with
 * rows but no seat count is stepped over, neither a gap nor a reading.
 */
function walk(days: readonly Day[], licensed: number, config: ScoringConfig): { active: boolean; start: number } {
  const { enterAt, minDays, maxGapDays, maxDipDays } = config.seatUtilization;
  const exitAt = Math.min(config.seatUtilization.exitBelow, (Math.ceil(enterAt * licensed - 1e-9) - 1) / licensed);
  let active = false;
  let inRun = false;
  let start = 0;
  let dips = 0;
  let previous = Number.NEGATIVE_INFINITY;
  for (const day of days) {
    if (day.day - previous > maxGapDays + 1) active = inRun = false;
    previous = day.day;
    if (day.seatsUsed === undefined) continue;
    const utilization = day.seatsUsed / licensed;
    if (utilization < exitAt) {
      active = inRun = false;
      continue;
    }
    if (active) continue;
    if (utilization < enterAt) {
      dips += 1;
      if (dips > maxDipDays) inRun = false;
      continue;
    }
    dips = 0;
    if (!inRun) {
      inRun = true;
      start = day.day;
    }
    active = day.day - start + 1 >= minDays;
  }
  return { active, start };
}

/** 0.4 on entering, rising with utilization (exitBelow -> 100%) and with duration (up to 4 x minDays). */
function seatStrength(options: {
  readonly utilization: number;
  readonly daysSustained: number;
  readonly config: ScoringConfig;
}): number {
  const { exitBelow, minDays } = options.config.seatUtilization;
  const byUtilization = exitBelow >= 1 ? 1 : clamp01((options.utilization - exitBelow) / (1 - exitBelow));
  const byDuration = clamp01(options.daysSustained / (4 * minDays));
  return round2(clamp01(0.4 + 0.3 * byUtilization + 0.3 * byDuration));
}

interface SeatEvidenceInput {
  readonly latest: SeatDay;
  readonly licensed: number;
  readonly daysSustained: number;
  readonly runStart: number;
  readonly days: readonly SeatDay[];
  readonly config: ScoringConfig;
}

function seatEvidence(input: SeatEvidenceInput): SeatEvidence {
  const { latest, licensed, daysSustained } = input;
  const on = isoDate(latest.day);
  const lastWeek = daysBetween(input.days, latest.day - 6, latest.day);
  const sustainedWindow = daysSustained > 0 ? period(input.runStart, latest.day) : on;
  return {
    utilization: {
      metric: 'seat_utilization',
      value: wholePercent(latest.seatsUsed / licensed),
      unit: 'percent',
      window: on,
      comparison: `${latest.seatsUsed} of ${licensed} licensed seats`,
      source: 'derived',
    },
    threshold: {
      metric: 'seat_utilization_threshold',
      value: wholePercent(input.config.seatUtilization.enterAt),
      unit: 'percent',
      window: 'config',
      source: 'config',
    },
    daysSustained: {
      metric: 'days_at_or_above_threshold',
      value: daysSustained,
      unit: 'days',
      window: sustainedWindow,
      source: 'derived',
    },
    weeksSustained: {
      metric: 'weeks_at_or_above_threshold',
      value: Math.floor(daysSustained / 7),
      unit: 'weeks',
      window: sustainedWindow,
      source: 'derived',
    },
    licensedSeats: {
      metric: 'licensed_seats',
      value: licensed,
      unit: 'seats',
      window: 'current contract',
      source: 'crm',
    },
    seatsUsed: { metric: 'seats_used', value: latest.seatsUsed, unit: 'seats', window: on, source: 'usage' },
    averageSeatsUsed: {
      metric: 'seats_used_7_day_average',
      value: Math.round(mean(lastWeek.map((d) => d.seatsUsed))),
      unit: 'seats',
      window: period(latest.day - 6, latest.day),
      source: 'usage',
    },
  };
}

/** "88% of 50 licensed seats in use, around 80% or more for 35 days" (hysteresis allows brief dips). */
function seatSignal(evidence: SeatEvidence, strength: number): Signal {
  const c = citations();
  const summary = `${c.cite(evidence.utilization)} of ${c.cite(evidence.licensedSeats)} licensed seats in use, around ${c.cite(evidence.threshold)} or more for ${plural(c.cite(evidence.daysSustained), evidence.daysSustained.value, 'day')}`;
  return { id: SEAT_SIGNAL_ID, kind: 'expansion', strength, summary, evidence: Object.values(evidence) };
}

/** "5 weeks", or "10 days" when the run is shorter than a week. */
export function sustainedPhrase(evidence: SeatEvidence, cite: (e: Evidence) => string): string {
  const weeks = evidence.weeksSustained.value;
  if (weeks >= 1) return plural(cite(evidence.weeksSustained), weeks, 'week');
  return plural(cite(evidence.daysSustained), evidence.daysSustained.value, 'day');
}

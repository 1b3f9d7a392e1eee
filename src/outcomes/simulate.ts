import type { Motion } from '../model/account.ts';
import { defaultScoringConfig } from '../scoring/config.ts';
import { logit } from './learn.ts';
import type { DealOutcome, PitchSnapshot, SignalStrength } from './types.ts';

/**
 * A quarter of pitches and outcomes drawn from a known process, for the recalibration tests and
 * `demo --simulate-quarter`. Deterministic for a seed.
 *
 * Each account shows each weighted signal with probability `fireRate`, at a strength uniform in 0.3..1. The
 * worker pitches it on a day of the quarter's first two months with the probability the configured model gives
 * (logit(base) + sum of configured weight / scale x strength, kept within 0.05..0.95 and rounded as the scoring
 * does). The deal closes 10..45 days later, won with the probability of the true process, whose weights differ
 * from the configured ones on purpose (`TRUE_PROCESS`); deals whose close date falls after the quarter stay open.
 */

/** The true conversion process, in logit units per unit of strength. */
export interface TrueProcess {
  readonly intercept: number;
  readonly weights: Readonly<Record<string, number>>;
}

/**
 * Wrong on purpose against the configured weights (seed 004's, over scale 6): seat utilization is configured
 * the strongest (5) but barely converts; renewal window (2) and executive engagement (4) convert far better
 * than configured. The intercept is lower than logit(0.25): the configured probabilities run high.
 */
export const TRUE_PROCESS: TrueProcess = {
  intercept: -2.2,
  weights: {
    seat_utilization: 0,
    usage_growth: 0.4,
    feature_graduation: 0.3,
    headcount_growth: 0.4,
    new_team_adoption: 0.4,
    power_user_concentration: 0.3,
    renewal_window: 2.6,
    executive_engagement: 2.8,
    module_workaround: 0.3,
  },
};

export interface SimulateOptions {
  readonly seed: number;
  readonly accounts?: number;
  readonly system?: string;
  /** First day of the quarter (YYYY-MM-DD). */
  readonly start?: string;
  /** Length of the quarter in days. */
  readonly days?: number;
  readonly fireRate?: number;
  readonly process?: TrueProcess;
  /** Configured weights the shown probabilities come from (score units), and the score scale and base. */
  readonly configured?: { readonly signalWeights: Readonly<Record<string, number>>; readonly scale: number };
  readonly base?: number;
}

export interface SimulatedHistory {
  readonly pitches: PitchSnapshot[];
  readonly outcomes: DealOutcome[];
  readonly process: TrueProcess;
  /** Last day of the quarter (YYYY-MM-DD): the as-of date the history is read on. */
  readonly end: string;
}

/** mulberry32: a small seeded uniform generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const addDays = (iso: string, days: number): string => {
  const date = new Date(`${iso}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The true win probability of a pitch showing these signals. */
export function trueWinProbability(signals: readonly SignalStrength[], process: TrueProcess = TRUE_PROCESS): number {
  return sigmoid(signals.reduce((z, s) => z + (process.weights[s.id] ?? 0) * s.strength, process.intercept));
}

/** Draws a quarter of pitches and outcomes; the same seed gives the same history. */
export function simulateQuarter(options: SimulateOptions): SimulatedHistory {
  const random = seededRandom(options.seed);
  const scoring = defaultScoringConfig();
  const configured = options.configured ?? scoring.score;
  const base = options.base ?? scoring.probability.base;
  const process = options.process ?? TRUE_PROCESS;
  const system = options.system ?? 'hubspot';
  const start = options.start ?? '2026-01-01';
  const days = options.days ?? 90;
  const end = addDays(start, days - 1);
  const fireRate = options.fireRate ?? 0.3;
  const ids = Object.keys(configured.signalWeights).sort();
  const pitches: PitchSnapshot[] = [];
  const outcomes: DealOutcome[] = [];
  for (let n = 0; n < (options.accounts ?? 1000); n += 1) {
    const signals: SignalStrength[] = [];
    for (const id of ids)
      if (random() < fireRate) signals.push({ id, strength: Math.round((0.3 + 0.7 * random()) * 100) / 100 });
    if (signals.length === 0) signals.push({ id: ids[Math.floor(random() * ids.length)]!, strength: 0.5 });
    const configuredLogit = signals.reduce(
      (z, s) => z + ((configured.signalWeights[s.id] ?? 0) / configured.scale) * s.strength,
      logit(base),
    );
    const shown = Math.round(Math.min(0.95, Math.max(0.05, sigmoid(configuredLogit))) * 100) / 100;
    const points = signals.reduce((p, s) => p + (configured.signalWeights[s.id] ?? 0) * s.strength, 0);
    const pitchDay = Math.floor(random() * Math.floor((days * 2) / 3));
    const asOf = addDays(start, pitchDay);
    const accountId = `sim-${String(n + 1).padStart(4, '0')}`;
    const ownerId = `owner-${(n % 5) + 1}`;
    const motion: Motion = 'seat_add';
    const adopted = random() < 0.1;
    const crmId = `sim-deal-${n + 1}`;
    const key = adopted ? `adopted:${crmId}` : `${accountId}:${motion}:${asOf.slice(0, 7)}`;
    const potentialArr = 6000 + Math.floor(random() * 40) * 1000;
    pitches.push({
      system,
      key,
      accountId,
      ownerId,
      motion,
      runId: `sim-run-${asOf}`,
      asOf,
      pitchedAt: `${asOf}T06:00:00.000Z`,
      signals,
      score: Math.round(100 * (1 - Math.exp(-points / configured.scale))),
      probability: shown,
      timing: 'now',
      health: 'green',
      potentialArr,
      narrativeVersion: 'simulated',
      propensity: 1,
    });
    const won = random() < trueWinProbability(signals, process);
    const closeDay = pitchDay + 10 + Math.floor(random() * 36);
    const closed = closeDay < days;
    const closeDate = addDays(start, Math.min(closeDay, days - 1));
    outcomes.push({
      system,
      crmId,
      accountId,
      ownerId,
      motion,
      ...(adopted ? {} : { expansionKey: key }),
      label: adopted ? 'adopted' : 'created',
      status: closed ? (won ? 'won' : 'lost') : 'open',
      amount: potentialArr,
      ...(closed ? { closeDate, closedSeenAt: `${closeDate}T23:00:00.000Z` } : {}),
      createdAt: `${asOf}T06:00:00.000Z`,
      pitchKey: key,
      pitchRunId: `sim-run-${asOf}`,
      firstSeenAt: `${asOf}T06:00:00.000Z`,
      reopened: 0,
      updatedAt: `${closed ? closeDate : end}T23:00:00.000Z`,
    });
  }
  return { pitches, outcomes, process, end };
}

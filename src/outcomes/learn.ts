import type { Config } from '../config/schema.ts';
import type { ScoringConfig } from '../scoring/config.ts';
import { weightKey } from '../scoring/signals/context.ts';
import type { DealOutcome, LearnedModel, LearningRecord, PitchSnapshot } from './types.ts';

/**
 * Recalibration (README "The outcome loop"). Pure: the caller passes the pitches, the outcomes, the history
 * of earlier recalibrations, the time and an id.
 *
 * The model. Each closed outcome attributed to a pitch is a row: won 1, lost 0, its features the strengths
 * (0..1) the pitch showed for each weighted signal (`scoring.score.signalWeights` keys, every module's
 * workaround under `module_workaround`, the strongest when several share a key). A logistic regression
 * logit P(won) = beta_0 + sum_j beta_j x_j is fitted by MAP (Newton/IRLS) under a Gaussian prior centred on
 * the configured model:
 * - beta_j ~ N(w_j / scale, sd^2), w_j the configured weight and scale `scoring.score.scale`: the score is
 *   100 (1 - e^(-points/scale)), so one logit unit per `scale` points of weighted strength;
 * - beta_0 ~ N(logit(scoring.probability.base), 2^2).
 * The prior's pull shrinks with data: sd is 0.15 (strong, learned weights stay shrunk toward the configured
 * ones) until there are `fullReplaceEach` won and as many lost, and 5 (flat-ish, the data replace the
 * configured weights) past it. Learned weights map back to score units as w_j = scale x max(0, beta_j) (the
 * score takes no negative weight).
 *
 * The win probability gets Platt scaling: a, b fitted on logit(p) -> outcome, p the probability the pitch
 * showed (before any calibration in force at pitch time), calibrated p' = 1 / (1 + e^-(a logit(p) + b)).
 *
 * Backtest on a time split by close date: the earlier 70% of closed outcomes train, the later 30% test.
 * AUC (rank-based, ties counted half) before: the pitch's own probability; after: the learned weights'
 * ranking (sum of learned weight x strength, fitted on the train part). Calibration error: expected
 * calibration error over 10 equal-width probability bins, before: the pitch's probability; after: its Platt
 * calibration fitted on the train part. The model recorded (and applied) is fitted on every closed outcome.
 */

export type LearningSettings = Pick<Config['learning'], 'minClosed' | 'minEach' | 'fullReplaceEach'> & {
  readonly mode: 'report' | 'apply';
};

export interface RecalibrateInput {
  readonly system: string;
  readonly id: string;
  /** ISO 8601 time of the recalibration. */
  readonly at: string;
  readonly asOf?: string;
  /** The configured scoring (the prior is centred on its signal weights and base probability). */
  readonly scoring: ScoringConfig;
  readonly learning: LearningSettings;
  readonly pitches: readonly PitchSnapshot[];
  readonly outcomes: readonly DealOutcome[];
  /** Earlier recalibrations (any order): the newest applied one is the model in force. */
  readonly history?: readonly LearningRecord[];
}

/** Prior standard deviation of each signal coefficient, in logit units per unit of strength. */
export const STRONG_PRIOR_SD = 0.15;
export const FLAT_PRIOR_SD = 5;
const INTERCEPT_PRIOR_SD = 2;
/** Share of closed outcomes, by close date, that train the backtest model; the later rest test it. */
export const TRAIN_SHARE = 0.7;
const BINS = 10;

export const IDENTITY_PLATT = { a: 1, b: 0 } as const;

/** One closed, attributed outcome ready for fitting. */
export interface TrainingRow {
  readonly won: 0 | 1;
  /** YYYY-MM-DD */
  readonly closeDate: string;
  /** Strength per weight key, in `keys` order. */
  readonly x: readonly number[];
  /** The probability the pitch showed. */
  readonly shown: number;
  /** The probability before any Platt calibration in force at pitch time. */
  readonly raw: number;
  /** 1 / propensity: an explored pitch (picked with a small probability) stands for the ones not picked. */
  readonly weight: number;
}

const EPS = 1e-6;
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
export const logit = (p: number): number => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};
const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** p' = 1 / (1 + e^-(a logit(p) + b)). */
export const plattApply = (platt: LearnedModel['platt'], p: number): number => sigmoid(platt.a * logit(p) + platt.b);

/** The inverse of `plattApply`: the probability before that calibration. */
export const plattInvert = (platt: LearnedModel['platt'], p: number): number =>
  sigmoid((logit(p) - platt.b) / (platt.a === 0 ? 1 : platt.a));

/** The newest applied recalibration at or before `at` (ISO time), if any. */
export function appliedAt(history: readonly LearningRecord[] | undefined, at?: string): LearningRecord | undefined {
  let best: LearningRecord | undefined;
  for (const record of history ?? []) {
    if (record.decision !== 'applied' || (at !== undefined && record.at > at)) continue;
    if (best === undefined || record.at > best.at) best = record;
  }
  return best;
}

/** The weight keys the model learns: those of the configured signal weights, sorted. */
export const weightKeys = (scoring: ScoringConfig): string[] => Object.keys(scoring.score.signalWeights).sort();

/** Closed outcomes joined to the pitch they are attributed to (by system and pitch key). */
export function trainingRows(input: {
  readonly system: string;
  readonly keys: readonly string[];
  readonly pitches: readonly PitchSnapshot[];
  readonly outcomes: readonly DealOutcome[];
  readonly history?: readonly LearningRecord[];
}): TrainingRow[] {
  const pitches = new Map<string, PitchSnapshot>();
  for (const p of input.pitches) if (p.system === input.system) pitches.set(p.key, p);
  const index = new Map(input.keys.map((k, i) => [k, i]));
  const rows: TrainingRow[] = [];
  for (const outcome of input.outcomes) {
    if (outcome.system !== input.system || outcome.status === 'open' || outcome.pitchKey === undefined) continue;
    const pitch = pitches.get(outcome.pitchKey);
    if (!pitch) continue;
    const closeDate = outcome.closeDate ?? (outcome.closedSeenAt ?? outcome.updatedAt).slice(0, 10);
    const x = input.keys.map(() => 0);
    for (const signal of pitch.signals) {
      const i = index.get(weightKey(signal.id));
      if (i !== undefined) x[i] = Math.max(x[i] ?? 0, Math.min(1, Math.max(0, signal.strength)));
    }
    const inForce = appliedAt(input.history, pitch.pitchedAt);
    rows.push({
      won: outcome.status === 'won' ? 1 : 0,
      closeDate,
      x,
      shown: pitch.probability,
      raw: inForce ? plattInvert(inForce.after.platt, pitch.probability) : pitch.probability,
      weight: 1 / Math.max(0.01, Math.min(1, pitch.propensity > 0 ? pitch.propensity : 1)),
    });
  }
  return rows.sort((a, b) => (a.closeDate < b.closeDate ? -1 : a.closeDate > b.closeDate ? 1 : 0));
}

/** Solves A v = r (A symmetric positive definite, small) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], r: number[]): number[] {
  const n = r.length;
  const m = a.map((row, i) => [...row, r[i] ?? 0]);
  for (let c = 0; c < n; c += 1) {
    let pivot = c;
    for (let i = c + 1; i < n; i += 1) if (Math.abs(m[i]![c]!) > Math.abs(m[pivot]![c]!)) pivot = i;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const head = m[c]!;
    const d = head[c]!;
    for (let i = c + 1; i < n; i += 1) {
      const row = m[i]!;
      const f = row[c]! / d;
      for (let k = c; k <= n; k += 1) row[k] = row[k]! - f * head[k]!;
    }
  }
  const v = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i -= 1) {
    const row = m[i]!;
    let s = row[n]!;
    for (let k = i + 1; k < n; k += 1) s -= row[k]! * v[k]!;
    v[i] = s / row[i]!;
  }
  return v;
}

/**
 * MAP logistic regression by Newton's method: maximizes sum_i w_i loglik(y_i | x_i) minus
 * sum_j (beta_j - mean_j)^2 / (2 sd_j^2). `x` rows carry the intercept column themselves.
 */
export function fitLogistic(input: {
  readonly x: readonly (readonly number[])[];
  readonly y: readonly number[];
  readonly weights?: readonly number[];
  readonly priorMean: readonly number[];
  readonly priorSd: readonly number[];
}): number[] {
  const d = input.priorMean.length;
  let beta = [...input.priorMean];
  for (let iteration = 0; iteration < 100; iteration += 1) {
    const grad = beta.map((b, j) => -(b - input.priorMean[j]!) / input.priorSd[j]! ** 2);
    const hess = beta.map((_, j) => beta.map((__, k) => (j === k ? 1 / input.priorSd[j]! ** 2 : 0)));
    input.x.forEach((row, i) => {
      const w = input.weights?.[i] ?? 1;
      const p = sigmoid(row.reduce((s, v, j) => s + v * beta[j]!, 0));
      const residual = w * ((input.y[i] ?? 0) - p);
      const curvature = w * p * (1 - p);
      for (let j = 0; j < d; j += 1) {
        const xj = row[j]!;
        if (xj === 0) continue;
        grad[j] = grad[j]! + residual * xj;
        const hj = hess[j]!;
        for (let k = 0; k < d; k += 1) hj[k] = hj[k]! + curvature * xj * row[k]!;
      }
    });
    const step = solve(hess, grad);
    beta = beta.map((b, j) => b + step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return beta;
}

/** Area under the ROC curve from ranks (ties count half); 0.5 when either class is missing. */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => ({ s, y: labels[i] ?? 0 })).sort((a, b) => a.s - b.s);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]!.s === order[i]!.s) j += 1;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k += 1)
      if (order[k]!.y === 1) {
        rankSum += midRank;
        positives += 1;
      }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Expected calibration error over 10 equal-width bins: sum over bins of (share of rows) x |mean p - win rate|. */
export function calibrationError(probabilities: readonly number[], labels: readonly number[]): number {
  if (probabilities.length === 0) return 0;
  const bins = Array.from({ length: BINS }, () => ({ n: 0, p: 0, y: 0 }));
  probabilities.forEach((p, i) => {
    const bin = bins[Math.min(BINS - 1, Math.max(0, Math.floor(p * BINS)))]!;
    bin.n += 1;
    bin.p += p;
    bin.y += labels[i] ?? 0;
  });
  return bins.reduce((s, b) => (b.n === 0 ? s : s + (b.n / probabilities.length) * Math.abs(b.p / b.n - b.y / b.n)), 0);
}

interface Fitted {
  /** Signal coefficients in logit units, in `keys` order (intercept excluded). */
  readonly beta: readonly number[];
  readonly platt: LearnedModel['platt'];
}

function fit(rows: readonly TrainingRow[], keys: readonly string[], scoring: ScoringConfig, sd: number): Fitted {
  const { scale, signalWeights } = scoring.score;
  const y = rows.map((r) => r.won);
  const weights = rows.map((r) => r.weight);
  const coefficients = fitLogistic({
    x: rows.map((r) => [1, ...r.x]),
    y,
    weights,
    priorMean: [logit(scoring.probability.base), ...keys.map((k) => (signalWeights[k] ?? 0) / scale)],
    priorSd: [INTERCEPT_PRIOR_SD, ...keys.map(() => sd)],
  });
  // Platt: a weak prior at the identity keeps a and b finite on small or separable data.
  const [b, a] = fitLogistic({
    x: rows.map((r) => [1, logit(r.raw)]),
    y,
    weights,
    priorMean: [0, 1],
    priorSd: [10, 10],
  });
  return { beta: coefficients.slice(1), platt: { a: a ?? 1, b: b ?? 0 } };
}

/** Learned score-unit weights: scale x max(0, beta), rounded to 2 decimals. */
function weightsOf(beta: readonly number[], keys: readonly string[], scale: number): Record<string, number> {
  return Object.fromEntries(keys.map((k, j) => [k, round(scale * Math.max(0, beta[j] ?? 0), 2)]));
}

const points = (row: TrainingRow, weights: Readonly<Record<string, number>>, keys: readonly string[]): number =>
  keys.reduce((s, k, j) => s + (weights[k] ?? 0) * (row.x[j] ?? 0), 0);

/** How far the data are from the gate, in words; undefined when the gate is passed. */
export function gateShortfall(won: number, lost: number, gate: Pick<LearningSettings, 'minClosed' | 'minEach'>) {
  const closed = won + lost;
  if (closed >= gate.minClosed && won >= gate.minEach && lost >= gate.minEach) return undefined;
  const missing = [
    closed < gate.minClosed ? `${gate.minClosed - closed} more closed` : undefined,
    won < gate.minEach ? `${gate.minEach - won} more won` : undefined,
    lost < gate.minEach ? `${gate.minEach - lost} more lost` : undefined,
  ].filter((m) => m !== undefined);
  return (
    `below the data gate: ${closed} closed (${won} won, ${lost} lost) of ${gate.minClosed} closed with at least ` +
    `${gate.minEach} won and ${gate.minEach} lost needed; ${missing.join(', ')} to go. Nothing was fitted or changed.`
  );
}

const fmt = (value: number): string => value.toFixed(3);

/** One recalibration: gate, fit, backtest, decision. Never throws on thin data: the record says why. */
export function recalibrate(input: RecalibrateInput): LearningRecord {
  const { scoring, learning } = input;
  const keys = weightKeys(scoring);
  const inForce = appliedAt(input.history);
  const before: LearnedModel = inForce
    ? inForce.after
    : { signalWeights: { ...scoring.score.signalWeights }, platt: { ...IDENTITY_PLATT } };
  const rows = trainingRows({ ...input, keys });
  const won = rows.filter((r) => r.won === 1).length;
  const lost = rows.length - won;
  const data = { won, lost, from: rows[0]?.closeDate ?? '', to: rows.at(-1)?.closeDate ?? '' };
  const base = {
    system: input.system,
    id: input.id,
    at: input.at,
    mode: learning.mode,
    data,
    before,
    ...(input.asOf ? { asOf: input.asOf } : {}),
  };
  const shortfall = gateShortfall(won, lost, learning);
  if (shortfall !== undefined)
    return {
      ...base,
      after: before,
      backtest: {
        splitAt: '',
        train: 0,
        test: 0,
        aucBefore: 0,
        aucAfter: 0,
        calibrationErrorBefore: 0,
        calibrationErrorAfter: 0,
      },
      decision: 'below_gate',
      message: shortfall,
    };

  const full = won >= learning.fullReplaceEach && lost >= learning.fullReplaceEach;
  const sd = full ? FLAT_PRIOR_SD : STRONG_PRIOR_SD;
  const { scale } = scoring.score;

  // The split: rows sorted by close date; a date never straddles train and test.
  let cut = Math.round(rows.length * TRAIN_SHARE);
  while (cut < rows.length && cut > 0 && rows[cut]!.closeDate === rows[cut - 1]!.closeDate) cut += 1;
  const train = rows.slice(0, cut);
  const test = rows.slice(cut);
  const trained = fit(train, keys, scoring, sd);
  const trainedWeights = weightsOf(trained.beta, keys, scale);
  const labels = test.map((r) => r.won);
  const backtest = {
    splitAt: test[0]?.closeDate ?? '',
    train: train.length,
    test: test.length,
    aucBefore: round(
      auc(
        test.map((r) => r.shown),
        labels,
      ),
      4,
    ),
    aucAfter: round(
      auc(
        test.map((r) => points(r, trainedWeights, keys)),
        labels,
      ),
      4,
    ),
    calibrationErrorBefore: round(
      calibrationError(
        test.map((r) => r.shown),
        labels,
      ),
      4,
    ),
    calibrationErrorAfter: round(
      calibrationError(
        test.map((r) => plattApply(trained.platt, r.raw)),
        labels,
      ),
      4,
    ),
  };

  const all = fit(rows, keys, scoring, sd);
  const after: LearnedModel = {
    signalWeights: weightsOf(all.beta, keys, scale),
    platt: { a: round(all.platt.a, 4), b: round(all.platt.b, 4) },
  };
  const prior = full
    ? `past ${learning.fullReplaceEach} won and lost: learned weights replace the configured ones`
    : `below ${learning.fullReplaceEach} won and lost: learned weights stay shrunk toward the configured ones`;
  const measured =
    `AUC ${fmt(backtest.aucBefore)} -> ${fmt(backtest.aucAfter)}, calibration error ` +
    `${fmt(backtest.calibrationErrorBefore)} -> ${fmt(backtest.calibrationErrorAfter)} on ${test.length} later outcomes`;
  const improves =
    backtest.aucAfter > backtest.aucBefore && backtest.calibrationErrorAfter <= backtest.calibrationErrorBefore;
  if (learning.mode === 'report')
    return {
      ...base,
      after,
      backtest,
      decision: 'report_only',
      message: `fitted (${prior}); ${measured}; learning.mode is report, so the weights in force stay.`,
    };
  return improves
    ? { ...base, after, backtest, decision: 'applied', message: `applied (${prior}); ${measured}.` }
    : {
        ...base,
        after,
        backtest,
        decision: 'no_improvement',
        message: `not applied: the backtest did not improve (AUC must rise and calibration error must not); ${measured}.`,
      };
}

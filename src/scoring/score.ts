import type { Health, Signal } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { clamp, clamp01 } from './days.ts';
import { SIGNAL, weightKey } from './signals/context.ts';

export interface ScoreInput {
  /** Every fired signal, expansion and risk. */
  readonly signals: readonly Signal[];
  /** Seats used / licensed on the latest day, when seat utilization was evaluated. */
  readonly utilization: number | undefined;
  readonly health: Health;
  readonly config: ScoringConfig;
}

/** Utilization earns no points at or below this: half-used seats say nothing about expansion. */
const UTILIZATION_FLOOR = 0.5;

/**
 * Expansion readiness, 0..100: 100 x (1 - e^(-points/scale)), where points are the weighted strengths
 * of the fired expansion signals (seed 004: "single signals suggest; multiple signals confirm") plus a
 * share for utilization itself. Each risk signal multiplies the result by (1 - riskPenalty x strength),
 * and red health caps it. Every part only rises with its input, so the score is monotone in utilization
 * and in each signal's strength; an input that was not evaluated adds nothing and takes nothing away,
 * never counting as zero usage or a zero NPS. Renewal evaluation is a timing fact, not a risk to score.
 */
export function scoreAccount(input: ScoreInput): number {
  const { score } = input.config;
  let points =
    input.utilization === undefined
      ? 0
      : score.utilizationWeight * clamp01((input.utilization - UTILIZATION_FLOOR) / (1 - UTILIZATION_FLOOR));
  let multiplier = 1;
  for (const signal of input.signals) {
    if (signal.kind === 'expansion') points += (score.signalWeights[weightKey(signal.id)] ?? 0) * signal.strength;
    else if (signal.id !== SIGNAL.renewalEvaluation) multiplier *= 1 - score.riskPenalty * signal.strength;
  }
  let total = 100 * (1 - Math.exp(-points / score.scale)) * multiplier;
  if (input.health === 'red') total = Math.min(total, score.redCap);
  // A bad config (or a value no test foresaw) must still produce a writable number.
  if (!Number.isFinite(total)) return 0;
  return Math.round(clamp(total, 0, 100));
}

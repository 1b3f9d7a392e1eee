import type { ScoringConfig } from './config.ts';
import { clamp, clamp01 } from './days.ts';
import type { HealthVerdict } from './health.ts';
import type { RenewalFacts } from './renewal.ts';
import type { Evaluation } from './result.ts';
import type { SeatFacts } from './seat-utilization.ts';
import type { TrendFacts } from './usage-trend.ts';

export interface ScoreInput {
  readonly seat: Evaluation<SeatFacts>;
  readonly trend: Evaluation<TrendFacts>;
  readonly renewal: Evaluation<RenewalFacts>;
  readonly health: HealthVerdict;
  readonly config: ScoringConfig;
}

/** Utilization earns no points at or below this: half-used seats say nothing about expansion. */
const UTILIZATION_FLOOR = 0.5;

/**
 * Expansion readiness, 0..100. Each part only rises with its input, so the score never drops when
 * utilization or growth rises; an input that was not evaluated earns nothing rather than counting as
 * zero usage. Red health caps the total, as retention comes first.
 */
export function scoreAccount(input: ScoreInput): number {
  const weights = input.config.score;
  const { seat, trend } = input;
  const utilization = seat.evaluated ? weights.utilizationWeight * clamp01((seat.utilization - UTILIZATION_FLOOR) / (1 - UTILIZATION_FLOOR)) : 0;
  const sustained = seat.evaluated && seat.active ? weights.sustainedWeight * seat.strength : 0;
  const trendPoints = trend.evaluated ? weights.trendWeight * trendShare(trend.change, input.config) : 0;
  const renewal = input.renewal.evaluated && input.renewal.phase === 'conversation' ? weights.renewalWeight : 0;
  let total = utilization + sustained + trendPoints + renewal;
  if (input.health.health === 'red') total = Math.min(total, weights.redCap);
  // A bad config (or a value no test foresaw) must still produce a writable number.
  if (!Number.isFinite(total)) return 0;
  return Math.round(clamp(total, 0, 100));
}

/** 0 at decline.yellowBelow, 1 at twice the growth threshold, linear between. */
function trendShare(change: number, config: ScoringConfig): number {
  const low = config.decline.yellowBelow;
  const high = 2 * config.trend.growthAt;
  return high <= low ? (change >= high ? 1 : 0) : clamp01((change - low) / (high - low));
}

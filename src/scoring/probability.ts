import type { Health } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { clamp, round2 } from './days.ts';

/** At most this many supporting signals add to a probability: past three, more of them is not more likely. */
const MAX_SUPPORTING = 3;

/**
 * Keeps a probability within 0.05..0.95 (never certain, never hopeless) after the yellow-health discount,
 * then applies the Platt calibration of `probability.platt` when one is set (an applied recalibration).
 */
export function finishProbability(
  raw: number,
  options: { readonly supporting: number; readonly health: Health; readonly config: ScoringConfig },
): number {
  const { motionProbability, probability } = options.config;
  const supported = raw + motionProbability.supportingBonus * Math.min(MAX_SUPPORTING, options.supporting);
  const adjusted = clamp(options.health === 'yellow' ? supported * probability.yellowFactor : supported, 0.05, 0.95);
  return round2(clamp(calibrated(adjusted, probability.platt), 0.05, 0.95));
}

/** p' = 1 / (1 + e^-(a logit(p) + b)); p itself without a calibration. */
export function calibrated(p: number, platt: { readonly a: number; readonly b: number } | undefined): number {
  if (platt === undefined || (platt.a === 1 && platt.b === 0)) return p;
  const z = platt.a * Math.log(p / (1 - p)) + platt.b;
  return 1 / (1 + Math.exp(-z));
}

/** Seat add: base plus the seat signal's strength, with a bonus while usage grows. */
export function seatAddProbability(input: {
  readonly seatStrength: number;
  readonly growing: boolean;
  readonly supporting: number;
  readonly health: Health;
  readonly config: ScoringConfig;
}): number {
  const { base, perStrength, growthBonus } = input.config.probability;
  return finishProbability(base + perStrength * input.seatStrength + (input.growing ? growthBonus : 0), input);
}

/** Tier upgrade: base plus the tier-graduation signal's strength. */
export function tierUpgradeProbability(input: {
  readonly graduationStrength: number;
  readonly supporting: number;
  readonly health: Health;
  readonly config: ScoringConfig;
}): number {
  const { tierBase, tierPerStrength } = input.config.motionProbability;
  return finishProbability(tierBase + tierPerStrength * input.graduationStrength, input);
}

/**
 * Cross-sell: the peer affinity when the portfolio could score it (seed 000 ranks cross-sell by this
 * probability, not by contract value), plus a bonus when the account also shows the module's workaround;
 * from the workaround alone otherwise.
 */
export function crossSellProbability(input: {
  readonly affinity: number | undefined;
  readonly workaroundStrength: number | undefined;
  readonly supporting: number;
  readonly health: Health;
  readonly config: ScoringConfig;
}): number {
  const { crossSellBase, crossSellWorkaroundBonus } = input.config.motionProbability;
  const workaround = input.workaroundStrength;
  const raw =
    input.affinity !== undefined
      ? input.affinity + (workaround === undefined ? 0 : crossSellWorkaroundBonus)
      : crossSellBase + 0.3 * (workaround ?? 0);
  return finishProbability(raw, input);
}

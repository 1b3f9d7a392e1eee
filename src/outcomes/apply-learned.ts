import type { Config } from '../config/schema.ts';
import type { Logger } from '../logger.ts';
import type { ScoringConfig } from '../scoring/config.ts';
import { calibrated } from '../scoring/probability.ts';
import { appliedAt, recalibrate } from './learn.ts';
import type { LearningRecord, OutcomeStore } from './types.ts';

/**
 * Putting a recalibration to work: the scoring config with the learned weights and the Platt calibration of
 * the newest applied record, and the recalibration a live run makes at its end.
 */

/**
 * The configured scoring with the record's learned signal weights (a weight the record does not name keeps
 * its configured value) and its Platt calibration in `probability.platt`. A record that was not applied, or
 * none, leaves the config as it is.
 */
export function scoringWith(config: ScoringConfig, record: LearningRecord | undefined): ScoringConfig {
  if (record?.decision !== 'applied') return config;
  return {
    ...config,
    score: { ...config.score, signalWeights: { ...config.score.signalWeights, ...record.after.signalWeights } },
    probability: { ...config.probability, platt: { ...record.after.platt } },
  };
}

/** The win-probability calibration a record applies (the identity for a record not applied, or none). */
export function calibrationOf(record: LearningRecord | undefined): (p: number) => number {
  const platt = record?.decision === 'applied' ? record.after.platt : undefined;
  return (p) => calibrated(p, platt);
}

/** The scoring a run uses: with learning.mode apply, the newest applied recalibration's; else the configured. */
export async function scoringInForce(options: {
  readonly store: Pick<OutcomeStore, 'listLearning'>;
  readonly system: string;
  readonly scoring: ScoringConfig;
  readonly learning: Pick<Config['learning'], 'mode'> | undefined;
}): Promise<ScoringConfig> {
  if (options.learning?.mode !== 'apply') return options.scoring;
  return scoringWith(options.scoring, appliedAt(await options.store.listLearning(options.system)));
}

/**
 * Recalibrates from the stored pitches and outcomes and records the result, when learning is not off and no
 * recalibration was recorded for this scoring date yet (a rerun the same day adds nothing). Returns the record,
 * or undefined when skipped.
 */
export async function recalibrateAfterRun(options: {
  readonly store: Pick<OutcomeStore, 'listLearning' | 'listPitches' | 'listOutcomes' | 'saveLearning'>;
  readonly system: string;
  /** The configured scoring (the prior), not the one in force. */
  readonly scoring: ScoringConfig;
  readonly learning: Config['learning'] | undefined;
  readonly asOf: string;
  readonly at: string;
  readonly id: string;
  readonly log?: Logger;
}): Promise<LearningRecord | undefined> {
  const { learning, store, system } = options;
  if (learning === undefined || learning.mode === 'off') return undefined;
  const history = await store.listLearning(system);
  if (history.some((r) => r.asOf === options.asOf)) return undefined;
  const record = recalibrate({
    system,
    id: options.id,
    at: options.at,
    asOf: options.asOf,
    scoring: options.scoring,
    learning: { ...learning, mode: learning.mode },
    pitches: await store.listPitches(system),
    outcomes: await store.listOutcomes(system),
    history,
  });
  await store.saveLearning(record);
  options.log?.info(
    { decision: record.decision, won: record.data.won, lost: record.data.lost },
    `recalibration: ${record.message}`,
  );
  return record;
}

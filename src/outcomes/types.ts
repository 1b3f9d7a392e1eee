import type { Health, Timing } from '../model/assessment.ts';
import type { Motion } from '../model/account.ts';

/**
 * The outcome loop's records (README "The outcome loop"). Pure data: the state store keeps them, the engine
 * fills them from the CRM, `src/outcomes/` computes conversion, lift and the learned weights from them.
 */

/**
 * How an expansion deal came about, as far as the worker can tell:
 * - `created`: the worker created it (it carries our key);
 * - `adopted`: an AE's own deal on the motion, to which the worker attached its evidence as a note;
 * - `influenced`: an AE's deal created on an account after the worker pitched that motion there (within
 *   `learning.influenceDays`), without our note on it;
 * - `organic`: an AE's expansion deal on a scored account the worker never pitched for that motion.
 */
export type OutcomeLabel = 'created' | 'adopted' | 'influenced' | 'organic';
export type OutcomeStatus = 'open' | 'won' | 'lost';

/** One expansion deal as the CRM last showed it, with how it came about. Keyed by system and CRM id. */
export interface DealOutcome {
  readonly system: string;
  readonly crmId: string;
  readonly accountId: string;
  readonly ownerId?: string;
  readonly motion?: Motion;
  /** Our key, on deals the worker created. */
  readonly expansionKey?: string;
  readonly label: OutcomeLabel;
  readonly status: OutcomeStatus;
  readonly amount?: number;
  /** YYYY-MM-DD, as the CRM holds the close date. */
  readonly closeDate?: string;
  /** When the CRM created the deal (ISO 8601). */
  readonly createdAt?: string;
  /** The pitch this outcome is attributed to (`PitchSnapshot.key`), when there was one. */
  readonly pitchKey?: string;
  /** The run that pitched it. */
  readonly pitchRunId?: string;
  /** When the worker first read the deal, and first read it closed (ISO 8601). */
  readonly firstSeenAt: string;
  readonly closedSeenAt?: string;
  /** Times it went from closed back to open (a deal reopened or moved out of a closed stage). */
  readonly reopened: number;
  readonly updatedAt: string;
}

/** A fired signal as it was shown: its id and strength (0..1). */
export interface SignalStrength {
  readonly id: string;
  readonly strength: number;
}

/**
 * What the AE was shown when an opportunity was pitched (our deal created, or our note attached to theirs):
 * an outcome is attributed to this evidence, not to whatever the account shows later. Kept once per key.
 */
export interface PitchSnapshot {
  readonly system: string;
  /** Our deal's key; for an adopted deal `adopted:<crm id>`. */
  readonly key: string;
  readonly accountId: string;
  readonly ownerId?: string;
  readonly motion: Motion;
  readonly module?: string;
  readonly runId: string;
  readonly asOf: string;
  readonly pitchedAt: string;
  readonly signals: readonly SignalStrength[];
  readonly score: number;
  readonly probability: number;
  readonly timing: Timing;
  readonly health: Health;
  readonly potentialArr: number;
  /** Identifies the narrative templates that wrote the talking points (a hash of their text). */
  readonly narrativeVersion: string;
  /** Probability the account was pitched at all under the holdout and exploration settings (for reweighting). */
  readonly propensity: number;
}

/** A signal seen firing on an account: first and last scoring date. Feeds "new signals" and conversion. */
export interface SignalSighting {
  readonly system: string;
  readonly accountId: string;
  readonly signalId: string;
  readonly firstAsOf: string;
  readonly lastAsOf: string;
  /** Strongest strength seen. */
  readonly strength: number;
}

/** One recalibration: what was fitted, on which data, how it backtested, and whether it was applied. */
export interface LearningRecord {
  readonly system: string;
  readonly id: string;
  readonly at: string;
  readonly mode: 'report' | 'apply';
  /** Closed outcomes used, won and lost. */
  readonly data: { readonly won: number; readonly lost: number; readonly from: string; readonly to: string };
  readonly before: LearnedModel;
  readonly after: LearnedModel;
  readonly backtest: {
    readonly splitAt: string;
    readonly train: number;
    readonly test: number;
    readonly aucBefore: number;
    readonly aucAfter: number;
    readonly calibrationErrorBefore: number;
    readonly calibrationErrorAfter: number;
  };
  /** 'applied', or why not ('below_gate', 'no_improvement', 'report_only'). */
  readonly decision: 'applied' | 'below_gate' | 'no_improvement' | 'report_only';
  readonly message: string;
  /** The scoring date of the run that recalibrated (YYYY-MM-DD): a run recalibrates at most once per date. */
  readonly asOf?: string;
}

/** Signal weights (score units, as `scoring.score.signalWeights`) and the win-probability calibration. */
export interface LearnedModel {
  readonly signalWeights: Readonly<Record<string, number>>;
  /** Platt scaling of the win probability: p' = 1 / (1 + exp(-(a * logit(p) + b))). Identity: a 1, b 0. */
  readonly platt: { readonly a: number; readonly b: number };
}

/** What the state store keeps for the outcome loop; part of `StateStore`. */
export interface OutcomeStore {
  /** Keeps the first snapshot per system and key: a later call for the same key changes nothing. */
  savePitches(pitches: readonly PitchSnapshot[]): Promise<void>;
  listPitches(system?: string): Promise<readonly PitchSnapshot[]>;
  /** Inserts or replaces by system and CRM id; returns how many were new or changed (a rerun: 0 and 0). */
  upsertOutcomes(outcomes: readonly DealOutcome[]): Promise<{ readonly inserted: number; readonly changed: number }>;
  listOutcomes(system?: string): Promise<readonly DealOutcome[]>;
  /** Widens each sighting's first/last date and strength; a new account and signal pair is inserted. */
  recordSignalSightings(sightings: readonly SignalSighting[]): Promise<void>;
  listSignalSightings(system?: string): Promise<readonly SignalSighting[]>;
  saveLearning(record: LearningRecord): Promise<void>;
  /** Newest first. */
  listLearning(system?: string): Promise<readonly LearningRecord[]>;
}

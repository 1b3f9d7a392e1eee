import type { Account } from '../model/account.ts';
import type { Evidence, ExpansionOpportunity, Health, Signal, Timing } from '../model/assessment.ts';
import type { AffinityScore } from './affinity.ts';
import type { Module, Plan } from './config-catalog.ts';
import type { ScoringConfig } from './config.ts';
import type { ModuleSizingEvidence, MotionSizing, TierSizingEvidence } from './sizing-motions.ts';
import type { RenewalFacts } from './renewal.ts';
import type { Evaluation } from './result.ts';
import type { SeatEvidence, SeatFacts } from './seat-utilization.ts';
import type { SeatSizing } from './sizing.ts';
import type { TrendFacts } from './usage-trend.ts';

export type Cite = (evidence: Evidence) => string;

/** What every talking-points package may draw on: the account and the signals that were evaluated. */
export interface NarrativeFacts {
  readonly account: Account;
  readonly seat: Evaluation<SeatFacts>;
  readonly trend: Evaluation<TrendFacts>;
  readonly renewal: Evaluation<RenewalFacts>;
  /** Fired expansion signals that back any motion: headcount growth, new team, power users, executive engagement. */
  readonly supporting: readonly Signal[];
  /** Fired risk signals (the account is not red, or there would be no narrative). */
  readonly risks: readonly Signal[];
  readonly health: Health;
  readonly timing: Timing;
  /** The product name from config narrative.productName. */
  readonly productName: string;
  /**
   * The scoring config: the currency amounts are written in (pricing.currency), the templates directory
   * (narrative.templatesDir), the catalog, and the cross-sell thresholds resemblance is judged by.
   */
  readonly config: ScoringConfig;
}

/** A seat add: the facts, with the seat evidence of the fired signal and the sizing. */
export interface SeatNarrativeInput extends Omit<NarrativeFacts, 'seat'> {
  readonly seat: SeatEvidence;
  readonly sizing: SeatSizing;
}

export interface TierNarrativeInput extends NarrativeFacts {
  /** The fired feature-graduation signal, with its evidence. */
  readonly graduation: Signal;
  /** Higher-plan features explored, sorted (names are text, not numbers). */
  readonly exploredFeatures: readonly string[];
  readonly next: Plan;
  readonly sizing: MotionSizing<TierSizingEvidence>;
}

export interface CrossSellNarrativeInput extends NarrativeFacts {
  readonly module: Module;
  /** The module's fired workaround signal, when there is one. */
  readonly workaround: Signal | undefined;
  /** The module's adjacent-feature milestone signal (the use that preceded adoption elsewhere), when it fired. */
  readonly milestone?: Signal | undefined;
  /** Peer matching, when the portfolio had enough adopters to score it. */
  readonly affinity: AffinityScore | undefined;
  readonly sizing: MotionSizing<ModuleSizingEvidence>;
  /** The deal's win probability (the opportunity's `probability`, 0..1): the one number the note quotes for fit. */
  readonly probability: number;
}

/** Strong accounts: the QBR agenda and the outreach email draw on the finished opportunities. */
export interface AccountNarrativeInput extends NarrativeFacts {
  /** The account's opportunities, best expected value first; each narrative's evidence may be cited. */
  readonly opportunities: readonly ExpansionOpportunity[];
  readonly score: number;
}

import type { Account } from '../../model/account.ts';
import type { Signal } from '../../model/assessment.ts';
import type { ScoringConfig } from '../config.ts';
import type { Day } from '../days.ts';

/** One dated value of an account field the store has seen over time (e.g. the CRM employee count). */
export interface DatedValue {
  /** YYYY-MM-DD */
  readonly date: string;
  readonly value: number;
}

/** What the store remembers about the account across runs; empty for an account seen for the first time. */
export interface AccountHistory {
  /** The CRM employee count as read on each scoring day, oldest first. */
  readonly employees: readonly DatedValue[];
}

export const NO_HISTORY: AccountHistory = { employees: [] };

/** Everything a signal evaluator may read. Pure: no clock, no I/O. */
export interface SignalContext {
  readonly account: Account;
  /** The account's usage days in date order, up to asOf (see prepareUsage). */
  readonly days: readonly Day[];
  /** Day number of the assessment date. */
  readonly asOf: number;
  /**
   * Day number usage windows end on: the latest day with usage (asOf when usage is stale or absent). A run
   * on a day without new rows then reads exactly what the last run read, so nothing moves by itself.
   */
  readonly usageEnd: number;
  readonly config: ScoringConfig;
  readonly history: AccountHistory;
}

/** Every evaluator's facts carry the signal when it fired (undefined when evaluated but quiet). */
export interface SignalFacts {
  readonly signal: Signal | undefined;
}

/** Stable signal ids: written to the CRM's top-signals field and keyed in score weights. */
export const SIGNAL = {
  seatUtilization: 'seat_utilization',
  usageGrowth: 'usage_growth',
  usageDecline: 'usage_decline',
  renewalWindow: 'renewal_window',
  renewalEvaluation: 'renewal_evaluation',
  featureGraduation: 'feature_graduation',
  powerUsers: 'power_user_concentration',
  newTeam: 'new_team_adoption',
  /** One per module: `module_workaround:<module id>`; weighted as module_workaround. */
  moduleWorkaround: 'module_workaround',
  headcountGrowth: 'headcount_growth',
  executiveEngagement: 'executive_engagement',
  lowSatisfaction: 'low_satisfaction',
  supportEscalations: 'support_escalations',
  championDeparture: 'champion_departure',
  paymentIssue: 'payment_issue',
} as const;

export const workaroundSignalId = (moduleId: string): string => `${SIGNAL.moduleWorkaround}:${moduleId}`;

/** The weight key of a signal id: every module's workaround shares one weight. */
export const weightKey = (signalId: string): string =>
  signalId.startsWith(`${SIGNAL.moduleWorkaround}:`) ? SIGNAL.moduleWorkaround : signalId;

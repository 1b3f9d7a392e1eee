import type { Assessment, Signal, Timing } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { dayNumber } from './days.ts';
import { citations, lowerFirst } from './evidence.ts';
import { isCustomerRisk, type HealthVerdict } from './health.ts';
import { renewalIn, type RenewalFacts } from './renewal.ts';
import type { Evaluation } from './result.ts';
import type { SeatFacts } from './seat-utilization.ts';
import { SIGNAL } from './signals/context.ts';
import type { TrendFacts } from './usage-trend.ts';

export interface TimingVerdict {
  readonly timing: Timing;
  readonly reason: string;
}

/** Why the account is not pitched yet even though opportunities were identified. */
export type Deferral = 'renewal_evaluation' | 'ramping';

export interface GateInput {
  readonly health: HealthVerdict;
  readonly seat: Evaluation<SeatFacts>;
  readonly trend: Evaluation<TrendFacts>;
  readonly renewal: Evaluation<RenewalFacts>;
  /** Every fired signal. */
  readonly signals: readonly Signal[];
  /** Days since the customer's first contract, when the CRM has it. */
  readonly tenureDays: number | undefined;
  readonly config: ScoringConfig;
}

/** The timing decided before opportunities exist: either final (a gate) or open (decided by the opportunities). */
export type Gate = { readonly final: TimingVerdict; readonly deferral?: Deferral } | { readonly final: undefined };

/** Expansion signals about the customer's usage and growth; renewal timing is not one. */
const confirming = (signals: readonly Signal[]): Signal[] =>
  signals.filter((s) => s.kind === 'expansion' && s.id !== SIGNAL.renewalWindow);

/**
 * The gates, first that applies wins: hold while red (retention first) or inside the renewal evaluation
 * window (a pitch there feels transactional; the opportunities wait for the renewal conversation); in
 * about three months while the customer is still ramping (seed 003: 3+ months of consistent usage
 * first; the opportunities wait), while a customer risk is open, while usage declines (a decline
 * outranks seat pressure: the team may be shrinking into its seats), or while the evidence is too thin.
 */
export function timingGate(input: GateInput): Gate {
  const { health, trend, renewal, config } = input;
  if (health.health === 'red')
    return {
      final: {
        timing: 'hold',
        reason: 'Hold: retention comes first, so no expansion outreach until the account recovers.',
      },
    };
  const c = citations();
  if (renewal.evaluated && renewal.phase === 'evaluation') {
    const reason = `Hold: ${renewalIn(renewal.evidence, c.cite)} is inside the ${c.cite(renewal.evidence.evaluationWindowDays)}-day evaluation window; the opportunities below wait for the renewal conversation.`;
    return { final: { timing: 'hold', reason }, deferral: 'renewal_evaluation' };
  }
  if (input.tenureDays !== undefined && input.tenureDays < config.tenure.minDays) {
    // Words, not numbers: reasons cite only evidence, and tenure is a gate, not a signal with evidence.
    const reason =
      'In about three months: the customer signed recently and is still ramping; the opportunities wait for steady use (tenure.minDays).';
    return { final: { timing: '90d', reason }, deferral: 'ramping' };
  }
  // Seed 003: usage-based expansion wants no open escalations and payments current.
  const risk = input.signals.find((s) => isCustomerRisk(s) && s.id !== SIGNAL.usageDecline);
  if (risk !== undefined)
    return {
      final: { timing: '90d', reason: `In about three months: resolve this first: ${lowerFirst(risk.summary)}.` },
    };
  if (trend.evaluated && trend.direction === 'decline')
    return {
      final: {
        timing: '90d',
        reason: 'In about three months: usage is slipping, so steady it before talking expansion.',
      },
    };
  if (!trend.evaluated)
    return {
      final: {
        timing: '90d',
        reason: 'In about three months: the evidence so far is too thin to time a conversation.',
      },
    };
  return { final: undefined };
}

export interface OpenTimingInput extends GateInput {
  /** True when at least one opportunity will be pitched (not withheld). */
  readonly pitched: boolean;
}

/**
 * Timing on an account past every gate: now on a green account under sustained seat pressure, where
 * several signals confirm each other (seed 004: "single signals suggest; multiple signals confirm"), or
 * once the renewal conversation window is open; never now without something to pitch. Otherwise within
 * the month, to nurture or explore.
 */
export function openTiming(input: OpenTimingInput): TimingVerdict {
  const { health, seat, renewal } = input;
  if (!input.pitched)
    return {
      timing: '30d',
      reason: 'Within the month: nothing to propose yet, so a check-in to learn what the team needs next.',
    };
  const green = health.health === 'green';
  if (green && seat.evaluated && seat.active)
    return { timing: 'now', reason: 'Now: the team is short of seats and the account is healthy.' };
  const signals = confirming(input.signals);
  if (green && signals.length >= 2)
    return {
      timing: 'now',
      reason: `Now: ${signals.map((s) => s.id.replace(/_/g, ' ').replace(/:.*/, '')).join(', ')} confirm each other on a healthy account.`,
    };
  if (green && renewal.evaluated && renewal.phase === 'conversation') {
    const c = citations();
    return {
      timing: 'now',
      reason: `Now: ${renewalIn(renewal.evidence, c.cite)}, so the expansion conversation has to start before the ${c.cite(renewal.evidence.evaluationWindowDays)}-day evaluation window opens.`,
    };
  }
  if (signals.length > 0)
    return {
      timing: '30d',
      reason: 'Within the month: one expansion signal is firing; explore it before proposing numbers.',
    };
  return { timing: '30d', reason: 'Within the month: a proactive check-in to deepen a healthy relationship.' };
}

/** Timings an account moves between as signals strengthen and fade; the gates' timings are not among them. */
const SOFT: ReadonlySet<Timing> = new Set(['now', '30d']);

export interface SteadyInput {
  readonly verdict: TimingVerdict;
  readonly previous: Pick<Assessment, 'timing' | 'timingSince' | 'asOf'> | undefined;
  readonly asOf: string;
  /** Whether keeping "now" is allowed: a green account with something to pitch. */
  readonly nowAllowed: boolean;
  readonly config: ScoringConfig;
}

/**
 * Timing hysteresis: a move between now and within-the-month waits until the previous timing has held
 * stability.timingMinDays, so an account near a threshold does not flip every run. Gates (hold, and the
 * three-month deferrals) apply at once, and "now" is never kept where it is no longer allowed.
 */
export function steadyTiming(input: SteadyInput): { readonly verdict: TimingVerdict; readonly since: string } {
  const { verdict, previous, asOf } = input;
  if (previous === undefined) return { verdict, since: asOf };
  const since = previous.timingSince ?? previous.asOf;
  if (previous.timing === verdict.timing) return { verdict, since };
  const held = dayNumber(asOf) - dayNumber(since);
  const soft = SOFT.has(previous.timing) && SOFT.has(verdict.timing);
  const keepable = previous.timing !== 'now' || input.nowAllowed;
  if (soft && keepable && held < input.config.stability.timingMinDays) {
    const kept =
      previous.timing === 'now'
        ? 'Now: the team is still a good candidate; this timing holds for a few days before it moves.'
        : 'Within the month: this timing holds for a few days before it moves.';
    return { verdict: { timing: previous.timing, reason: kept }, since };
  }
  return { verdict, since: asOf };
}

import type { Signal, Timing } from '../model/assessment.ts';
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

export interface TimingInput {
  readonly health: HealthVerdict;
  readonly seat: Evaluation<SeatFacts>;
  readonly trend: Evaluation<TrendFacts>;
  readonly renewal: Evaluation<RenewalFacts>;
  /** Every fired signal. */
  readonly signals: readonly Signal[];
}

/** Expansion signals about the customer's usage and growth; renewal timing is not one. */
const confirming = (signals: readonly Signal[]): Signal[] => signals.filter((s) => s.kind === 'expansion' && s.id !== SIGNAL.renewalWindow);

/**
 * When to reach out; the first rule that applies wins:
 * hold while red (retention first) or inside the renewal evaluation window (a pitch there feels
 * transactional); in about three months while a customer risk (an escalation, a detractor score, a late
 * payment, a departed champion) is open, so it is resolved first; now under sustained seat pressure;
 * in about three months while usage slips or the evidence is too thin; now on a green account where
 * several signals confirm each other (seed 004: "single signals suggest; multiple signals confirm"), or
 * once the renewal conversation window is open (it closes when the evaluation starts); otherwise within
 * the month, to nurture or explore.
 */
export function decideTiming(input: TimingInput): TimingVerdict {
  const { health, seat, trend, renewal } = input;
  if (health.health === 'red') return { timing: 'hold', reason: 'Hold: retention comes first, so no expansion outreach until the account recovers.' };
  if (renewal.evaluated && renewal.phase === 'evaluation') {
    const c = citations();
    return { timing: 'hold', reason: `Hold: ${renewalIn(renewal.evidence, c.cite)} is inside the ${c.cite(renewal.evidence.evaluationWindowDays)}-day evaluation window; no pitch until it closes.` };
  }
  // Seed 003: usage-based expansion wants no open escalations and payments current. A mild usage dip is
  // not one of these: under seat pressure the team still needs seats, and the talking points say be careful.
  const risk = input.signals.find((s) => isCustomerRisk(s) && s.id !== SIGNAL.usageDecline);
  if (risk !== undefined) return { timing: '90d', reason: `In about three months: resolve this first: ${lowerFirst(risk.summary)}.` };
  if (seat.evaluated && seat.active) return { timing: 'now', reason: `Now: the team is short of seats and health is ${health.health}.` };
  if (trend.evaluated && trend.direction === 'decline') return { timing: '90d', reason: 'In about three months: usage is slipping, so steady it before talking expansion.' };
  if (!trend.evaluated) return { timing: '90d', reason: 'In about three months: the evidence so far is too thin to time a conversation.' };
  const signals = confirming(input.signals);
  if (health.health === 'green' && signals.length >= 2) return { timing: 'now', reason: `Now: ${signals.map((s) => s.id.replace(/_/g, ' ').replace(/:.*/, '')).join(', ')} confirm each other on a healthy account.` };
  if (renewal.evaluated && renewal.phase === 'conversation') {
    const c = citations();
    return { timing: 'now', reason: `Now: ${renewalIn(renewal.evidence, c.cite)}, so the expansion conversation has to start before the ${c.cite(renewal.evidence.evaluationWindowDays)}-day evaluation window opens.` };
  }
  if (signals.length > 0) return { timing: '30d', reason: 'Within the month: one expansion signal is firing; explore it before proposing numbers.' };
  return health.health === 'green'
    ? { timing: '30d', reason: 'Within the month: usage is growing, a good moment to explore what the team needs next.' }
    : { timing: '30d', reason: 'Within the month: a proactive check-in to deepen a healthy but flat relationship.' };
}

import type { Timing } from '../model/assessment.ts';
import { citations } from './evidence.ts';
import type { HealthVerdict } from './health.ts';
import { renewalIn, type RenewalFacts } from './renewal.ts';
import type { Evaluation } from './result.ts';
import type { SeatFacts } from './seat-utilization.ts';
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
}

/**
 * When to reach out, first rule that applies wins:
 * hold while red (retention first) or inside the renewal evaluation window (a pitch there feels
 * transactional); now under sustained seat pressure; later (90d) while usage is slipping or when the
 * evidence is too thin to judge; now when the renewal conversation window is open on a healthy account,
 * because after it the evaluation starts; otherwise within the month (30d) to nurture.
 */
export function decideTiming(input: TimingInput): TimingVerdict {
  const { health, seat, trend, renewal } = input;
  if (health.health === 'red') {
    return { timing: 'hold', reason: 'Hold: retention comes first, so no expansion outreach until usage recovers.' };
  }
  if (renewal.evaluated && renewal.phase === 'evaluation') {
    const c = citations();
    return { timing: 'hold', reason: `Hold: ${renewalIn(renewal.evidence, c.cite)} is inside the ${c.cite(renewal.evidence.evaluationWindowDays)}-day evaluation window; no pitch until it closes.` };
  }
  if (seat.evaluated && seat.active) {
    return { timing: 'now', reason: `Now: the team is short of seats and health is ${health.health}.` };
  }
  if (trend.evaluated && trend.direction === 'decline') {
    return { timing: '90d', reason: 'In about three months: usage is slipping, so steady it before talking expansion.' };
  }
  if (!trend.evaluated) {
    return { timing: '90d', reason: 'In about three months: the evidence so far is too thin to time a conversation.' };
  }
  if (renewal.evaluated && renewal.phase === 'conversation') {
    const c = citations();
    return { timing: 'now', reason: `Now: ${renewalIn(renewal.evidence, c.cite)}, so the expansion conversation has to start before the ${c.cite(renewal.evidence.evaluationWindowDays)}-day evaluation window opens.` };
  }
  return health.health === 'green'
    ? { timing: '30d', reason: 'Within the month: usage is growing, a good moment to explore what the team needs next.' }
    : { timing: '30d', reason: 'Within the month: a proactive check-in to deepen a healthy but flat relationship.' };
}

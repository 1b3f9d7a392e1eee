import type { Account } from '../model/account.ts';
import type { Evidence, Signal } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { clamp01, dayNumber, isoDate, round2 } from './days.ts';
import { citations, plural, upperFirst } from './evidence.ts';
import type { Evaluation } from './result.ts';

export const RENEWAL_WINDOW_SIGNAL_ID = 'renewal_window';
export const RENEWAL_EVALUATION_SIGNAL_ID = 'renewal_evaluation';

/**
 * evaluation: inside renewal.evaluationWindowDays, the customer is deciding and a pitch feels transactional.
 * conversation: inside conversationStartDays but outside evaluation, the last good time to talk expansion.
 * later: further out; renewal says nothing yet.
 */
export type RenewalPhase = 'evaluation' | 'conversation' | 'later';

export interface RenewalEvidence {
  readonly daysToRenewal: Evidence;
  readonly evaluationWindowDays: Evidence;
  readonly conversationStartDays: Evidence;
}

export interface RenewalFacts {
  readonly daysToRenewal: number;
  readonly phase: RenewalPhase;
  readonly evidence: RenewalEvidence;
  readonly signal: Signal | undefined;
}

export function evaluateRenewal(input: {
  readonly account: Account;
  readonly asOf: number;
  readonly config: ScoringConfig;
}): Evaluation<RenewalFacts> {
  const date = input.account.renewalDate;
  if (date === undefined)
    return {
      evaluated: false,
      missing: ['renewalDate'],
      reason: 'No renewal date on the account, so renewal timing was not evaluated.',
    };
  const daysToRenewal = dayNumber(date) - input.asOf;
  // A past date is a CRM record nobody rolled forward, not a contract that ended today.
  if (daysToRenewal < 0)
    return {
      evaluated: false,
      missing: ['renewalDate'],
      reason: 'The renewal date on the account has passed, so renewal timing was not evaluated; update it in the CRM.',
    };
  const { evaluationWindowDays, conversationStartDays } = input.config.renewal;
  const phase: RenewalPhase =
    daysToRenewal <= evaluationWindowDays
      ? 'evaluation'
      : daysToRenewal <= conversationStartDays
        ? 'conversation'
        : 'later';
  const evidence: RenewalEvidence = {
    daysToRenewal: {
      metric: 'days_to_renewal',
      value: daysToRenewal,
      unit: 'days',
      window: `${isoDate(input.asOf)}..${date}`,
      comparison: `renewal on ${date}`,
      source: 'crm',
    },
    evaluationWindowDays: {
      metric: 'renewal_evaluation_window_days',
      value: evaluationWindowDays,
      unit: 'days',
      window: 'config',
      source: 'config',
    },
    conversationStartDays: {
      metric: 'renewal_conversation_start_days',
      value: conversationStartDays,
      unit: 'days',
      window: 'config',
      source: 'config',
    },
  };
  return {
    evaluated: true,
    daysToRenewal,
    phase,
    evidence,
    signal: renewalSignal({ phase, daysToRenewal, evidence, config: input.config }),
  };
}

/** "Renewal in 95 days" */
export function renewalIn(evidence: RenewalEvidence, cite: (e: Evidence) => string): string {
  return `renewal in ${plural(cite(evidence.daysToRenewal), evidence.daysToRenewal.value, 'day')}`;
}

interface RenewalSignalInput {
  readonly phase: RenewalPhase;
  readonly daysToRenewal: number;
  readonly evidence: RenewalEvidence;
  readonly config: ScoringConfig;
}

function renewalSignal(input: RenewalSignalInput): Signal | undefined {
  const { evaluationWindowDays, conversationStartDays } = input.config.renewal;
  const c = citations();
  const evidence = Object.values(input.evidence);
  if (input.phase === 'evaluation') {
    const summary = `${upperFirst(renewalIn(input.evidence, c.cite))}, inside the ${c.cite(input.evidence.evaluationWindowDays)}-day evaluation window`;
    // Stronger the closer the renewal: the evaluation is further along.
    const strength = clamp01(1 - input.daysToRenewal / (evaluationWindowDays + 1));
    return { id: RENEWAL_EVALUATION_SIGNAL_ID, kind: 'risk', strength: round2(strength), summary, evidence };
  }
  if (input.phase === 'conversation') {
    const summary = `${upperFirst(renewalIn(input.evidence, c.cite))}, inside the ${c.cite(input.evidence.conversationStartDays)}-day window for expansion conversations`;
    // A timing signal, weaker than usage (seed 004 weighs it 2 of 5): 0.2 when the window opens, 0.5 at its close.
    const span = Math.max(1, conversationStartDays - evaluationWindowDays);
    const strength = 0.2 + 0.3 * clamp01((conversationStartDays - input.daysToRenewal) / span);
    return { id: RENEWAL_WINDOW_SIGNAL_ID, kind: 'expansion', strength: round2(strength), summary, evidence };
  }
  return undefined;
}

import type { Evidence, Signal } from '../../model/assessment.ts';
import type { ScoringConfig } from '../config.ts';
import { clamp01, isoDate, period, round2 } from '../days.ts';
import { citations, oneDecimal, plural } from '../evidence.ts';
import type { Evaluation } from '../result.ts';
import { SIGNAL, type SignalContext, type SignalFacts } from './context.ts';

/** Named evidence; each part is present only when its input is on the account. */
export interface SatisfactionEvidence {
  readonly nps?: Evidence;
  readonly npsDetractorAt?: Evidence;
  readonly csat?: Evidence;
  readonly csatLowBelow?: Evidence;
}

export interface SatisfactionFacts extends SignalFacts {
  /** At the one decimal the text shows; undefined when not on the account (health checks it against redNpsAt). */
  readonly nps: number | undefined;
  /** Percent satisfied at one decimal; undefined when not on the account. */
  readonly csat: number | undefined;
  /** 0 when quiet. */
  readonly strength: number;
  readonly evidence: SatisfactionEvidence;
}

/**
 * Low satisfaction: a detractor NPS or a low CSAT is an early churn indicator. Either input is
 * enough; an absent one is unknown and adds nothing, so only when both are absent is the signal
 * not evaluated. Decided on the rounded values the text shows.
 */
export function evaluateSatisfaction(context: SignalContext): Evaluation<SatisfactionFacts> {
  const { account, config } = context;
  if (account.nps === undefined && account.csat === undefined) {
    return {
      evaluated: false,
      missing: ['nps', 'csat'],
      reason: 'Neither NPS nor CSAT is on the account, so satisfaction was not evaluated.',
    };
  }
  const nps = account.nps === undefined ? undefined : oneDecimal(account.nps);
  const csat = account.csat === undefined ? undefined : oneDecimal(account.csat);
  const { npsDetractorAt, csatLowBelow } = config.risk;
  const detractor = nps !== undefined && nps <= npsDetractorAt;
  const low = csat !== undefined && csat < csatLowBelow;
  const evidence = satisfactionEvidence(nps, csat, context);
  if (!detractor && !low) return { evaluated: true, nps, csat, strength: 0, evidence, signal: undefined };
  const strength = satisfactionStrength(nps, csat, config);
  return {
    evaluated: true,
    nps,
    csat,
    strength,
    evidence,
    signal: satisfactionSignal({ evidence, detractor, low, strength }),
  };
}

/**
 * How far below its threshold the worse input lies: an NPS of 0 or a CSAT of 0 is full strength.
 * At least 0.3 once fired, so a response right at the threshold still counts as a risk.
 */
function satisfactionStrength(nps: number | undefined, csat: number | undefined, config: ScoringConfig): number {
  const { npsDetractorAt, csatLowBelow } = config.risk;
  const byNps = nps === undefined ? 0 : clamp01((npsDetractorAt + 1 - nps) / (npsDetractorAt + 1));
  const byCsat = csat === undefined || csatLowBelow <= 0 ? 0 : clamp01((csatLowBelow - csat) / csatLowBelow);
  return round2(Math.max(0.3, byNps, byCsat));
}

function satisfactionEvidence(
  nps: number | undefined,
  csat: number | undefined,
  context: SignalContext,
): SatisfactionEvidence {
  const { npsDetractorAt, csatLowBelow } = context.config.risk;
  const window = isoDate(context.asOf);
  const npsPart: SatisfactionEvidence =
    nps === undefined
      ? {}
      : {
          nps: {
            metric: 'nps',
            value: nps,
            unit: 'count',
            window,
            comparison: 'latest NPS response, 0-10',
            source: 'crm',
          },
          npsDetractorAt: {
            metric: 'nps_detractor_at',
            value: npsDetractorAt,
            unit: 'count',
            window: 'config',
            source: 'config',
          },
        };
  const csatPart: SatisfactionEvidence =
    csat === undefined
      ? {}
      : {
          csat: {
            metric: 'csat',
            value: csat,
            unit: 'percent',
            window,
            comparison: 'support ratings that were satisfied',
            source: 'crm',
          },
          csatLowBelow: {
            metric: 'csat_low_below',
            value: csatLowBelow,
            unit: 'percent',
            window: 'config',
            source: 'config',
          },
        };
  return { ...npsPart, ...csatPart };
}

interface SatisfactionSignalInput {
  readonly evidence: SatisfactionEvidence;
  readonly detractor: boolean;
  readonly low: boolean;
  readonly strength: number;
}

/** "NPS 4, a detractor (6 or below); CSAT 62%, below 70%": only the inputs that fired are stated. */
function satisfactionSignal(input: SatisfactionSignalInput): Signal {
  const c = citations();
  const { nps, npsDetractorAt, csat, csatLowBelow } = input.evidence;
  const parts: string[] = [];
  if (input.detractor && nps !== undefined && npsDetractorAt !== undefined)
    parts.push(`NPS ${c.cite(nps)}, a detractor (${c.cite(npsDetractorAt)} or below)`);
  if (input.low && csat !== undefined && csatLowBelow !== undefined)
    parts.push(`CSAT ${c.cite(csat)}, below ${c.cite(csatLowBelow)}`);
  return {
    id: SIGNAL.lowSatisfaction,
    kind: 'risk',
    strength: input.strength,
    summary: parts.join('; '),
    evidence: Object.values(input.evidence),
  };
}

export interface EscalationEvidence {
  readonly openEscalations: Evidence;
  readonly escalationsAt: Evidence;
}

export interface EscalationFacts extends SignalFacts {
  readonly openEscalations: number;
  /** 0 when quiet. */
  readonly strength: number;
  readonly evidence: EscalationEvidence;
}

/**
 * Open support escalations: the customer is blocked now, and an expansion pitch would land badly.
 * An absent count is unknown, never "no escalations": a CRM that does not map it is not vouching for it.
 */
export function evaluateEscalations(context: SignalContext): Evaluation<EscalationFacts> {
  const open = context.account.openEscalations;
  if (open === undefined)
    return {
      evaluated: false,
      missing: ['openEscalations'],
      reason: 'Open support escalations are not on the account, so escalations were not evaluated.',
    };
  const { escalationsAt } = context.config.risk;
  const evidence: EscalationEvidence = {
    openEscalations: {
      metric: 'open_support_escalations',
      value: open,
      unit: 'count',
      window: isoDate(context.asOf),
      comparison: 'open now',
      source: 'crm',
    },
    escalationsAt: {
      metric: 'support_escalations_at',
      value: escalationsAt,
      unit: 'count',
      window: 'config',
      source: 'config',
    },
  };
  if (open < escalationsAt) return { evaluated: true, openEscalations: open, strength: 0, evidence, signal: undefined };
  // 0.4 at the threshold, 0.2 more per further escalation.
  const strength = round2(Math.min(1, 0.4 + 0.2 * (open - escalationsAt)));
  const c = citations();
  const summary = plural(c.cite(evidence.openEscalations), open, 'open support escalation');
  const signal: Signal = {
    id: SIGNAL.supportEscalations,
    kind: 'risk',
    strength,
    summary,
    evidence: Object.values(evidence),
  };
  return { evaluated: true, openEscalations: open, strength, evidence, signal };
}

export interface PaymentEvidence {
  readonly overdueDays: Evidence;
  readonly overdueAt: Evidence;
}

export interface PaymentFacts extends SignalFacts {
  /** Days the oldest unpaid invoice is past due; 0 when payments are current. */
  readonly overdueDays: number;
  /** 0 when quiet. */
  readonly strength: number;
  readonly evidence: PaymentEvidence;
}

/**
 * Payment issue: an invoice long past due is a churn indicator and makes any new spend moot. Strength
 * climbs from 0.4 at risk.paymentOverdueDays to 1 where health turns red on payment alone.
 */
export function evaluatePaymentIssue(context: SignalContext): Evaluation<PaymentFacts> {
  const overdue = context.account.paymentOverdueDays;
  if (overdue === undefined)
    return {
      evaluated: false,
      missing: ['paymentOverdueDays'],
      reason: 'Payment status is not on the account, so payment issues were not evaluated.',
    };
  const at = context.config.risk.paymentOverdueDays;
  const red = context.config.health.redPaymentOverdueDays;
  const evidence: PaymentEvidence = {
    overdueDays: {
      metric: 'payment_overdue_days',
      value: overdue,
      unit: 'days',
      window: period(context.asOf - overdue, context.asOf),
      comparison: 'oldest unpaid invoice past due',
      source: 'crm',
    },
    overdueAt: { metric: 'payment_overdue_at_days', value: at, unit: 'days', window: 'config', source: 'config' },
  };
  if (overdue < at) return { evaluated: true, overdueDays: overdue, strength: 0, evidence, signal: undefined };
  const strength = round2(red <= at ? 1 : clamp01(0.4 + (0.6 * (overdue - at)) / (red - at)));
  const c = citations();
  const summary = `Oldest unpaid invoice ${plural(c.cite(evidence.overdueDays), overdue, 'day')} overdue`;
  const signal: Signal = {
    id: SIGNAL.paymentIssue,
    kind: 'risk',
    strength,
    summary,
    evidence: Object.values(evidence),
  };
  return { evaluated: true, overdueDays: overdue, strength, evidence, signal };
}

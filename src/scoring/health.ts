import type { Health, Signal } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { citations, lowerFirst } from './evidence.ts';
import type { Evaluation } from './result.ts';
import { SIGNAL } from './signals/context.ts';
import { trendSentence, type TrendFacts } from './usage-trend.ts';

export interface HealthVerdict {
  readonly health: Health;
  /** Why, in one plain sentence with the numbers from the evidence. */
  readonly reason: string;
}

export interface HealthInput {
  readonly trend: Evaluation<TrendFacts>;
  /** Every fired signal. */
  readonly signals: readonly Signal[];
  /** The latest NPS response, when on the account. */
  readonly nps: number | undefined;
  /** Days the oldest invoice is overdue, when on the account. */
  readonly paymentOverdueDays: number | undefined;
  /** CSAT (percent satisfied), when on the account. */
  readonly csat?: number | undefined;
  /** Support escalations open now, when on the account. */
  readonly openEscalations: number | undefined;
  readonly config: ScoringConfig;
}

/** Expansion signals that show the customer getting value, as opposed to renewal timing. */
const isValueSignal = (s: Signal): boolean => s.kind === 'expansion' && s.id !== SIGNAL.renewalWindow;
/** Risk signals about the customer; renewal evaluation is timing, not risk. */
export const isCustomerRisk = (s: Signal): boolean => s.kind === 'risk' && s.id !== SIGNAL.renewalEvaluation;

/**
 * Seed 000's traffic light. Red (retention first, no pitch): usage falling sharply, a very low NPS, an
 * invoice long overdue, several open escalations, or several risk signals at once (early churn indicators). Yellow (nurture first):
 * a milder decline, any one risk signal, too little usage to judge, or usage flat with nothing pointing
 * to expansion. Green: growing, or steady with an expansion signal firing. Renewal proximity is timing,
 * never health.
 */
export function assessHealth(input: HealthInput): HealthVerdict {
  const red = redReason(input);
  if (red !== undefined) return { health: 'red', reason: `Red: ${red} Retention comes first; no expansion pitch.` };
  const { trend } = input;
  const risks = input.signals.filter(isCustomerRisk).filter((s) => s.id !== SIGNAL.usageDecline);
  if (!trend.evaluated) return { health: 'yellow', reason: `Yellow: ${lowerFirst(trend.reason)}` };
  const sentence = trendSentence(trend.evidence, citations().cite);
  if (trend.direction === 'decline')
    return {
      health: 'yellow',
      reason: `Yellow: ${lowerFirst(sentence)}. Nurture first: any proposal waits about three months.`,
    };
  if (risks.length > 0)
    return {
      health: 'yellow',
      reason: `Yellow: ${lowerFirst(risks[0]?.summary ?? '')}. Resolve it first: any proposal waits about three months.`,
    };
  if (trend.direction === 'growth') return { health: 'green', reason: `Green: ${lowerFirst(sentence)}.` };
  return input.signals.some(isValueSignal)
    ? { health: 'green', reason: 'Green: usage is steady and expansion signals are firing.' }
    : {
        health: 'yellow',
        reason: 'Yellow: usage is steady and no expansion signal has fired; a candidate for proactive nurture.',
      };
}

/**
 * A detractor NPS and a low CSAT are two early churn indicators (the relationship and the support
 * experience), though one satisfaction signal states them together: 1 when both fired, else 0.
 */
function bothSatisfactionLow(input: HealthInput): number {
  const { npsDetractorAt, csatLowBelow } = input.config.risk;
  return input.nps !== undefined && input.nps <= npsDetractorAt && input.csat !== undefined && input.csat < csatLowBelow
    ? 1
    : 0;
}

function redReason(input: HealthInput): string | undefined {
  const { trend, config } = input;
  if (trend.evaluated && trend.change <= config.decline.redBelow)
    return `${lowerFirst(trendSentence(trend.evidence, citations().cite))}.`;
  const byId = (id: string): Signal | undefined => input.signals.find((s) => s.id === id);
  const payment = byId(SIGNAL.paymentIssue);
  if (
    payment !== undefined &&
    input.paymentOverdueDays !== undefined &&
    input.paymentOverdueDays >= config.health.redPaymentOverdueDays
  )
    return `${lowerFirst(payment.summary)}.`;
  const escalations = byId(SIGNAL.supportEscalations);
  if (
    escalations !== undefined &&
    input.openEscalations !== undefined &&
    input.openEscalations >= config.health.redEscalationsAt
  )
    return `${lowerFirst(escalations.summary)}.`;
  const satisfaction = byId(SIGNAL.lowSatisfaction);
  if (satisfaction !== undefined && input.nps !== undefined && input.nps <= config.health.redNpsAt)
    return `${lowerFirst(satisfaction.summary)}.`;
  const risks = input.signals.filter(isCustomerRisk);
  const indicators = risks.length + bothSatisfactionLow(input);
  if (indicators >= config.health.redRiskCount) {
    return `${indicators === 2 ? 'two' : 'several'} early churn indicators at once: ${risks.map((s) => lowerFirst(s.summary)).join('; ')}.`;
  }
  return undefined;
}

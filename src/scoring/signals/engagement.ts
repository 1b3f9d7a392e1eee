import type { Evidence, Signal } from '../../model/assessment.ts';
import { clamp01, dayNumber, period, round2 } from '../days.ts';
import { citations, plural } from '../evidence.ts';
import type { Evaluation } from '../result.ts';
import { SIGNAL, type SignalContext, type SignalFacts } from './context.ts';

/** How long ago a CRM date was, and the window it is judged against. */
export interface RecencyEvidence {
  readonly daysSince: Evidence;
  readonly windowDays: Evidence;
}

export interface RecencyFacts extends SignalFacts {
  /** Days from the CRM date to asOf, 0 when it is asOf itself. */
  readonly daysSince: number;
  /** 0 when quiet. */
  readonly strength: number;
  readonly evidence: RecencyEvidence;
}

export type ExecutiveEngagementFacts = RecencyFacts;
export type ChampionDepartureFacts = RecencyFacts;

/** What differs between the two CRM-date signals. */
interface RecencyRule {
  readonly id: string;
  readonly kind: Signal['kind'];
  /** The account field, as named in `missing`. */
  readonly field: 'executiveEngagedOn' | 'championDepartedOn';
  readonly label: string;
  /** The date in plain words, for reasons. */
  readonly dateName: string;
  readonly metric: string;
  readonly windowMetric: string;
  readonly windowDays: number;
  /** "Executive meeting" in "Executive meeting 12 days ago". */
  readonly event: string;
}

/**
 * Executive engagement: a recent meeting with a customer executive is a sponsor for an expansion
 * conversation. Full strength on the day, half at the window's edge: the sponsor's attention fades.
 */
export function evaluateExecutiveEngagement(context: SignalContext): Evaluation<ExecutiveEngagementFacts> {
  return evaluateRecency(context, {
    id: SIGNAL.executiveEngagement,
    kind: 'expansion',
    field: 'executiveEngagedOn',
    label: 'executive engagement',
    dateName: 'latest executive meeting date',
    metric: 'days_since_executive_meeting',
    windowMetric: 'executive_engagement_window_days',
    windowDays: context.config.engagement.executiveWithinDays,
    event: 'Executive meeting',
  });
}

/**
 * Champion departure: the person who bought and defends the product left, so renewal and expansion
 * both lack an advocate. A risk while recent; an older departure is evaluated and quiet, as by then a
 * new relationship has had time to form.
 */
export function evaluateChampionDeparture(context: SignalContext): Evaluation<ChampionDepartureFacts> {
  return evaluateRecency(context, {
    id: SIGNAL.championDeparture,
    kind: 'risk',
    field: 'championDepartedOn',
    label: 'champion departure',
    dateName: 'champion departure date',
    metric: 'days_since_champion_departure',
    windowMetric: 'champion_departure_window_days',
    windowDays: context.config.engagement.championWithinDays,
    event: 'Champion left',
  });
}

/** Fires when the date lies 0..windowDays days before asOf (both ends inclusive); strength 1 falling to 0.5 at the edge. */
function evaluateRecency(context: SignalContext, rule: RecencyRule): Evaluation<RecencyFacts> {
  const date = context.account[rule.field];
  if (date === undefined)
    return {
      evaluated: false,
      missing: [rule.field],
      reason: `No ${rule.dateName} on the account, so ${rule.label} was not evaluated.`,
    };
  const eventDay = dayNumber(date);
  const daysSince = context.asOf - eventDay;
  // A date after asOf has not happened yet: a CRM typo, not a meeting or departure to act on.
  if (daysSince < 0)
    return {
      evaluated: false,
      missing: [rule.field],
      reason: `The ${rule.dateName} on the account is in the future, so ${rule.label} was not evaluated; correct it in the CRM.`,
    };
  const evidence: RecencyEvidence = {
    daysSince: {
      metric: rule.metric,
      value: daysSince,
      unit: 'days',
      window: period(eventDay, context.asOf),
      comparison: `${rule.field} ${date}`,
      source: 'crm',
    },
    windowDays: { metric: rule.windowMetric, value: rule.windowDays, unit: 'days', window: 'config', source: 'config' },
  };
  if (daysSince > rule.windowDays) return { evaluated: true, daysSince, strength: 0, evidence, signal: undefined };
  const strength = round2(clamp01(1 - (0.5 * daysSince) / rule.windowDays));
  return { evaluated: true, daysSince, strength, evidence, signal: recencySignal(rule, evidence, strength) };
}

/** "Executive meeting 12 days ago, inside the 90-day window" ("today" on the day itself). */
function recencySignal(rule: RecencyRule, evidence: RecencyEvidence, strength: number): Signal {
  const c = citations();
  const days = evidence.daysSince.value;
  const when = days === 0 ? 'today' : `${plural(c.cite(evidence.daysSince), days, 'day')} ago`;
  const summary = `${rule.event} ${when}, inside the ${c.cite(evidence.windowDays)}-day window`;
  return { id: rule.id, kind: rule.kind, strength, summary, evidence: Object.values(evidence) };
}

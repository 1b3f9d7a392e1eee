import type { Evidence, Signal } from '../../model/assessment.ts';
import type { ScoringConfig } from '../config.ts';
import { clamp01, dayNumber, isoDate, period, round2 } from '../days.ts';
import { citations, plural, wholePercent } from '../evidence.ts';
import type { Evaluation } from '../result.ts';
import { SIGNAL, type DatedValue, type SignalContext, type SignalFacts } from './context.ts';

/** A year: the span growth is annualised to and the history point preferred as the baseline. */
const YEAR_DAYS = 365;

/**
 * Named evidence so a narrative cites exactly what the signal measured. The employee counts and span
 * are present only when growth came from the stored history; enrichment supplies a rate alone.
 */
export interface HeadcountEvidence {
  readonly growthYoY: Evidence;
  readonly employeesThen?: Evidence;
  readonly employeesNow?: Evidence;
  readonly spanDays?: Evidence;
}

/** history: annualised from the employee counts the store kept; enrichment: the account's headcountGrowth field. */
export type HeadcountSource = 'history' | 'enrichment';

export interface HeadcountFacts extends SignalFacts {
  /** Year-over-year growth as a fraction, at the whole percent the text shows (0.32 = +32%). */
  readonly growth: number;
  readonly source: HeadcountSource;
  /** 0 when quiet. */
  readonly strength: number;
  readonly evidence: HeadcountEvidence;
}

/** The history point growth is measured from, and how many days before asOf it lies. */
export interface HeadcountBaseline {
  readonly point: DatedValue;
  readonly spanDays: number;
}

/**
 * Headcount growth: a growing organisation needs more seats. The store's own employee-count history
 * comes first, since it is measured on our account record; a data provider's growth field is the
 * fallback. Decided on the whole percent the text shows, so "up 20%" and the 20% threshold agree.
 */
export function evaluateHeadcountGrowth(context: SignalContext): Evaluation<HeadcountFacts> {
  const fromHistory = historyGrowth(context);
  if (fromHistory !== undefined) return headcountFacts({ ...fromHistory, source: 'history', config: context.config });
  const enrichment = context.account.headcountGrowth;
  if (enrichment !== undefined) {
    const growth = wholePercent(enrichment) / 100;
    const growthYoY: Evidence = {
      metric: 'headcount_growth_yoy',
      value: wholePercent(enrichment),
      unit: 'percent',
      window: 'year over year',
      comparison: 'enrichment headcount growth on the CRM record',
      source: 'crm',
    };
    return headcountFacts({ growth, evidence: { growthYoY }, source: 'enrichment', config: context.config });
  }
  // No numbers in the reason: reasons may cite only evidence, and a not-evaluated signal has none.
  return {
    evaluated: false,
    missing: ['employeeHistory', 'headcountGrowth'],
    reason:
      'No employee-count history long enough to measure growth from and no enrichment headcount growth, so headcount growth was not evaluated.',
  };
}

/**
 * The baseline among the stored counts: the point closest to a year back among those at least a year
 * back, else the oldest at least minHistoryDays back. Points after asOf (a backfill) and zero counts
 * (a blank CRM field, not an empty company) are not usable.
 */
export function headcountBaseline(
  history: readonly DatedValue[],
  asOf: number,
  minHistoryDays: number,
): HeadcountBaseline | undefined {
  let yearOrMore: HeadcountBaseline | undefined;
  let oldest: HeadcountBaseline | undefined;
  for (const point of history) {
    const spanDays = asOf - dayNumber(point.date);
    if (point.value <= 0 || spanDays < minHistoryDays) continue;
    if (spanDays >= YEAR_DAYS && (yearOrMore === undefined || spanDays < yearOrMore.spanDays))
      yearOrMore = { point, spanDays };
    if (oldest === undefined || spanDays > oldest.spanDays) oldest = { point, spanDays };
  }
  return yearOrMore ?? oldest;
}

/** Growth annualised from the baseline to today's CRM count; undefined when either end is unusable. */
function historyGrowth(
  context: SignalContext,
): { readonly growth: number; readonly evidence: HeadcountEvidence } | undefined {
  const now = context.account.employees;
  if (now === undefined || now <= 0) return undefined;
  const baseline = headcountBaseline(context.history.employees, context.asOf, context.config.headcount.minHistoryDays);
  if (baseline === undefined) return undefined;
  const { point, spanDays } = baseline;
  const annualised = (now / point.value) ** (YEAR_DAYS / spanDays) - 1;
  const window = period(dayNumber(point.date), context.asOf);
  const evidence: HeadcountEvidence = {
    growthYoY: {
      metric: 'headcount_growth_yoy',
      value: wholePercent(annualised),
      unit: 'percent',
      window,
      comparison: `annualised from ${spanDays} days of CRM employee counts`,
      source: 'derived',
    },
    employeesThen: {
      metric: 'employees_then',
      value: point.value,
      unit: 'count',
      window,
      comparison: `CRM employee count on ${point.date}`,
      source: 'crm',
    },
    employeesNow: {
      metric: 'employees_now',
      value: now,
      unit: 'count',
      window,
      comparison: `CRM employee count on ${isoDate(context.asOf)}`,
      source: 'crm',
    },
    spanDays: { metric: 'employee_history_span_days', value: spanDays, unit: 'days', window, source: 'derived' },
  };
  return { growth: evidence.growthYoY.value / 100, evidence };
}

interface HeadcountFactsInput {
  readonly growth: number;
  readonly evidence: HeadcountEvidence;
  readonly source: HeadcountSource;
  readonly config: ScoringConfig;
}

function headcountFacts(input: HeadcountFactsInput): Evaluation<HeadcountFacts> {
  const { growthAt } = input.config.headcount;
  const fires = input.growth >= growthAt;
  // 0.4 at the threshold, full strength at three times it.
  const strength = fires ? round2(clamp01(0.4 + (0.6 * (input.growth - growthAt)) / (2 * growthAt))) : 0;
  const signal = fires ? headcountSignal(input.evidence, strength) : undefined;
  return { evaluated: true, growth: input.growth, source: input.source, strength, evidence: input.evidence, signal };
}

/**
 * "Headcount up 32% year over year (250 to 330 employees over 365 days)". No dates in the text: their
 * digits would be numbers no evidence value accounts for, so the span is stated in days instead.
 */
export function headcountSentence(evidence: HeadcountEvidence, cite: (e: Evidence) => string): string {
  const growth = `Headcount up ${cite(evidence.growthYoY)} year over year`;
  const { employeesThen, employeesNow, spanDays } = evidence;
  if (employeesThen === undefined || employeesNow === undefined || spanDays === undefined)
    return `${growth} (enrichment data)`;
  const annualised = spanDays.value === YEAR_DAYS ? '' : ', annualised';
  const over = plural(cite(spanDays), spanDays.value, 'day');
  return `${growth}${annualised} (${cite(employeesThen)} to ${plural(cite(employeesNow), employeesNow.value, 'employee')} over ${over})`;
}

function headcountSignal(evidence: HeadcountEvidence, strength: number): Signal {
  const c = citations();
  const summary = headcountSentence(evidence, c.cite);
  return { id: SIGNAL.headcountGrowth, kind: 'expansion', strength, summary, evidence: Object.values(evidence) };
}

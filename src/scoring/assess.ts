import type { Account } from '../model/account.ts';
import type { Assessment, ExpansionOpportunity, Signal } from '../model/assessment.ts';
import type { UsageDay } from '../model/usage.ts';
import type { ScoringConfig } from './config.ts';
import { dayNumber, prepareUsage, type Day } from './days.ts';
import { assessHealth, type HealthVerdict } from './health.ts';
import { seatAddNarrative } from './narrative.ts';
import { evaluateRenewal, type RenewalFacts } from './renewal.ts';
import type { Evaluation } from './result.ts';
import { scoreAccount } from './score.ts';
import { evaluateSeatUtilization, SEAT_SIGNAL_ID, type SeatFacts } from './seat-utilization.ts';
import { seatAddProbability, sizeSeatAdd } from './sizing.ts';
import { decideTiming, type TimingVerdict } from './timing.ts';
import { evaluateUsageTrend, type TrendFacts } from './usage-trend.ts';

export interface AssessInput {
  readonly account: Account;
  /** This account's usage days, in any order. */
  readonly usage: readonly UsageDay[];
  /** YYYY-MM-DD: the day the assessment is for; nothing after it is read. */
  readonly asOf: string;
  readonly config: ScoringConfig;
}

interface Evaluations {
  readonly seat: Evaluation<SeatFacts>;
  readonly trend: Evaluation<TrendFacts>;
  readonly renewal: Evaluation<RenewalFacts>;
}

/**
 * One account's expansion readiness: signals, then health, timing, opportunities and score. Pure:
 * the same input always gives the same assessment, and nothing here reads a clock or does I/O.
 */
export function assessAccount(input: AssessInput): Assessment {
  const { account, config } = input;
  const asOf = dayNumber(input.asOf);
  const days = prepareUsage(input.usage, { asOf, historyDays: config.historyDays });
  const evaluations: Evaluations = {
    seat: evaluateSeatUtilization({ account, days, asOf, config }),
    trend: evaluateUsageTrend({ days, asOf, config }),
    renewal: evaluateRenewal({ account, asOf, config }),
  };
  const health = assessHealth({ ...evaluations, config });
  const timing = decideTiming({ ...evaluations, health });
  const opportunities = seatAddOpportunity({ account, days, asOf, config, evaluations, health, timing });
  return {
    accountId: account.id,
    asOf: input.asOf,
    score: scoreAccount({ ...evaluations, health, config }),
    health: health.health,
    timing: timing.timing,
    signals: signalsOf(evaluations),
    missing: missingOf(evaluations),
    reasons: reasonsOf({ evaluations, health, timing }),
    opportunities,
  };
}

interface OpportunityContext {
  readonly account: Account;
  readonly days: readonly Day[];
  readonly asOf: number;
  readonly config: ScoringConfig;
  readonly evaluations: Evaluations;
  readonly health: HealthVerdict;
  readonly timing: TimingVerdict;
}

/** A seat add only under sustained seat pressure and never on hold (red health or renewal evaluation). */
function seatAddOpportunity(context: OpportunityContext): ExpansionOpportunity[] {
  const { seat, trend, renewal } = context.evaluations;
  if (!seat.evaluated || !seat.active || context.timing.timing === 'hold') return [];
  const sizing = sizeSeatAdd({ days: context.days, asOf: context.asOf, licensedSeats: seat.licensedSeats, latestSeatsUsed: seat.latestSeatsUsed, plan: context.account.plan, config: context.config });
  const growing = trend.evaluated && trend.direction === 'growth';
  const probability = seatAddProbability({ seatStrength: seat.strength, growing, health: context.health.health, config: context.config });
  const signalIds = signalsOf(context.evaluations)
    .filter((s) => s.kind === 'expansion')
    .map((s) => s.id)
    .sort((a, b) => (a === SEAT_SIGNAL_ID ? -1 : b === SEAT_SIGNAL_ID ? 1 : a.localeCompare(b)));
  return [
    {
      motion: 'seat_add',
      arrPotential: sizing.arrPotential,
      arrLow: sizing.arrLow,
      arrHigh: sizing.arrHigh,
      seatsToAdd: sizing.seatsToAdd,
      probability,
      expectedValue: Math.round(sizing.arrPotential * probability),
      timing: context.timing.timing,
      signalIds,
      narrative: seatAddNarrative({ seat: seat.evidence, sizing, trend, renewal }),
    },
  ];
}

function signalsOf(evaluations: Evaluations): Signal[] {
  const signals: Signal[] = [];
  for (const evaluation of [evaluations.seat, evaluations.trend, evaluations.renewal]) {
    if (evaluation.evaluated && evaluation.signal) signals.push(evaluation.signal);
  }
  return signals;
}

function missingOf(evaluations: Evaluations): string[] {
  const missing = new Set<string>();
  for (const evaluation of [evaluations.seat, evaluations.trend, evaluations.renewal]) {
    if (!evaluation.evaluated) for (const name of evaluation.missing) missing.add(name);
  }
  return [...missing];
}

function reasonsOf(options: { readonly evaluations: Evaluations; readonly health: HealthVerdict; readonly timing: TimingVerdict }): string[] {
  const reasons = [options.health.reason, options.timing.reason];
  const { seat, trend, renewal } = options.evaluations;
  if (seat.evaluated && seat.signal) reasons.push(`Seats: ${seat.signal.summary}.`);
  // The health reason already says why the trend was not evaluated.
  const told = trend.evaluated ? undefined : trend.reason;
  for (const evaluation of [seat, renewal]) {
    if (!evaluation.evaluated && evaluation.reason !== told) reasons.push(evaluation.reason);
  }
  return reasons;
}

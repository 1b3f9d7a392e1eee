import type { Account } from '../model/account.ts';
import type { Assessment, Signal } from '../model/assessment.ts';
import type { UsageDay } from '../model/usage.ts';
import type { AffinityProfile } from './affinity-features.ts';
import type { AffinityModel } from './affinity.ts';
import type { ScoringConfig } from './config.ts';
import { dayNumber, prepareUsage, type Day } from './days.ts';
import { assessHealth } from './health.ts';
import { accountNarratives } from './narrative-account-pick.ts';
import type { NarrativeFacts } from './narrative-inputs.ts';
import { draftOpportunities } from './opportunities.ts';
import { evaluateRenewal } from './renewal.ts';
import type { Evaluation } from './result.ts';
import { scoreAccount } from './score.ts';
import { evaluateSeatUtilization } from './seat-utilization.ts';
import { NO_HISTORY, SIGNAL, type AccountHistory, type SignalContext, type SignalFacts } from './signals/context.ts';
import { evaluateChampionDeparture, evaluateExecutiveEngagement } from './signals/engagement.ts';
import { evaluateFeatureGraduation } from './signals/feature-graduation.ts';
import { evaluateHeadcountGrowth } from './signals/headcount.ts';
import { evaluateModuleMilestones } from './signals/module-milestone.ts';
import { evaluateModuleWorkarounds } from './signals/module-workaround.ts';
import { evaluatePowerUsers } from './signals/power-users.ts';
import { evaluateEscalations, evaluatePaymentIssue, evaluateSatisfaction } from './signals/risk.ts';
import { evaluateTeamAdoption } from './signals/team-adoption.ts';
import { openTiming, steadyTiming, timingGate } from './timing.ts';
import { evaluateUsageTrend } from './usage-trend.ts';

export interface AssessInput {
  readonly account: Account;
  /** This account's usage days, in any order. */
  readonly usage: readonly UsageDay[];
  /** YYYY-MM-DD: the day the assessment is for; nothing after it is read. */
  readonly asOf: string;
  readonly config: ScoringConfig;
  /** What the store remembers about the account (employee counts over time); none for a new account. */
  readonly history?: AccountHistory;
  /**
   * The account's previous assessment (the last run's), for hysteresis: a seat add keeps its size and the
   * timing keeps its value unless the evidence changed materially (see config stability).
   */
  readonly previous?: Assessment | undefined;
  /** Portfolio peer matching for cross-sell (see assessPortfolio); without it cross-sell rests on workarounds alone. */
  readonly affinity?: { readonly model: AffinityModel; readonly profile: AffinityProfile };
}

/** Every signal's evaluation, in the order signals are listed. */
function evaluateAll(context: SignalContext) {
  return {
    seat: evaluateSeatUtilization(context),
    trend: evaluateUsageTrend(context),
    graduation: evaluateFeatureGraduation(context),
    powerUsers: evaluatePowerUsers(context),
    teams: evaluateTeamAdoption(context),
    workarounds: evaluateModuleWorkarounds(context),
    headcount: evaluateHeadcountGrowth(context),
    executive: evaluateExecutiveEngagement(context),
    renewal: evaluateRenewal(context),
    satisfaction: evaluateSatisfaction(context),
    escalations: evaluateEscalations(context),
    payment: evaluatePaymentIssue(context),
    champion: evaluateChampionDeparture(context),
  };
}
type Evaluations = ReturnType<typeof evaluateAll>;

/** Signals that back any motion rather than one: growth of the organization and the relationship. */
const SUPPORTING: readonly string[] = [
  SIGNAL.headcountGrowth,
  SIGNAL.newTeam,
  SIGNAL.powerUsers,
  SIGNAL.executiveEngagement,
];

/** The day usage windows end on: the latest day with usage, unless that is stale (then asOf: nothing recent to read). */
function usageEndOf(days: readonly Day[], asOf: number, config: ScoringConfig): number {
  const latest = days.at(-1)?.day;
  return latest !== undefined && asOf - latest <= config.seatUtilization.staleAfterDays ? latest : asOf;
}

/**
 * One account's expansion readiness: every signal, then health, the timing gates, the opportunities per
 * motion, the timing they allow (with hysteresis against the previous run), the talking points, and for
 * strong accounts a QBR agenda and an outreach email. Pure: the same input always gives the same
 * assessment; nothing here reads a clock or does I/O.
 */
export function assessAccount(input: AssessInput): Assessment {
  const { account, config } = input;
  const asOf = dayNumber(input.asOf);
  const days = prepareUsage(input.usage, { asOf, historyDays: config.historyDays });
  const usageEnd = usageEndOf(days, asOf, config);
  const context: SignalContext = { account, days, asOf, usageEnd, config, history: input.history ?? NO_HISTORY };
  const e = evaluateAll(context);
  const all = list(e);
  const signals = all.flatMap((x) => (x.evaluated && x.signal !== undefined ? [x.signal] : []));
  const health = assessHealth({
    trend: e.trend,
    signals,
    nps: account.nps,
    csat: account.csat,
    paymentOverdueDays: account.paymentOverdueDays,
    openEscalations: account.openEscalations,
    config,
  });
  const tenureDays = account.customerSince === undefined ? undefined : asOf - dayNumber(account.customerSince);
  const gateInput = { health, seat: e.seat, trend: e.trend, renewal: e.renewal, signals, tenureDays, config };
  const gate = timingGate(gateInput);
  const facts = narrativeFacts({ e, account, signals, health: health.health, config });
  // Red: retention first. No opportunity is identified at all, so none can ever be pitched.
  const drafts =
    health.health === 'red'
      ? []
      : draftOpportunities({
          facts,
          days,
          usageEnd,
          config,
          graduation: e.graduation,
          workarounds: e.workarounds,
          milestones: evaluateModuleMilestones(context),
          headcountGrowth: hiringGrowth(e),
          previous: input.previous,
          deferral: gate.final === undefined ? undefined : gate.deferral,
          affinity: input.affinity,
        });
  const pitched = drafts.some((d) => d.opportunity.withheld === undefined);
  const decided = gate.final ?? openTiming({ ...gateInput, pitched });
  const steady =
    gate.final === undefined
      ? steadyTiming({
          verdict: decided,
          previous: input.previous,
          asOf: input.asOf,
          nowAllowed: pitched && health.health === 'green',
          config,
        })
      : { verdict: decided, since: sinceOf(input.previous, decided.timing, input.asOf) };
  const timing = steady.verdict.timing;
  const narrated: NarrativeFacts = { ...facts, timing };
  const opportunities = drafts
    .map((d) => ({ ...d.opportunity, timing, narrative: d.narrate(narrated) }))
    .sort((a, b) => b.expectedValue - a.expectedValue);
  const score = scoreAccount({
    signals,
    utilization: e.seat.evaluated ? e.seat.utilization : undefined,
    health: health.health,
    config,
  });
  const shown = opportunities.filter((o) => o.withheld === undefined);
  return {
    accountId: account.id,
    asOf: input.asOf,
    score,
    health: health.health,
    timing,
    timingSince: steady.since,
    signals,
    missing: missingOf(all),
    reasons: reasonsOf({ e, signals, health: health.reason, timing: steady.verdict.reason }),
    opportunities,
    ...accountNarratives({ ...narrated, opportunities: shown, score }, config),
  };
}

/** The date a timing has held since: the previous run's when unchanged, else today. */
function sinceOf(previous: Assessment | undefined, timing: Assessment['timing'], asOf: string): string {
  return previous !== undefined && previous.timing === timing ? (previous.timingSince ?? previous.asOf) : asOf;
}

/** Headcount growth as known hiring, only when the signal fired (a data provider or the stored history says so). */
function hiringGrowth(e: Evaluations): number | undefined {
  return e.headcount.evaluated && e.headcount.signal !== undefined ? e.headcount.growth : undefined;
}

function list(e: Evaluations): Array<Evaluation<SignalFacts>> {
  const { workarounds, ...single } = e;
  return [...Object.values(single), ...workarounds.map((w) => w.evaluation)];
}

function narrativeFacts(options: {
  readonly e: Evaluations;
  readonly account: Account;
  readonly signals: readonly Signal[];
  readonly health: Assessment['health'];
  readonly config: ScoringConfig;
}): Omit<NarrativeFacts, 'timing'> {
  const { e, signals } = options;
  return {
    account: options.account,
    seat: e.seat,
    trend: e.trend,
    renewal: e.renewal,
    supporting: signals.filter((s) => SUPPORTING.includes(s.id)),
    risks: signals.filter((s) => s.kind === 'risk' && s.id !== SIGNAL.renewalEvaluation),
    health: options.health,
    productName: options.config.narrative.productName,
    config: options.config,
  };
}

function missingOf(all: ReadonlyArray<Evaluation<SignalFacts>>): string[] {
  const missing = new Set<string>();
  for (const evaluation of all) if (!evaluation.evaluated) for (const name of evaluation.missing) missing.add(name);
  return [...missing];
}

/** Plain names of the signals beyond seats, trend and renewal, for the one line saying which lacked data. */
const LABELS: Readonly<Record<string, string>> = {
  graduation: 'tier graduation',
  powerUsers: 'power users',
  teams: 'team adoption',
  workarounds: 'module workarounds',
  headcount: 'headcount growth',
  executive: 'executive engagement',
  satisfaction: 'NPS and CSAT',
  escalations: 'support escalations',
  payment: 'payment status',
  champion: 'champion changes',
};

interface ReasonInput {
  readonly e: Evaluations;
  readonly signals: readonly Signal[];
  readonly health: string;
  readonly timing: string;
}

/**
 * Health and timing first, then each fired expansion signal, then why seats, trend or renewal could not
 * be judged (each once), then one line naming the other signals that lacked data: the CRM field stays
 * readable when a CRM maps none of the optional inputs.
 */
function reasonsOf(input: ReasonInput): string[] {
  const { e } = input;
  const reasons = [input.health, input.timing];
  for (const s of input.signals)
    if (s.kind === 'expansion') reasons.push(`${s.id.replace(/_/g, ' ').replace(/:.*/, '')}: ${s.summary}.`);
  // The health reason already says why the trend was not evaluated.
  const told = new Set(e.trend.evaluated ? [] : [e.trend.reason]);
  for (const evaluation of [e.seat, e.renewal]) {
    if (!evaluation.evaluated && !told.has(evaluation.reason)) {
      told.add(evaluation.reason);
      reasons.push(evaluation.reason);
    }
  }
  const lacking = Object.entries(LABELS).filter(([key]) => {
    const value = e[key as keyof Evaluations];
    return Array.isArray(value)
      ? value.length > 0 && value.every((w: { evaluation: Evaluation<SignalFacts> }) => !w.evaluation.evaluated)
      : !(value as Evaluation<SignalFacts>).evaluated;
  });
  if (lacking.length > 0)
    reasons.push(`Not evaluated for lack of data: ${lacking.map(([, label]) => label).join(', ')}.`);
  return reasons;
}

import type { Account } from '../model/account.ts';
import type { Assessment, Signal } from '../model/assessment.ts';
import type { UsageDay } from '../model/usage.ts';
import type { AffinityProfile } from './affinity-features.ts';
import type { AffinityModel } from './affinity.ts';
import type { ScoringConfig } from './config.ts';
import { dayNumber, prepareUsage } from './days.ts';
import { assessHealth } from './health.ts';
import { accountNarratives } from './narrative-account-pick.ts';
import type { NarrativeFacts } from './narrative-inputs.ts';
import { buildOpportunities } from './opportunities.ts';
import { evaluateRenewal } from './renewal.ts';
import type { Evaluation } from './result.ts';
import { scoreAccount } from './score.ts';
import { evaluateSeatUtilization } from './seat-utilization.ts';
import { NO_HISTORY, SIGNAL, type AccountHistory, type SignalContext, type SignalFacts } from './signals/context.ts';
import { evaluateChampionDeparture, evaluateExecutiveEngagement } from './signals/engagement.ts';
import { evaluateFeatureGraduation } from './signals/feature-graduation.ts';
import { evaluateHeadcountGrowth } from './signals/headcount.ts';
import { evaluateModuleWorkarounds } from './signals/module-workaround.ts';
import { evaluatePowerUsers } from './signals/power-users.ts';
import { evaluateEscalations, evaluatePaymentIssue, evaluateSatisfaction } from './signals/risk.ts';
import { evaluateTeamAdoption } from './signals/team-adoption.ts';
import { decideTiming } from './timing.ts';
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

/** Signals that back any motion rather than one: growth of the organisation and the relationship. */
const SUPPORTING: readonly string[] = [SIGNAL.headcountGrowth, SIGNAL.newTeam, SIGNAL.powerUsers, SIGNAL.executiveEngagement];

/**
 * One account's expansion readiness: every signal, then health, timing, score, the opportunities per
 * motion with their talking points, and for strong accounts a QBR agenda and an outreach email. Pure:
 * the same input always gives the same assessment; nothing here reads a clock or does I/O.
 */
export function assessAccount(input: AssessInput): Assessment {
  const { account, config } = input;
  const asOf = dayNumber(input.asOf);
  const days = prepareUsage(input.usage, { asOf, historyDays: config.historyDays });
  const e = evaluateAll({ account, days, asOf, config, history: input.history ?? NO_HISTORY });
  const all = list(e);
  const signals = all.flatMap((x) => (x.evaluated && x.signal !== undefined ? [x.signal] : []));
  const health = assessHealth({ trend: e.trend, signals, nps: account.nps, paymentOverdueDays: account.paymentOverdueDays, config });
  const timing = decideTiming({ health, seat: e.seat, trend: e.trend, renewal: e.renewal, signals });
  const score = scoreAccount({ signals, utilization: e.seat.evaluated ? e.seat.utilization : undefined, health: health.health, config });
  const facts = narrativeFacts({ e, account, signals, health: health.health, timing: timing.timing, config });
  const opportunities = buildOpportunities({ facts, days, asOf, config, graduation: e.graduation, workarounds: e.workarounds, affinity: input.affinity }).sort((a, b) => b.expectedValue - a.expectedValue);
  return {
    accountId: account.id,
    asOf: input.asOf,
    score,
    health: health.health,
    timing: timing.timing,
    signals,
    missing: missingOf(all),
    reasons: reasonsOf({ e, signals, health: health.reason, timing: timing.reason }),
    opportunities,
    ...accountNarratives({ ...facts, opportunities, score }, config),
  };
}

function list(e: Evaluations): Array<Evaluation<SignalFacts>> {
  const { workarounds, ...single } = e;
  return [...Object.values(single), ...workarounds.map((w) => w.evaluation)];
}

function narrativeFacts(options: { readonly e: Evaluations; readonly account: Account; readonly signals: readonly Signal[]; readonly health: Assessment['health']; readonly timing: Assessment['timing']; readonly config: ScoringConfig }): NarrativeFacts {
  const { e, signals } = options;
  return {
    account: options.account,
    seat: e.seat,
    trend: e.trend,
    renewal: e.renewal,
    supporting: signals.filter((s) => SUPPORTING.includes(s.id)),
    risks: signals.filter((s) => s.kind === 'risk' && s.id !== SIGNAL.renewalEvaluation),
    health: options.health,
    timing: options.timing,
    productName: options.config.narrative.productName,
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
  for (const s of input.signals) if (s.kind === 'expansion') reasons.push(`${s.id.replace(/_/g, ' ').replace(/:.*/, '')}: ${s.summary}.`);
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
    return Array.isArray(value) ? value.length > 0 && value.every((w: { evaluation: Evaluation<SignalFacts> }) => !w.evaluation.evaluated) : !(value as Evaluation<SignalFacts>).evaluated;
  });
  if (lacking.length > 0) reasons.push(`Not evaluated for lack of data: ${lacking.map(([, label]) => label).join(', ')}.`);
  return reasons;
}



import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import type { Motion } from '../model/account.ts';
import type { ScoringConfig } from '../scoring/config.ts';
import { clamp, dayNumber, isoDate as isoDay } from '../scoring/days.ts';
import { crossSellProbability, seatAddProbability, tierUpgradeProbability } from '../scoring/probability.ts';
import { SIGNAL, weightKey } from '../scoring/signals/context.ts';
import { percent } from '../format.ts';
import type { DealOutcome, OutcomeLabel, OutcomeStatus, PitchSnapshot, SignalSighting } from './types.ts';

/**
 * Per-signal conversion and lift from the stored outcomes (README "The outcome loop"). Pure: no clock, no I/O.
 *
 * Every rate is a Beta-Binomial estimate. Its prior is Beta(k·m, k·(1 − m)) with k = PRIOR_STRENGTH
 * pseudo-observations and a mean m taken from the configured scoring, so a signal seen on three deals reads
 * close to what the config already believes and moves toward the data as outcomes accrue:
 * - close rate: m is the configured win probability of a pitch carrying that signal alone at strength 1,
 *   green health, no supporting signal (scoring.probability and scoring.motionProbability): a seat add for
 *   seat utilization, a seat add with growth for usage growth, a tier upgrade for feature graduation, a
 *   cross-sell from the workaround alone for a module workaround, and a seat add plus one supporting bonus
 *   for every other signal;
 * - signal-to-opportunity rate: m is the readiness score of an account with that signal alone at strength 1,
 *   1 − e^(−weight/scale) (scoring.score.signalWeights and scale);
 * - close rate of deals without the signal (the lift's baseline): m is scoring.probability.base;
 * - the holdout uplift: Jeffreys' Beta(½, ½), no configured belief either way.
 * Every prior mean is kept within 0.05..0.95, as probabilities are. The posterior after s successes in n
 * trials is Beta(k·m + s, k·(1 − m) + n − s); its mean and its 5% and 95% quantiles (the 90% credible
 * interval) are reported with the raw rate.
 */
export const PRIOR_STRENGTH = 10;
/** The credible interval's mass: 90%, from the 5% to the 95% quantile. */
export const CREDIBLE_MASS = 0.9;

export interface RateEstimate {
  readonly successes: number;
  readonly trials: number;
  /** successes / trials; null with no trials. */
  readonly raw: number | null;
  readonly priorMean: number;
  readonly priorStrength: number;
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

/** The Beta posterior of a rate under a Beta(strength·mean, strength·(1 − mean)) prior. */
export function betaEstimate(
  successes: number,
  trials: number,
  prior: { readonly mean: number; readonly strength: number },
): RateEstimate {
  const alpha = prior.strength * prior.mean + successes;
  const beta = prior.strength * (1 - prior.mean) + (trials - successes);
  const tail = (1 - CREDIBLE_MASS) / 2;
  return {
    successes,
    trials,
    raw: trials > 0 ? successes / trials : null,
    priorMean: prior.mean,
    priorStrength: prior.strength,
    mean: alpha / (alpha + beta),
    low: betaQuantile(tail, alpha, beta),
    high: betaQuantile(1 - tail, alpha, beta),
  };
}

const probabilityBounds = (p: number): number => clamp(p, 0.05, 0.95);

/** Prior mean of a signal's close rate: the configured win probability of a pitch on that signal alone at strength 1. */
export function closeRatePrior(signalId: string, config: ScoringConfig): number {
  const common = { supporting: 0, health: 'green' as const, config };
  switch (weightKey(signalId)) {
    case SIGNAL.seatUtilization:
      return seatAddProbability({ ...common, seatStrength: 1, growing: false });
    case SIGNAL.usageGrowth:
      return seatAddProbability({ ...common, seatStrength: 0, growing: true });
    case SIGNAL.featureGraduation:
      return tierUpgradeProbability({ ...common, graduationStrength: 1 });
    case SIGNAL.moduleWorkaround:
      return crossSellProbability({ ...common, affinity: undefined, workaroundStrength: 1 });
    default:
      return seatAddProbability({ ...common, seatStrength: 0, growing: false, supporting: 1 });
  }
}

/** Prior mean of a signal's signal-to-opportunity rate: the readiness score of that signal alone at strength 1. */
export function opportunityRatePrior(signalId: string, config: ScoringConfig): number {
  const weight = config.score.signalWeights[weightKey(signalId)] ?? 0;
  return probabilityBounds(1 - Math.exp(-weight / config.score.scale));
}

export interface OutcomeInputs {
  readonly outcomes: readonly DealOutcome[];
  readonly pitches: readonly PitchSnapshot[];
  readonly sightings: readonly SignalSighting[];
  readonly config: ScoringConfig;
  /** The account's CRM owner (from the stored assessments), for the by-owner rates of accounts without a deal. */
  readonly accountOwners?: ReadonlyMap<string, string>;
}

/** Which slice of the data a row covers: all of it, one motion, or one owner. */
export type StatsGroup =
  | { readonly kind: 'all' }
  | { readonly kind: 'motion'; readonly motion: Motion }
  | { readonly kind: 'owner'; readonly ownerId: string };

export interface SignalStats {
  readonly signalId: string;
  readonly group: StatsGroup;
  /** Accounts where the signal fired (in the group), and how many got an expansion deal created after it. */
  readonly opportunityRate: RateEstimate;
  /** Won of closed, among deals whose pitch or account had the signal. */
  readonly closeRate: RateEstimate;
  readonly open: number;
  /** Median days from the signal's first sighting to the close date of a won deal; null with none. */
  readonly medianDaysToClose: number | null;
  /** Won of closed among the group's deals without the signal: the lift's baseline. */
  readonly withoutRate: RateEstimate;
  /** Posterior mean close rate with the signal / without it; null when the baseline is 0. */
  readonly lift: number | null;
  /** The same ratio of raw rates; null when either has no closed deal or the baseline is 0. */
  readonly rawLift: number | null;
}

/** How a deal looks to the statistics: its motion, owner, signals and dates resolved from its pitch and account. */
interface DealView {
  readonly deal: DealOutcome;
  readonly motion: Motion | undefined;
  readonly ownerId: string | undefined;
  /** Signal id -> the date the signal counts from for this deal (YYYY-MM-DD). */
  readonly signals: ReadonlyMap<string, string>;
  /** YYYY-MM-DD the deal was created (the CRM's date, else when we first read it). */
  readonly created: string;
  /** YYYY-MM-DD it closed, for a closed deal. */
  readonly closed: string | undefined;
}

const day = (iso: string): string => iso.slice(0, 10);

/** The day a deal was created: the CRM's creation date, else when the worker first read it. */
export const createdDay = (deal: DealOutcome): string => day(deal.createdAt ?? deal.firstSeenAt);
/** The day a closed deal closed: the CRM's close date, else when the worker first read it closed. */
export const closedDay = (deal: DealOutcome): string | undefined =>
  deal.status === 'open' ? undefined : (deal.closeDate ?? (deal.closedSeenAt ? day(deal.closedSeenAt) : undefined));

function sightingsByAccount(sightings: readonly SignalSighting[]): Map<string, SignalSighting[]> {
  const byAccount = new Map<string, SignalSighting[]>();
  for (const s of sightings) byAccount.set(s.accountId, [...(byAccount.get(s.accountId) ?? []), s]);
  return byAccount;
}

function dealViews(inputs: OutcomeInputs, byAccount: ReadonlyMap<string, readonly SignalSighting[]>): DealView[] {
  const pitches = new Map(inputs.pitches.map((p) => [`${p.system}\u0000${p.key}`, p]));
  return inputs.outcomes.map((deal) => {
    const pitch = deal.pitchKey === undefined ? undefined : pitches.get(`${deal.system}\u0000${deal.pitchKey}`);
    const created = createdDay(deal);
    const sighted = byAccount.get(deal.accountId) ?? [];
    const signals = new Map<string, string>();
    if (pitch !== undefined) {
      // Attributed to what the AE was shown; the signal counts from its first sighting, or the pitch.
      for (const s of pitch.signals) {
        const first = sighted.find((x) => x.signalId === s.id)?.firstAsOf;
        signals.set(s.id, first !== undefined && first < pitch.asOf ? first : pitch.asOf);
      }
    } else {
      for (const s of sighted) if (s.firstAsOf <= created) signals.set(s.signalId, s.firstAsOf);
    }
    return {
      deal,
      motion: deal.motion ?? pitch?.motion,
      ownerId: deal.ownerId ?? pitch?.ownerId ?? inputs.accountOwners?.get(deal.accountId),
      signals,
      created,
      closed: closedDay(deal),
    };
  });
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function inGroup(view: DealView, group: StatsGroup): boolean {
  if (group.kind === 'motion') return view.motion === group.motion;
  if (group.kind === 'owner') return view.ownerId === group.ownerId;
  return true;
}

function signalStats(
  signalId: string,
  group: StatsGroup,
  views: readonly DealView[],
  sightings: readonly SignalSighting[],
  inputs: OutcomeInputs,
): SignalStats {
  const { config } = inputs;
  const grouped = views.filter((v) => inGroup(v, group));
  // Signal to opportunity: accounts where it fired (the owner's accounts, for an owner) that got a deal after it.
  const fired = sightings.filter(
    (s) =>
      s.signalId === signalId &&
      (group.kind !== 'owner' ||
        (inputs.accountOwners?.get(s.accountId) ?? ownerOf(views, s.accountId)) === group.ownerId),
  );
  const converted = fired.filter((s) =>
    grouped.some((v) => v.deal.accountId === s.accountId && v.created >= s.firstAsOf),
  ).length;
  const withSignal = grouped.filter((v) => v.signals.has(signalId));
  const without = grouped.filter((v) => !v.signals.has(signalId));
  const won = (list: readonly DealView[]): number => list.filter((v) => v.deal.status === 'won').length;
  const closed = (list: readonly DealView[]): number => list.filter((v) => v.deal.status !== 'open').length;
  const closeRate = betaEstimate(won(withSignal), closed(withSignal), {
    mean: closeRatePrior(signalId, config),
    strength: PRIOR_STRENGTH,
  });
  const withoutRate = betaEstimate(won(without), closed(without), {
    mean: probabilityBounds(config.probability.base),
    strength: PRIOR_STRENGTH,
  });
  const days = withSignal.flatMap((v) => {
    const from = v.signals.get(signalId);
    if (v.deal.status !== 'won' || v.closed === undefined || from === undefined) return [];
    const n = dayNumber(v.closed) - dayNumber(from);
    return n >= 0 ? [n] : [];
  });
  return {
    signalId,
    group,
    opportunityRate: betaEstimate(converted, fired.length, {
      mean: opportunityRatePrior(signalId, config),
      strength: PRIOR_STRENGTH,
    }),
    closeRate,
    open: withSignal.length - closed(withSignal),
    medianDaysToClose: median(days),
    withoutRate,
    lift: withoutRate.mean > 0 ? closeRate.mean / withoutRate.mean : null,
    rawLift:
      closeRate.raw !== null && withoutRate.raw !== null && withoutRate.raw > 0
        ? closeRate.raw / withoutRate.raw
        : null,
  };
}

function ownerOf(views: readonly DealView[], accountId: string): string | undefined {
  return views.find((v) => v.deal.accountId === accountId && v.ownerId !== undefined)?.ownerId;
}

export interface LabelTotals {
  readonly open: number;
  readonly won: number;
  readonly lost: number;
  readonly openAmount: number;
  readonly wonAmount: number;
}

export const OUTCOME_LABELS: readonly OutcomeLabel[] = ['created', 'adopted', 'influenced', 'organic'];
export const OUTCOME_STATUSES: readonly OutcomeStatus[] = ['open', 'won', 'lost'];

export function totalsByLabel(outcomes: readonly DealOutcome[]): Record<OutcomeLabel, LabelTotals> {
  const totals = {} as Record<OutcomeLabel, LabelTotals>;
  for (const label of OUTCOME_LABELS) {
    const of = outcomes.filter((o) => o.label === label);
    const amount = (status: OutcomeStatus): number =>
      of.filter((o) => o.status === status).reduce((sum, o) => sum + (o.amount ?? 0), 0);
    totals[label] = {
      open: of.filter((o) => o.status === 'open').length,
      won: of.filter((o) => o.status === 'won').length,
      lost: of.filter((o) => o.status === 'lost').length,
      openAmount: amount('open'),
      wonAmount: amount('won'),
    };
  }
  return totals;
}

/** Every signal id in the sightings and the pitches, in a stable order. */
export function signalIds(inputs: Pick<OutcomeInputs, 'pitches' | 'sightings'>): string[] {
  const ids = new Set<string>();
  for (const s of inputs.sightings) ids.add(s.signalId);
  for (const p of inputs.pitches) for (const s of p.signals) ids.add(s.id);
  return [...ids].sort();
}

export interface OutcomeStats {
  readonly totals: Record<OutcomeLabel, LabelTotals>;
  /** One row per signal for all deals, then per motion and per owner that has deals. */
  readonly signals: readonly SignalStats[];
}

/** Conversion, close rate, days to close and lift of every signal, overall and by motion and owner. */
export function outcomeStats(inputs: OutcomeInputs): OutcomeStats {
  const byAccount = sightingsByAccount(inputs.sightings);
  const views = dealViews(inputs, byAccount);
  const motions = [...new Set(views.flatMap((v) => (v.motion ? [v.motion] : [])))].sort();
  const owners = [...new Set(views.flatMap((v) => (v.ownerId ? [v.ownerId] : [])))].sort();
  const groups: StatsGroup[] = [
    { kind: 'all' },
    ...motions.map((motion): StatsGroup => ({ kind: 'motion', motion })),
    ...owners.map((ownerId): StatsGroup => ({ kind: 'owner', ownerId })),
  ];
  const signals = signalIds(inputs).flatMap((id) =>
    groups.map((group) => signalStats(id, group, views, inputs.sightings, inputs)),
  );
  return { totals: totalsByLabel(inputs.outcomes), signals };
}

export interface DataGate {
  readonly closed: number;
  readonly won: number;
  readonly lost: number;
  readonly minClosed: number;
  readonly minEach: number;
  readonly met: boolean;
  /** Closed outcomes still needed, and of them how many must be won and lost. */
  readonly needClosed: number;
  readonly needWon: number;
  readonly needLost: number;
  /** Past learning.fullReplaceEach won and lost: learned weights may fully replace the configured ones. */
  readonly fullReplace: boolean;
  readonly message: string;
}

/** How far the closed outcomes are from the recalibration gate (learning.minClosed, minEach, fullReplaceEach). */
export function dataGate(
  outcomes: readonly DealOutcome[],
  learning: { readonly minClosed: number; readonly minEach: number; readonly fullReplaceEach: number },
): DataGate {
  const won = outcomes.filter((o) => o.status === 'won').length;
  const lost = outcomes.filter((o) => o.status === 'lost').length;
  const closed = won + lost;
  const needWon = Math.max(0, learning.minEach - won);
  const needLost = Math.max(0, learning.minEach - lost);
  const needClosed = Math.max(learning.minClosed - closed, needWon + needLost, 0);
  const met = needClosed === 0;
  const fullReplace = won >= learning.fullReplaceEach && lost >= learning.fullReplaceEach;
  const have = `${closed} closed (${won} won, ${lost} lost)`;
  const rule = `${learning.minClosed} closed with at least ${learning.minEach} won and ${learning.minEach} lost`;
  let message: string;
  if (!met) {
    const split = [needWon > 0 ? `${needWon} won` : '', needLost > 0 ? `${needLost} lost` : ''].filter(Boolean);
    const detail = split.length > 0 ? ` (${split.join(', ')} more)` : '';
    message = `Data gate not met: ${have} of ${rule}: ${needClosed} more closed outcomes needed${detail}. Nothing is recalibrated.`;
  } else if (!fullReplace) {
    message = `Data gate met: ${have}. Learned weights stay shrunk toward the configured ones until ${learning.fullReplaceEach} won and ${learning.fullReplaceEach} lost.`;
  } else {
    message = `Data gate met: ${have}, past ${learning.fullReplaceEach} of each: learned weights may fully replace the configured ones.`;
  }
  return { closed, won, lost, ...learning, met, needClosed, needWon, needLost, fullReplace, message };
}

export interface HoldoutUplift {
  /** Pitched ready accounts (not in the holdout, with a pitch) with a won expansion deal of any label. */
  readonly pitched: RateEstimate;
  /** Ready accounts in the holdout with a won expansion deal of any label. */
  readonly holdout: RateEstimate;
  /** Posterior mean difference, pitched − holdout (share points). */
  readonly uplift: number;
  /** The same difference of raw rates; null when either group is empty. */
  readonly rawUplift: number | null;
}

const JEFFREYS = { mean: 0.5, strength: 1 };

/**
 * The uplift of pitching: the share of pitched ready accounts that won an expansion deal (any label, ours or
 * an AE's) against the same share in the never-pitched holdout. `readyAccountIds` are the accounts with an
 * opportunity ready to pitch (withheld only for the holdout); `isHoldout` tells which of them are held out.
 */
export function holdoutUplift(input: {
  readonly outcomes: readonly DealOutcome[];
  readonly pitches: readonly PitchSnapshot[];
  readonly readyAccountIds: readonly string[];
  readonly isHoldout: (accountId: string) => boolean;
}): HoldoutUplift {
  const pitchedIds = new Set(input.pitches.map((p) => p.accountId));
  const wonIds = new Set(input.outcomes.filter((o) => o.status === 'won').map((o) => o.accountId));
  const ready = new Set([...input.readyAccountIds, ...pitchedIds]);
  const holdout = [...ready].filter((id) => input.isHoldout(id));
  const pitched = [...ready].filter((id) => !input.isHoldout(id) && pitchedIds.has(id));
  const rate = (ids: readonly string[]): RateEstimate =>
    betaEstimate(ids.filter((id) => wonIds.has(id)).length, ids.length, JEFFREYS);
  const p = rate(pitched);
  const h = rate(holdout);
  return {
    pitched: p,
    holdout: h,
    uplift: p.mean - h.mean,
    rawUplift: p.raw !== null && h.raw !== null ? p.raw - h.raw : null,
  };
}

/** The window of the digest's expansion rate and leaderboard "Closed": the last 90 days. */
export const RATE_WINDOW_DAYS = 90;

export interface WeeklyOutcomeFacts {
  /** The week covered: the seven days ending on `to` (YYYY-MM-DD, both included). */
  readonly from: string;
  readonly to: string;
  /** Accounts with a signal first sighted in the week. */
  readonly newSignalAccounts: number;
  /** Expansion deals open in the CRM (any label) and their amount. */
  readonly open: { readonly count: number; readonly amount: number };
  /** Deals closed in the week: how many, how many won, and the won amount. */
  readonly closedThisWeek: { readonly count: number; readonly won: number; readonly wonAmount: number };
  /** Won of closed over the last RATE_WINDOW_DAYS days (raw; null with none closed). */
  readonly expansionRate: { readonly won: number; readonly closed: number; readonly rate: number | null };
  /** Every known signal's close rate over all deals, with its interval (the prior alone without closed deals). */
  readonly conversions: Readonly<Record<string, RateEstimate>>;
  /** Per signal seen in the week: accounts showing it, and its close rate (all deals) with the interval. */
  readonly signalActivity: readonly {
    readonly signalId: string;
    readonly accounts: number;
    readonly conversion: RateEstimate;
  }[];
  /** Per deal owner: open deals, their amount, and deals won in the last RATE_WINDOW_DAYS days with their amount. */
  readonly leaderboard: readonly {
    readonly ownerId: string | undefined;
    readonly opportunities: number;
    readonly pipeline: number;
    readonly won: number;
    readonly wonAmount: number;
  }[];
}

/** Seed 004's weekly outcome figures for the week ending on `asOf` (YYYY-MM-DD). */
export function weeklyOutcomeFacts(inputs: OutcomeInputs, asOf: string): WeeklyOutcomeFacts {
  const end = dayNumber(asOf);
  const inDays = (date: string | undefined, days: number): boolean =>
    date !== undefined && dayNumber(date) <= end && dayNumber(date) > end - days;
  const { outcomes, sightings } = inputs;
  const open = outcomes.filter((o) => o.status === 'open');
  const sum = (list: readonly DealOutcome[]): number => list.reduce((total, o) => total + (o.amount ?? 0), 0);
  const closedWeek = outcomes.filter((o) => inDays(closedDay(o), 7));
  const closedWindow = outcomes.filter((o) => inDays(closedDay(o), RATE_WINDOW_DAYS));
  const wonWindow = closedWindow.filter((o) => o.status === 'won');
  const stats = outcomeStats(inputs);
  const seenThisWeek = sightings.filter((s) => s.lastAsOf <= asOf && dayNumber(s.lastAsOf) > end - 7);
  const activity = [...new Set(seenThisWeek.map((s) => s.signalId))].map((signalId) => ({
    signalId,
    accounts: new Set(seenThisWeek.filter((s) => s.signalId === signalId).map((s) => s.accountId)).size,
    conversion:
      stats.signals.find((s) => s.signalId === signalId && s.group.kind === 'all')?.closeRate ??
      betaEstimate(0, 0, { mean: closeRatePrior(signalId, inputs.config), strength: PRIOR_STRENGTH }),
  }));
  const owners = [...new Set([...open, ...wonWindow].map((o) => o.ownerId))];
  const leaderboard = owners.map((ownerId) => {
    const mine = open.filter((o) => o.ownerId === ownerId);
    const won = wonWindow.filter((o) => o.ownerId === ownerId);
    return { ownerId, opportunities: mine.length, pipeline: sum(mine), won: won.length, wonAmount: sum(won) };
  });
  return {
    from: isoDay(end - 6),
    to: asOf,
    newSignalAccounts: new Set(sightings.filter((s) => inDays(s.firstAsOf, 7)).map((s) => s.accountId)).size,
    open: { count: open.length, amount: sum(open) },
    closedThisWeek: {
      count: closedWeek.length,
      won: closedWeek.filter((o) => o.status === 'won').length,
      wonAmount: sum(closedWeek.filter((o) => o.status === 'won')),
    },
    expansionRate: {
      won: wonWindow.length,
      closed: closedWindow.length,
      rate: closedWindow.length > 0 ? wonWindow.length / closedWindow.length : null,
    },
    conversions: Object.fromEntries(
      stats.signals.flatMap((s) => (s.group.kind === 'all' ? [[s.signalId, s.closeRate]] : [])),
    ),
    signalActivity: activity.sort((a, b) => b.accounts - a.accounts || a.signalId.localeCompare(b.signalId)),
    leaderboard: leaderboard.sort(
      (a, b) =>
        b.pipeline - a.pipeline || b.wonAmount - a.wonAmount || (a.ownerId ?? '').localeCompare(b.ownerId ?? ''),
    ),
  };
}

/** `42% (90% CI 31–55%)`: a rate's posterior mean with its credible interval. */
export function rateWithInterval(e: RateEstimate): string {
  return `${percent(e.mean)} (${Math.round(CREDIBLE_MASS * 100)}% CI ${Math.round(e.low * 100)}–${percent(e.high)})`;
}

/** `42% (90% CI 31–55%), n=24`: with the number of trials behind it. */
export function rateWithN(e: RateEstimate): string {
  return `${rateWithInterval(e)}, n=${e.trials}`;
}

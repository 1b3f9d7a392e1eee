import type { Motion } from '../model/account.ts';
import type { ExpansionOpportunity, PriorityTier } from '../model/assessment.ts';
import {
  RATE_WINDOW_DAYS,
  rateWithInterval,
  weeklyOutcomeFacts,
  type OutcomeInputs,
  type WeeklyOutcomeFacts,
} from '../outcomes/stats.ts';
import type { StoredAssessment } from '../state/store.ts';
import {
  count,
  money,
  MOTION_NAME,
  motionName,
  ownerLabel,
  percent,
  scoreOutOfTen,
  signalName,
  TIMING_NAME,
  WITHHELD_LABEL,
} from './format.ts';
import { parseStoredAssessments, type ParsedStored } from './parse.ts';
import type { Alert, AlertEntry, AlertField, AlertSection } from './types.ts';

export interface DigestOptions {
  /** The week the digest covers, as shown: `2026-11-30`. */
  readonly weekOf: string;
  /** How many opportunities the "hottest" list shows; 5 as in seed 004. */
  readonly top?: number;
  /** The configured currency (scoring.pricing.currency): every amount is in it. */
  readonly currency: string;
  /**
   * The stored outcomes (deals as the CRM last showed them, pitches, signal sightings): with them the digest
   * adds seed 004's outcome figures (new signals, in-progress and closed deals, the expansion rate), each
   * signal's conversion with its credible interval, and the CSM leaderboard of deals in the CRM.
   */
  readonly outcomes?: OutcomeInputs;
}

interface Row {
  readonly item: ParsedStored;
  readonly opportunity: ExpansionOpportunity;
}

const MOTIONS: readonly Motion[] = ['seat_add', 'tier_upgrade', 'module_cross_sell'];
const TIERS: readonly PriorityTier[] = ['P1', 'P2', 'P3'];
/** Slack shows at most this many lines of a list before the message becomes a wall. */
const LIST_LIMIT = 10;

/**
 * Seed 004's "Weekly Expansion Pipeline" from the stored assessments: the overview (accounts with
 * signals, open opportunities and their value, by motion and by tier), the hottest opportunities, the
 * opportunities withheld (identified, not pitched) and why, signal activity, the owner leaderboard, and the
 * red accounts to stabilize before any expansion talk. Pitched and withheld value are never added together.
 */
export function weeklyDigestAlert(assessments: readonly StoredAssessment[], options: DigestOptions): Alert {
  const { items, skipped } = parseStoredAssessments(assessments);
  const all = items.flatMap((item) => item.assessment.opportunities.map((opportunity) => ({ item, opportunity })));
  const facts: DigestFacts = {
    items,
    rows: all.filter((r) => r.opportunity.withheld === undefined),
    // The holdout is never shown to sellers: telling them would pitch it and spoil the comparison.
    withheld: all
      .filter((r) => r.opportunity.withheld !== undefined && r.opportunity.withheld !== 'holdout')
      .sort(byRank),
    red: items.filter((i) => i.assessment.health === 'red'),
  };
  const { rows, withheld, red } = facts;
  const outcome = options.outcomes ? weeklyOutcomeFacts(options.outcomes, options.weekOf) : undefined;
  const m = (value: number): string => money(value, options.currency);
  const top = [...rows].sort(byRank).slice(0, options.top ?? 5);
  const held = withheld.length > 0 ? ` (${withheld.length} more withheld, not pitched)` : '';
  const opportunities = count(rows.length, 'opportunity', 'opportunities');
  const skippedNote = `${count(skipped, 'stored assessment')} in an older format skipped; the next sync replaces them.`;
  return {
    kind: 'weekly_digest',
    title: '📊 WEEKLY EXPANSION PIPELINE',
    summary:
      `Weekly expansion pipeline (week of ${options.weekOf}): ${opportunities}, ` +
      `${m(sumOf(rows, 'expectedValue'))} expected value${held}, ${count(red.length, 'account')} to stabilize`,
    fields: [
      { label: 'Week of', value: options.weekOf },
      { label: 'Accounts scored', value: String(items.length) },
    ],
    sections: digestSections(facts, top, m, outcome),
    footer: skipped > 0 ? skippedNote : `Scored as of ${latestAsOf(items) ?? options.weekOf}`,
    data: {
      weekOf: options.weekOf,
      currency: options.currency,
      ...digestData(facts, top),
      skipped,
      ...(outcome ? { outcomes: outcomeData(outcome, items) } : {}),
    },
  };
}

interface DigestFacts {
  readonly items: readonly ParsedStored[];
  /** Pitched opportunities: the pipeline. */
  readonly rows: readonly Row[];
  /** Identified but not pitched, best ranked first. */
  readonly withheld: readonly Row[];
  readonly red: readonly ParsedStored[];
}

type Money = (value: number) => string;

function digestSections(
  facts: DigestFacts,
  top: readonly Row[],
  m: Money,
  outcome: WeeklyOutcomeFacts | undefined,
): AlertSection[] {
  const { withheld, red } = facts;
  const none = [{ text: 'No open expansion opportunities.' }];
  const hottestEntries = top.length > 0 ? top.map((r, i) => hottest(r, i + 1, m)) : none;
  const withheldSection = {
    heading: `⏸️ Withheld Opportunities (${withheld.length}): identified, not pitched`,
    entries: withheld.slice(0, LIST_LIMIT).map((r) => withheldEntry(r, m)),
  };
  const redEntries = red.length > 0 ? red.slice(0, LIST_LIMIT).map(stabilize) : [{ text: 'None: no account is red.' }];
  return [
    overview(facts, m, outcome),
    { heading: `🔥 Hottest Opportunities (Top ${top.length})`, entries: hottestEntries },
    ...(withheld.length > 0 ? [withheldSection] : []),
    { heading: '📊 Signal Activity', entries: signalActivity(facts.items, outcome) },
    outcome
      ? { heading: '🎯 CSM Expansion Leaderboard', entries: csmLeaderboard(outcome, facts.items, m) }
      : { heading: '🎯 Owner Expansion Leaderboard', entries: leaderboard(facts.rows, m) },
    { heading: '🛟 Accounts to Stabilize (red)', entries: redEntries },
  ];
}

function digestData(facts: DigestFacts, top: readonly Row[]): Record<string, unknown> {
  const { rows } = facts;
  return {
    accounts: facts.items.length,
    opportunities: rows.length,
    expectedValue: Math.round(sumOf(rows, 'expectedValue')),
    arrPotential: Math.round(sumOf(rows, 'arrPotential')),
    withheld: withheldData(facts.withheld),
    byMotion: Object.fromEntries(MOTIONS.map((mo) => [mo, rows.filter((r) => r.opportunity.motion === mo).length])),
    byTier: Object.fromEntries(TIERS.map((t) => [t, rows.filter((r) => r.opportunity.priority?.tier === t).length])),
    top: top.map(({ item, opportunity: o }) => ({
      accountId: item.stored.accountId,
      accountName: item.stored.accountName,
      owner: ownerLabel(item.stored),
      motion: o.motion,
      arrPotential: o.arrPotential,
      expectedValue: o.expectedValue,
      tier: o.priority?.tier ?? null,
    })),
    stabilize: facts.red.map((i) => ({ accountId: i.stored.accountId, accountName: i.stored.accountName })),
  };
}

function overview(facts: DigestFacts, m: Money, outcome: WeeklyOutcomeFacts | undefined): AlertSection {
  const { rows, withheld } = facts;
  const byMotion: AlertField[] = MOTIONS.map((mo) => {
    const of = rows.filter((r) => r.opportunity.motion === mo);
    return { label: MOTION_NAME[mo], value: `${of.length} | ${m(sumOf(of, 'expectedValue'))}` };
  });
  const byTier: AlertField[] = TIERS.map((t) => {
    const of = rows.filter((r) => r.opportunity.priority?.tier === t);
    const queued = of.filter((r) => r.opportunity.priority?.queued === true).length;
    const waiting = queued > 0 ? ` (${queued} queued)` : '';
    return { label: t, value: `${of.length} | ${m(sumOf(of, 'expectedValue'))}${waiting}` };
  });
  const withSignals = facts.items.filter((i) => i.assessment.signals.some((s) => s.kind === 'expansion')).length;
  const open =
    `🎯 Open opportunities: ${rows.length} | ${m(sumOf(rows, 'expectedValue'))} expected` +
    ` (${m(sumOf(rows, 'arrPotential'))} potential ARR)`;
  const held =
    `⏸️ Withheld, not pitched: ${withheld.length} | ${m(sumOf(withheld, 'arrPotential'))} potential ARR` +
    ' (not in the figures above)';
  return {
    heading: 'Expansion Opportunities Overview',
    entries: [
      ...(outcome ? outcomeOverview(outcome, m) : []),
      { text: `🆕 Accounts with expansion signals: ${count(withSignals, 'account')}`, bullet: true },
      { text: open, bullet: true },
      ...(withheld.length > 0 ? [{ text: held, bullet: true }] : []),
    ],
    fields: [...byMotion, ...byTier],
  };
}

function hottest(row: Row, rank: number, m: Money): AlertEntry {
  const { stored, assessment } = row.item;
  const o = row.opportunity;
  const own = new Set(o.signalIds);
  const signals = assessment.signals.filter((s) => own.has(s.id)).map((s) => signalName(s.id));
  const status = `${o.priority ? `${o.priority.tier}${o.priority.queued ? ', queued' : ''}` : 'unranked'}, ${TIMING_NAME[o.timing]}`;
  return {
    label: `${rank}. ${stored.accountName}`,
    text: [
      `${motionName(o)}: ${o.narrative.title}`,
      `Signals: ${signals.length > 0 ? signals.join(', ') : 'none recorded'}`,
      `Potential: ${m(o.arrPotential)} | Score: ${scoreOutOfTen(assessment.score)}`,
      `Owner: ${ownerLabel(stored)} | Status: ${status}`,
    ].join('\n'),
  };
}

function withheldEntry(row: Row, m: Money): AlertEntry {
  const o = row.opportunity;
  const status = o.withheld === undefined ? 'pitched' : WITHHELD_LABEL[o.withheld];
  const owner = ownerLabel(row.item.stored);
  const text = `${motionName(o)}: ${m(o.arrPotential)} potential ARR | Owner: ${owner} | Status: ${status}`;
  return { label: row.item.stored.accountName, text };
}

function withheldData(rows: readonly Row[]): Record<string, unknown> {
  const byReason: Record<string, number> = {};
  for (const {
    opportunity: { withheld },
  } of rows) {
    if (withheld !== undefined) byReason[withheld] = (byReason[withheld] ?? 0) + 1;
  }
  return { count: rows.length, arrPotential: Math.round(sumOf(rows, 'arrPotential')), byReason };
}

/** Seed 004's overview lines from the outcomes: deals in the CRM, not the scored pipeline. */
function outcomeOverview(o: WeeklyOutcomeFacts, m: Money): AlertEntry[] {
  const { won, closed, rate } = o.expansionRate;
  const expansion =
    rate === null
      ? `📈 Expansion rate: no deal closed in the last ${RATE_WINDOW_DAYS} days`
      : `📈 Expansion rate: ${percent(rate)} (${won} won of ${closed} closed, last ${RATE_WINDOW_DAYS} days)`;
  return [
    { text: `🆕 New signals this week: ${count(o.newSignalAccounts, 'account')}`, bullet: true },
    { text: `🎯 In-progress opportunities: ${o.open.count} | ${m(o.open.amount)}`, bullet: true },
    {
      text: `✅ Closed this week: ${o.closedThisWeek.count} | ${m(o.closedThisWeek.wonAmount)} won (${o.closedThisWeek.won} won)`,
      bullet: true,
    },
    { text: expansion, bullet: true },
  ];
}

/**
 * Signal activity: accounts whose latest assessment shows each expansion signal; with outcomes, seed 004's
 * table with each signal's close rate (posterior mean and 90% credible interval).
 */
function signalActivity(items: readonly ParsedStored[], outcome: WeeklyOutcomeFacts | undefined): AlertEntry[] {
  const counts = new Map<string, number>();
  for (const { assessment } of items)
    for (const s of assessment.signals) if (s.kind === 'expansion') counts.set(s.id, (counts.get(s.id) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, LIST_LIMIT);
  if (sorted.length === 0) return [{ text: 'No expansion signals fired.' }];
  if (outcome === undefined)
    return sorted.map(([id, n]) => ({ text: `${signalName(id)}: ${count(n, 'account')}`, bullet: true }));
  const conversion = (id: string): string => {
    const e = outcome.conversions[id];
    return e === undefined ? 'no outcomes yet' : `${rateWithInterval(e)}, n=${e.trials}`;
  };
  return [
    { text: 'Signal Type | Count | Avg Conversion' },
    ...sorted.map(([id, n]) => ({ text: `${signalName(id)} | ${n} | ${conversion(id)}` })),
    { text: 'Avg Conversion: won of closed deals with the signal, Beta prior from the configured weights.' },
  ];
}

/** Owner names from the stored assessments (the CRM's owners at the last run). */
function ownerNames(items: readonly ParsedStored[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const { stored } of items) if (stored.ownerId !== undefined) names.set(stored.ownerId, ownerLabel(stored));
  return names;
}

/** Seed 004's CSM leaderboard: open expansion deals in the CRM, their value, and the value won lately. */
function csmLeaderboard(outcome: WeeklyOutcomeFacts, items: readonly ParsedStored[], m: Money): AlertEntry[] {
  if (outcome.leaderboard.length === 0) return [{ text: 'No expansion deals open or won yet.' }];
  const names = ownerNames(items);
  const name = (id: string | undefined): string => (id === undefined ? 'unassigned' : (names.get(id) ?? id));
  return [
    { text: 'CSM | Opportunities | Pipeline | Closed' },
    ...outcome.leaderboard
      .slice(0, LIST_LIMIT)
      .map((e) => ({ text: `${name(e.ownerId)} | ${e.opportunities} | ${m(e.pipeline)} | ${m(e.wonAmount)}` })),
    {
      text: `Opportunities and pipeline: expansion deals open in the CRM; closed: value won in the last ${RATE_WINDOW_DAYS} days.`,
    },
  ];
}

function outcomeData(o: WeeklyOutcomeFacts, items: readonly ParsedStored[]): Record<string, unknown> {
  const names = ownerNames(items);
  return {
    from: o.from,
    to: o.to,
    newSignalAccounts: o.newSignalAccounts,
    open: o.open,
    closedThisWeek: o.closedThisWeek,
    expansionRate: { ...o.expansionRate, windowDays: RATE_WINDOW_DAYS },
    signalActivity: o.signalActivity.map((s) => ({
      signalId: s.signalId,
      accounts: s.accounts,
      conversion: { mean: s.conversion.mean, low: s.conversion.low, high: s.conversion.high, n: s.conversion.trials },
    })),
    leaderboard: o.leaderboard.map((e) => ({
      ...e,
      owner: e.ownerId === undefined ? 'unassigned' : (names.get(e.ownerId) ?? e.ownerId),
    })),
  };
}

function leaderboard(rows: readonly Row[], m: Money): AlertEntry[] {
  const byOwner = new Map<string, { owner: string; opportunities: number; expected: number }>();
  for (const r of rows) {
    const key = r.item.stored.ownerId ?? '';
    const entry = byOwner.get(key) ?? { owner: ownerLabel(r.item.stored), opportunities: 0, expected: 0 };
    entry.opportunities += 1;
    entry.expected += r.opportunity.expectedValue;
    byOwner.set(key, entry);
  }
  const sorted = [...byOwner.values()].sort((a, b) => b.expected - a.expected || a.owner.localeCompare(b.owner));
  if (sorted.length === 0) return [{ text: 'No opportunities yet.' }];
  const line = (e: { owner: string; opportunities: number; expected: number }): string =>
    `${e.owner}: ${count(e.opportunities, 'opportunity', 'opportunities')} | ${m(e.expected)} pipeline`;
  return sorted.slice(0, LIST_LIMIT).map((e) => ({ text: line(e), bullet: true }));
}

function stabilize(item: ParsedStored): AlertEntry {
  const risk = [...item.assessment.signals].filter((s) => s.kind === 'risk').sort((a, b) => b.strength - a.strength)[0];
  return {
    label: item.stored.accountName,
    text: risk ? risk.summary : (item.assessment.reasons[0] ?? 'health is red'),
  };
}

/** Portfolio rank first (1 = best), then expected value for unranked opportunities. */
function byRank(a: Row, b: Row): number {
  const ra = a.opportunity.priority?.rank ?? Number.POSITIVE_INFINITY;
  const rb = b.opportunity.priority?.rank ?? Number.POSITIVE_INFINITY;
  return (
    ra - rb ||
    b.opportunity.expectedValue - a.opportunity.expectedValue ||
    a.item.stored.accountName.localeCompare(b.item.stored.accountName)
  );
}

function sumOf(rows: readonly Row[], key: 'expectedValue' | 'arrPotential'): number {
  return rows.reduce((total, row) => total + row.opportunity[key], 0);
}

function latestAsOf(items: readonly ParsedStored[]): string | undefined {
  return items
    .map((i) => i.assessment.asOf)
    .sort()
    .at(-1);
}

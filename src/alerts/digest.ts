import type { Motion } from '../model/account.ts';
import type { ExpansionOpportunity, PriorityTier } from '../model/assessment.ts';
import type { StoredAssessment } from '../state/store.ts';
import { count, money, MOTION_NAME, motionName, scoreOutOfTen, signalName, TIMING_NAME } from './format.ts';
import { parseStoredAssessments, type ParsedStored } from './parse.ts';
import type { Alert, AlertEntry, AlertField, AlertSection } from './types.ts';

export interface DigestOptions {
  /** The week the digest covers, as shown: `2026-11-30`. */
  readonly weekOf: string;
  /** How many opportunities the "hottest" list shows; 5 as in seed 004. */
  readonly top?: number;
  /** Owner id -> name, when the CRM's owner list gave names. */
  readonly ownerNames?: Readonly<Record<string, string>>;
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
 * signals, open opportunities and their value, by motion and by tier), the hottest opportunities, signal
 * activity, the owner leaderboard, and the red accounts to stabilise before any expansion talk.
 */
export function weeklyDigestAlert(assessments: readonly StoredAssessment[], options: DigestOptions): Alert {
  const { items, skipped } = parseStoredAssessments(assessments);
  const rows = items.flatMap((item) => item.assessment.opportunities.map((opportunity) => ({ item, opportunity })));
  const ranked = [...rows].sort(byRank);
  const red = items.filter((i) => i.assessment.health === 'red');
  const expectedValue = sum(rows, (r) => r.opportunity.expectedValue);
  const arrPotential = sum(rows, (r) => r.opportunity.arrPotential);
  const withSignals = items.filter((i) => i.assessment.signals.some((s) => s.kind === 'expansion')).length;
  const top = ranked.slice(0, options.top ?? 5);
  return {
    kind: 'weekly_digest',
    title: '📊 WEEKLY EXPANSION PIPELINE',
    summary: `Weekly expansion pipeline (week of ${options.weekOf}): ${count(rows.length, 'opportunity', 'opportunities')}, ${money(expectedValue)} expected value, ${count(red.length, 'account')} to stabilise`,
    fields: [
      { label: 'Week of', value: options.weekOf },
      { label: 'Accounts scored', value: String(items.length) },
    ],
    sections: [
      overview({ rows, withSignals, expectedValue, arrPotential }),
      { heading: `🔥 Hottest Opportunities (Top ${top.length})`, entries: top.length > 0 ? top.map((r, i) => hottest(r, i + 1, options)) : [{ text: 'No open expansion opportunities.' }] },
      { heading: '📊 Signal Activity', entries: signalActivity(items) },
      { heading: '🎯 Owner Expansion Leaderboard', entries: leaderboard(rows, options) },
      { heading: '🛟 Accounts to Stabilise (red)', entries: red.length > 0 ? red.slice(0, LIST_LIMIT).map(stabilise) : [{ text: 'None: no account is red.' }] },
    ],
    footer: skipped > 0 ? `${count(skipped, 'stored assessment')} in an older format skipped; the next sync replaces them.` : `Scored as of ${latestAsOf(items) ?? options.weekOf}`,
    data: {
      weekOf: options.weekOf,
      accounts: items.length,
      opportunities: rows.length,
      expectedValue: Math.round(expectedValue),
      arrPotential: Math.round(arrPotential),
      byMotion: Object.fromEntries(MOTIONS.map((m) => [m, rows.filter((r) => r.opportunity.motion === m).length])),
      byTier: Object.fromEntries(TIERS.map((t) => [t, rows.filter((r) => r.opportunity.priority?.tier === t).length])),
      top: top.map((r) => ({ accountId: r.item.stored.accountId, accountName: r.item.stored.accountName, motion: r.opportunity.motion, arrPotential: r.opportunity.arrPotential, expectedValue: r.opportunity.expectedValue, tier: r.opportunity.priority?.tier ?? null })),
      stabilise: red.map((i) => ({ accountId: i.stored.accountId, accountName: i.stored.accountName })),
      skipped,
    },
  };
}

function overview(facts: { readonly rows: readonly Row[]; readonly withSignals: number; readonly expectedValue: number; readonly arrPotential: number }): AlertSection {
  const { rows } = facts;
  const byMotion: AlertField[] = MOTIONS.map((m) => {
    const of = rows.filter((r) => r.opportunity.motion === m);
    return { label: MOTION_NAME[m], value: `${of.length} | ${money(sum(of, (r) => r.opportunity.expectedValue))}` };
  });
  const byTier: AlertField[] = TIERS.map((t) => {
    const of = rows.filter((r) => r.opportunity.priority?.tier === t);
    const queued = of.filter((r) => r.opportunity.priority?.queued === true).length;
    return { label: t, value: `${of.length} | ${money(sum(of, (r) => r.opportunity.expectedValue))}${queued > 0 ? ` (${queued} queued)` : ''}` };
  });
  return {
    heading: 'Expansion Opportunities Overview',
    entries: [
      { text: `🆕 Accounts with expansion signals: ${count(facts.withSignals, 'account')}`, bullet: true },
      { text: `🎯 Open opportunities: ${rows.length} | ${money(facts.expectedValue)} expected (${money(facts.arrPotential)} potential ARR)`, bullet: true },
    ],
    fields: [...byMotion, ...byTier],
  };
}

function hottest(row: Row, rank: number, options: DigestOptions): AlertEntry {
  const { stored, assessment } = row.item;
  const o = row.opportunity;
  const own = new Set(o.signalIds);
  const signals = assessment.signals.filter((s) => own.has(s.id)).map((s) => signalName(s.id));
  const owner = stored.ownerId === undefined ? 'unassigned' : (options.ownerNames?.[stored.ownerId] ?? stored.ownerId);
  const status = `${o.priority ? `${o.priority.tier}${o.priority.queued ? ', queued' : ''}` : 'unranked'}, ${TIMING_NAME[o.timing]}`;
  return {
    label: `${rank}. ${stored.accountName}`,
    text: [`${motionName(o)}: ${o.narrative.title}`, `Signals: ${signals.length > 0 ? signals.join(', ') : 'none recorded'}`, `Potential: ${money(o.arrPotential)} | Score: ${scoreOutOfTen(assessment.score)}`, `Owner: ${owner} | Status: ${status}`].join('\n'),
  };
}

function signalActivity(items: readonly ParsedStored[]): AlertEntry[] {
  const counts = new Map<string, number>();
  for (const { assessment } of items) for (const s of assessment.signals) if (s.kind === 'expansion') counts.set(s.id, (counts.get(s.id) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, LIST_LIMIT);
  if (sorted.length === 0) return [{ text: 'No expansion signals fired.' }];
  return sorted.map(([id, n]) => ({ text: `${signalName(id)}: ${count(n, 'account')}`, bullet: true }));
}

function leaderboard(rows: readonly Row[], options: DigestOptions): AlertEntry[] {
  const byOwner = new Map<string, { opportunities: number; expected: number }>();
  for (const r of rows) {
    const owner = r.item.stored.ownerId ?? '';
    const entry = byOwner.get(owner) ?? { opportunities: 0, expected: 0 };
    entry.opportunities += 1;
    entry.expected += r.opportunity.expectedValue;
    byOwner.set(owner, entry);
  }
  const sorted = [...byOwner].sort((a, b) => b[1].expected - a[1].expected || a[0].localeCompare(b[0])).slice(0, LIST_LIMIT);
  if (sorted.length === 0) return [{ text: 'No opportunities yet.' }];
  return sorted.map(([owner, e]) => ({ text: `${owner === '' ? 'unassigned' : (options.ownerNames?.[owner] ?? owner)}: ${count(e.opportunities, 'opportunity', 'opportunities')} | ${money(e.expected)} pipeline`, bullet: true }));
}

function stabilise(item: ParsedStored): AlertEntry {
  const risk = [...item.assessment.signals].filter((s) => s.kind === 'risk').sort((a, b) => b.strength - a.strength)[0];
  return { label: item.stored.accountName, text: risk ? risk.summary : (item.assessment.reasons[0] ?? 'health is red') };
}

/** Portfolio rank first (1 = best), then expected value for unranked opportunities. */
function byRank(a: Row, b: Row): number {
  const ra = a.opportunity.priority?.rank ?? Number.POSITIVE_INFINITY;
  const rb = b.opportunity.priority?.rank ?? Number.POSITIVE_INFINITY;
  return ra - rb || b.opportunity.expectedValue - a.opportunity.expectedValue || a.item.stored.accountName.localeCompare(b.item.stored.accountName);
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function latestAsOf(items: readonly ParsedStored[]): string | undefined {
  return items.map((i) => i.assessment.asOf).sort().at(-1);
}

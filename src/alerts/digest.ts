import type { Motion } from '../model/account.ts';
import type { ExpansionOpportunity, PriorityTier } from '../model/assessment.ts';
import type { StoredAssessment } from '../state/store.ts';
import {
  count,
  money,
  MOTION_NAME,
  motionName,
  ownerLabel,
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
    withheld: all.filter((r) => r.opportunity.withheld !== undefined).sort(byRank),
    red: items.filter((i) => i.assessment.health === 'red'),
  };
  const { rows, withheld, red } = facts;
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
    sections: digestSections(facts, top, m),
    footer: skipped > 0 ? skippedNote : `Scored as of ${latestAsOf(items) ?? options.weekOf}`,
    data: { weekOf: options.weekOf, currency: options.currency, ...digestData(facts, top), skipped },
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

function digestSections(facts: DigestFacts, top: readonly Row[], m: Money): AlertSection[] {
  const { withheld, red } = facts;
  const none = [{ text: 'No open expansion opportunities.' }];
  const hottestEntries = top.length > 0 ? top.map((r, i) => hottest(r, i + 1, m)) : none;
  const withheldSection = {
    heading: `⏸️ Withheld Opportunities (${withheld.length}): identified, not pitched`,
    entries: withheld.slice(0, LIST_LIMIT).map((r) => withheldEntry(r, m)),
  };
  const redEntries = red.length > 0 ? red.slice(0, LIST_LIMIT).map(stabilize) : [{ text: 'None: no account is red.' }];
  return [
    overview(facts, m),
    { heading: `🔥 Hottest Opportunities (Top ${top.length})`, entries: hottestEntries },
    ...(withheld.length > 0 ? [withheldSection] : []),
    { heading: '📊 Signal Activity', entries: signalActivity(facts.items) },
    { heading: '🎯 Owner Expansion Leaderboard', entries: leaderboard(facts.rows, m) },
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

function overview(facts: DigestFacts, m: Money): AlertSection {
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

function signalActivity(items: readonly ParsedStored[]): AlertEntry[] {
  const counts = new Map<string, number>();
  for (const { assessment } of items)
    for (const s of assessment.signals) if (s.kind === 'expansion') counts.set(s.id, (counts.get(s.id) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, LIST_LIMIT);
  if (sorted.length === 0) return [{ text: 'No expansion signals fired.' }];
  return sorted.map(([id, n]) => ({ text: `${signalName(id)}: ${count(n, 'account')}`, bullet: true }));
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

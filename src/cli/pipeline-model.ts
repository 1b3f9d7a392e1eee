import type { Motion } from '../model/account.ts';
import type { ExpansionOpportunity, Health, PriorityTier, Timing } from '../model/assessment.ts';
import type { ParsedAssessment } from './stored-assessments.ts';

/** Weight of expected value by timing, for opportunities the portfolio pass has not prioritised. */
export type Urgency = Readonly<Record<Exclude<Timing, 'hold'>, number>>;

export interface PipelineRow {
  /** Position in this pipeline, 1 = first. */
  readonly rank: number;
  readonly accountId: string;
  readonly accountName: string;
  readonly ownerId?: string;
  readonly motion: Motion;
  readonly module?: string;
  readonly targetPlan?: string;
  readonly timing: Timing;
  readonly tier?: PriorityTier;
  /** The portfolio pass's rank, when it ran. */
  readonly priorityRank?: number;
  /** priority.score, or expected value x timing urgency. */
  readonly priorityScore: number;
  readonly arrPotential: number;
  readonly arrLow: number;
  readonly arrHigh: number;
  readonly probability: number;
  readonly expectedValue: number;
  readonly queued: boolean;
  readonly title: string;
}

export interface Totals {
  readonly count: number;
  readonly arrPotential: number;
  readonly expectedValue: number;
}

export interface PipelineTotals {
  readonly byMotion: Readonly<Record<string, Totals>>;
  readonly byTier: Readonly<Record<string, Totals>>;
  readonly byOwner: Readonly<Record<string, Totals>>;
  readonly all: Totals;
}

export interface StabiliseEntry {
  readonly accountId: string;
  readonly accountName: string;
  readonly ownerId?: string;
  readonly score: number;
  readonly health: Health;
  readonly timing: Timing;
  readonly reason: string;
  /** Opportunities the assessment holds that are kept out of the pipeline. */
  readonly withheld: number;
}

export interface Pipeline {
  readonly accounts: number;
  /** Latest as-of date among the assessments. */
  readonly asOf?: string;
  readonly opportunities: readonly PipelineRow[];
  readonly totals: PipelineTotals;
  readonly stabilise: readonly StabiliseEntry[];
}

/** Key used in the totals for opportunities without a priority tier, and for accounts without an owner. */
export const UNPRIORITISED = 'unprioritised';
export const UNASSIGNED = '(no owner)';

/** Red or on hold: retention comes first, so none of the account's opportunities are pitched. */
export function mustStabilise(item: ParsedAssessment): boolean {
  return item.assessment.health === 'red' || item.assessment.timing === 'hold';
}

export function buildPipeline(items: readonly ParsedAssessment[], urgency: Urgency): Pipeline {
  const pitchable = items.filter((item) => !mustStabilise(item));
  const unranked = pitchable.flatMap((item) => item.assessment.opportunities.map((opportunity) => rowOf(item, opportunity, urgency)));
  const opportunities = unranked.sort(compareRows).map((row, i) => ({ ...row, rank: i + 1 }));
  const asOf = items.map((item) => item.assessment.asOf).sort().at(-1);
  return {
    accounts: items.length,
    ...(asOf === undefined ? {} : { asOf }),
    opportunities,
    totals: totalsOf(opportunities),
    // Red first (retention work), then accounts held only by their renewal evaluation.
    stabilise: items.filter(mustStabilise).map(stabiliseEntry).sort((a, b) => Number(b.health === 'red') - Number(a.health === 'red') || a.accountName.localeCompare(b.accountName)),
  };
}

/** The opportunities of one assessment in pipeline order (the account's top opportunity first). */
export function rankedOpportunities(opportunities: readonly ExpansionOpportunity[], urgency: Urgency): ExpansionOpportunity[] {
  return [...opportunities].sort((a, b) => compareRows(sortKey(a, urgency), sortKey(b, urgency)));
}

export function priorityScoreOf(opportunity: ExpansionOpportunity, urgency: Urgency): number {
  if (opportunity.priority) return opportunity.priority.score;
  return opportunity.timing === 'hold' ? 0 : opportunity.expectedValue * urgency[opportunity.timing];
}

type SortKey = Pick<PipelineRow, 'priorityRank' | 'priorityScore'> & { readonly accountId?: string };

function sortKey(opportunity: ExpansionOpportunity, urgency: Urgency): SortKey {
  return { priorityScore: priorityScoreOf(opportunity, urgency), ...(opportunity.priority ? { priorityRank: opportunity.priority.rank } : {}) };
}

/** Prioritised rows by their rank, ahead of unprioritised ones by expected value x urgency; ties by account id. */
function compareRows(a: SortKey, b: SortKey): number {
  if (a.priorityRank !== undefined && b.priorityRank !== undefined && a.priorityRank !== b.priorityRank) return a.priorityRank - b.priorityRank;
  if (a.priorityRank !== undefined && b.priorityRank === undefined) return -1;
  if (a.priorityRank === undefined && b.priorityRank !== undefined) return 1;
  if (a.priorityScore !== b.priorityScore) return b.priorityScore - a.priorityScore;
  return (a.accountId ?? '').localeCompare(b.accountId ?? '');
}

function rowOf(item: ParsedAssessment, o: ExpansionOpportunity, urgency: Urgency): PipelineRow {
  const { stored } = item;
  return {
    rank: 0,
    accountId: stored.accountId,
    accountName: stored.accountName,
    ...(stored.ownerId === undefined ? {} : { ownerId: stored.ownerId }),
    motion: o.motion,
    ...(o.module === undefined ? {} : { module: o.module }),
    ...(o.targetPlan === undefined ? {} : { targetPlan: o.targetPlan }),
    timing: o.timing,
    ...(o.priority ? { tier: o.priority.tier, priorityRank: o.priority.rank } : {}),
    priorityScore: priorityScoreOf(o, urgency),
    arrPotential: o.arrPotential,
    arrLow: o.arrLow,
    arrHigh: o.arrHigh,
    probability: o.probability,
    expectedValue: o.expectedValue,
    queued: o.priority?.queued ?? false,
    title: o.narrative.title,
  };
}

export function totalsOf(rows: readonly PipelineRow[]): PipelineTotals {
  return {
    byMotion: groupTotals(rows, (row) => row.motion),
    byTier: groupTotals(rows, (row) => row.tier ?? UNPRIORITISED),
    byOwner: groupTotals(rows, (row) => row.ownerId ?? UNASSIGNED),
    all: sum(rows),
  };
}

function groupTotals(rows: readonly PipelineRow[], keyOf: (row: PipelineRow) => string): Record<string, Totals> {
  const groups = new Map<string, PipelineRow[]>();
  for (const row of rows) groups.set(keyOf(row), [...(groups.get(keyOf(row)) ?? []), row]);
  const keys = [...groups.keys()].sort((a, b) => Number(a === UNASSIGNED) - Number(b === UNASSIGNED) || a.localeCompare(b));
  return Object.fromEntries(keys.map((key) => [key, sum(groups.get(key) ?? [])]));
}

function sum(rows: readonly PipelineRow[]): Totals {
  return {
    count: rows.length,
    arrPotential: rows.reduce((total, row) => total + row.arrPotential, 0),
    expectedValue: rows.reduce((total, row) => total + row.expectedValue, 0),
  };
}

function stabiliseEntry(item: ParsedAssessment): StabiliseEntry {
  const { stored, assessment } = item;
  return {
    accountId: stored.accountId,
    accountName: stored.accountName,
    ...(stored.ownerId === undefined ? {} : { ownerId: stored.ownerId }),
    score: assessment.score,
    health: assessment.health,
    timing: assessment.timing,
    reason: stabiliseReason(item),
    withheld: assessment.opportunities.length,
  };
}

/** The health reason of a red account ("Red: ..."), the timing reason ("Hold: ...") of one on hold. */
function stabiliseReason(item: ParsedAssessment): string {
  const { health, reasons } = item.assessment;
  const healthReason = reasons.find((r) => /^red\b/i.test(r));
  if (health === 'red') return healthReason ?? reasons[0] ?? 'health is red';
  return reasons.find((r) => /^hold\b/i.test(r)) ?? reasons[1] ?? reasons[0] ?? 'timing is on hold';
}

import { ownerLabel, type Withheld } from '../format.ts';
import type { Motion } from '../model/account.ts';
import type { ExpansionOpportunity, Health, PriorityTier, Timing } from '../model/assessment.ts';
import type { ParsedAssessment } from './stored-assessments.ts';

/** Weight of expected value by timing, for opportunities the portfolio pass has not prioritized. */
export type Urgency = Readonly<Record<Exclude<Timing, 'hold'>, number>>;

export interface PipelineRow {
  /** Position in this pipeline, 1 = first; pitched opportunities come before withheld ones. */
  readonly rank: number;
  readonly accountId: string;
  readonly accountName: string;
  /** Who works it, as people read it: the owner's name, their id when the CRM has no name, or `unassigned`. */
  readonly owner: string;
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
  /** Identified but not pitched (no CRM deal, no note): why. Absent on a pitched opportunity. */
  readonly withheld?: Withheld;
  readonly title: string;
}

export interface Totals {
  readonly count: number;
  readonly arrPotential: number;
  readonly expectedValue: number;
}

export interface PipelineTotals {
  /** By motion, tier and owner: the pitched opportunities, the pipeline people work. */
  readonly byMotion: Readonly<Record<string, Totals>>;
  readonly byTier: Readonly<Record<string, Totals>>;
  readonly byOwner: Readonly<Record<string, Totals>>;
  readonly pitched: Totals;
  /** Identified but not pitched, in all and by why. */
  readonly withheld: Totals;
  readonly byWithheld: Readonly<Partial<Record<Withheld, Totals>>>;
  /** Every row: pitched and withheld. */
  readonly all: Totals;
}

export interface StabilizeEntry {
  readonly accountId: string;
  readonly accountName: string;
  readonly owner: string;
  readonly ownerId?: string;
  readonly score: number;
  readonly health: Health;
  readonly timing: Timing;
  readonly reason: string;
  /** Opportunities the assessment holds that are kept out of the pipeline until the account recovers. */
  readonly heldBack: number;
}

export interface Pipeline {
  readonly accounts: number;
  /** Latest as-of date among the assessments. */
  readonly asOf?: string;
  readonly opportunities: readonly PipelineRow[];
  readonly totals: PipelineTotals;
  readonly stabilize: readonly StabilizeEntry[];
}

/** Key used in the totals for opportunities without a priority tier, and for accounts without an owner. */
export const UNPRIORITIZED = 'unprioritized';
export const UNASSIGNED = ownerLabel({});

/** Red: retention comes first, so none of the account's opportunities is pitched or shown as pipeline. */
export function mustStabilize(item: ParsedAssessment): boolean {
  return item.assessment.health === 'red';
}

/**
 * Why an opportunity is not pitched. A hold that is not red is the renewal evaluation (scoring holds only
 * for those two), so an opportunity stored on such an account without its own reason is held for renewal.
 */
export function withheldOf(item: ParsedAssessment, opportunity: ExpansionOpportunity): Withheld | undefined {
  if (opportunity.withheld !== undefined) return opportunity.withheld;
  return item.assessment.timing === 'hold' ? 'renewal_evaluation' : undefined;
}

export function buildPipeline(items: readonly ParsedAssessment[], urgency: Urgency): Pipeline {
  const pitchable = items.filter((item) => !mustStabilize(item));
  const unranked = pitchable.flatMap((item) =>
    item.assessment.opportunities.map((opportunity) => rowOf(item, opportunity, urgency)),
  );
  const opportunities = unranked.sort(compareRows).map((row, i) => ({ ...row, rank: i + 1 }));
  const asOf = items
    .map((item) => item.assessment.asOf)
    .sort()
    .at(-1);
  return {
    accounts: items.length,
    ...(asOf === undefined ? {} : { asOf }),
    opportunities,
    totals: totalsOf(opportunities),
    stabilize: items
      .filter(mustStabilize)
      .map(stabilizeEntry)
      .sort((x, y) => x.accountName.localeCompare(y.accountName)),
  };
}

/** The opportunities of one assessment in pipeline order (the account's top pitched opportunity first). */
export function rankedOpportunities(item: ParsedAssessment, urgency: Urgency): ExpansionOpportunity[] {
  const keyed = item.assessment.opportunities.map((o) => {
    const withheld = withheldOf(item, o);
    return { o, key: { ...sortKey(o, urgency), ...(withheld === undefined ? {} : { withheld }) } };
  });
  return keyed.sort((a, b) => compareRows(a.key, b.key)).map(({ o }) => o);
}

export function priorityScoreOf(opportunity: ExpansionOpportunity, urgency: Urgency): number {
  if (opportunity.priority) return opportunity.priority.score;
  return opportunity.timing === 'hold' ? 0 : opportunity.expectedValue * urgency[opportunity.timing];
}

type SortKey = Pick<PipelineRow, 'priorityRank' | 'priorityScore' | 'withheld'> & { readonly accountId?: string };

function sortKey(opportunity: ExpansionOpportunity, urgency: Urgency): SortKey {
  return {
    priorityScore: priorityScoreOf(opportunity, urgency),
    ...(opportunity.priority ? { priorityRank: opportunity.priority.rank } : {}),
  };
}

/**
 * Pitched before withheld; then prioritized rows by their rank, ahead of unprioritized ones by expected
 * value x urgency; ties by account id.
 */
function compareRows(a: SortKey, b: SortKey): number {
  const held = Number(a.withheld !== undefined) - Number(b.withheld !== undefined);
  if (held !== 0) return held;
  if (a.priorityRank !== undefined && b.priorityRank !== undefined && a.priorityRank !== b.priorityRank)
    return a.priorityRank - b.priorityRank;
  if (a.priorityRank !== undefined && b.priorityRank === undefined) return -1;
  if (a.priorityRank === undefined && b.priorityRank !== undefined) return 1;
  if (a.priorityScore !== b.priorityScore) return b.priorityScore - a.priorityScore;
  return (a.accountId ?? '').localeCompare(b.accountId ?? '');
}

function rowOf(item: ParsedAssessment, o: ExpansionOpportunity, urgency: Urgency): PipelineRow {
  const { stored } = item;
  const withheld = withheldOf(item, o);
  return {
    rank: 0,
    accountId: stored.accountId,
    accountName: stored.accountName,
    owner: ownerLabel(stored),
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
    ...(withheld === undefined ? {} : { withheld }),
    title: o.narrative.title,
  };
}

export function totalsOf(rows: readonly PipelineRow[]): PipelineTotals {
  const pitched = rows.filter((row) => row.withheld === undefined);
  const withheld = rows.filter((row) => row.withheld !== undefined);
  return {
    byMotion: groupTotals(pitched, (row) => row.motion),
    byTier: groupTotals(pitched, (row) => row.tier ?? UNPRIORITIZED),
    byOwner: groupTotals(pitched, (row) => row.owner),
    pitched: sum(pitched),
    withheld: sum(withheld),
    byWithheld: groupTotals(withheld, (row) => row.withheld ?? ''),
    all: sum(rows),
  };
}

function groupTotals(rows: readonly PipelineRow[], keyOf: (row: PipelineRow) => string): Record<string, Totals> {
  const groups = new Map<string, PipelineRow[]>();
  for (const row of rows) groups.set(keyOf(row), [...(groups.get(keyOf(row)) ?? []), row]);
  const keys = [...groups.keys()].sort(
    (a, b) => Number(a === UNASSIGNED) - Number(b === UNASSIGNED) || a.localeCompare(b),
  );
  return Object.fromEntries(keys.map((key) => [key, sum(groups.get(key) ?? [])]));
}

function sum(rows: readonly PipelineRow[]): Totals {
  return {
    count: rows.length,
    arrPotential: rows.reduce((total, row) => total + row.arrPotential, 0),
    expectedValue: rows.reduce((total, row) => total + row.expectedValue, 0),
  };
}

function stabilizeEntry(item: ParsedAssessment): StabilizeEntry {
  const { stored, assessment } = item;
  return {
    accountId: stored.accountId,
    accountName: stored.accountName,
    owner: ownerLabel(stored),
    ...(stored.ownerId === undefined ? {} : { ownerId: stored.ownerId }),
    score: assessment.score,
    health: assessment.health,
    timing: assessment.timing,
    reason: stabilizeReason(item),
    heldBack: assessment.opportunities.length,
  };
}

/** The health reason of a red account ("Red: ..."). */
function stabilizeReason(item: ParsedAssessment): string {
  const { reasons } = item.assessment;
  return reasons.find((r) => /^red\b/i.test(r)) ?? reasons[0] ?? 'health is red';
}

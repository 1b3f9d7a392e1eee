import type { CrmOpportunity, CrmSystem } from '../model/account.ts';
import type { ExpansionOpportunity } from '../model/assessment.ts';
import type { ScoringConfig } from '../scoring/config.ts';
import { explorationPick, isHoldout, pitchPropensity } from '../outcomes/holdout.ts';
import { rankPortfolio } from '../scoring/portfolio.ts';
import type { Artifact } from '../state/store.ts';
import { opportunityKey } from './outputs.ts';
import type { ScoredAccount } from './score-portfolio.ts';

export interface RankOptions {
  readonly system: CrmSystem;
  readonly scored: readonly ScoredAccount[];
  /** Open and closed opportunities in the CRM on these accounts. */
  readonly opportunities: readonly CrmOpportunity[];
  /** Our write-ahead records: which opportunities we created, and when. */
  readonly artifacts: ReadonlyMap<string, Artifact>;
  /** The run's start: capacity periods are calendar time, so a backfill with an old asOf cannot dodge them. */
  readonly now: Date;
  readonly config: ScoringConfig;
  /**
   * The outcome loop's selection (`learning`): accounts in the holdout have every pitchable opportunity
   * withheld as `holdout`; with an exploration share, a queued opportunity picked by hash is pitched anyway.
   * `cycle` names the period, so exploration draws afresh each period. Absent: no holdout, no exploration.
   */
  readonly selection?: {
    readonly holdoutShare: number;
    readonly explorationShare: number;
    readonly cycle: string;
  };
}

/**
 * Ranks the portfolio's pipeline within each owner's capacity (the portfolio pass's last step, rankPortfolio,
 * run once the CRM's open opportunities are known). An opportunity already open in the CRM
 * (ours from an earlier run, or an AE's on the same motion, which gets our evidence as a note) takes no
 * new capacity; opportunities we created within the last priority.periodDays (by the clock, not asOf)
 * count against their owner, whichever of the CRM's creation date and our own record says so.
 */
export function rankPipeline(options: RankOptions): ScoredAccount[] {
  // Ours, created in the CRM but not yet linked to the account (so not read back with it): open, and created.
  const unlinked = [...options.artifacts.values()]
    .filter((a) => a.kind === 'opportunity' && a.status === 'pending' && a.crmId !== undefined)
    .map((a) => a.key);
  const open = new Map<string, CrmOpportunity[]>();
  for (const opp of options.opportunities)
    if (!opp.closed) open.set(opp.accountId, [...(open.get(opp.accountId) ?? []), opp]);
  const isOpen = (accountId: string, opportunity: ExpansionOpportunity): boolean => {
    const stem = opportunityKey({
      system: options.system,
      accountId,
      motion: opportunity.motion,
      module: opportunity.module,
      cycle: '',
    });
    return (
      (open.get(accountId) ?? []).some(
        (o) => o.motion === opportunity.motion && (o.expansionKey === undefined || o.expansionKey.startsWith(stem)),
      ) || unlinked.some((key) => key.startsWith(stem))
    );
  };
  const ownerOf = new Map(options.scored.map(({ account }) => [account.id, account.ownerId ?? '']));
  const since = new Date(options.now.getTime() - options.config.priority.periodDays * 86_400_000).toISOString();
  // Our creations this period, by key: the CRM's own creation dates of the deals carrying our key (so a crash
  // between the create and the store's record, or a lost store, cannot hide one), and our completed
  // write-ahead records for any the CRM read did not return.
  const created = new Map<string, string>();
  const prefix = `${options.system}-`;
  for (const opp of options.opportunities)
    if (opp.expansionKey?.startsWith(prefix) && opp.createdAt !== undefined && opp.createdAt > since)
      created.set(opp.expansionKey, opp.accountId);
  for (const artifact of options.artifacts.values())
    if (artifact.kind === 'opportunity' && (artifact.status === 'done' || artifact.crmId) && artifact.updatedAt > since)
      if (!created.has(artifact.key)) created.set(artifact.key, artifact.accountId);
  const createdThisPeriod = new Map<string, number>();
  for (const accountId of created.values()) {
    const owner = ownerOf.get(accountId);
    if (owner !== undefined) createdThisPeriod.set(owner, (createdThisPeriod.get(owner) ?? 0) + 1);
  }
  const { selection } = options;
  if (selection === undefined) return rankPortfolio(options.scored, options.config, { isOpen, createdThisPeriod });
  const held = options.scored.map((item) => withHoldout(item, options.system, selection.holdoutShare));
  return rankPortfolio(held, options.config, { isOpen, createdThisPeriod }).map((item) =>
    withExploration(item, options.system, selection),
  );
}

/** A holdout account's pitchable opportunities are withheld before ranking, so they take no owner capacity. */
function withHoldout(item: ScoredAccount, system: CrmSystem, share: number): ScoredAccount {
  if (!isHoldout(system, item.account.id, share)) return item;
  const opportunities = item.assessment.opportunities.map((o) =>
    o.withheld === undefined ? { ...o, withheld: 'holdout' as const } : o,
  );
  return { ...item, assessment: { ...item.assessment, opportunities } };
}

/** Marks every ranked opportunity with its pitch propensity, and un-queues those exploration picks. */
function withExploration(
  item: ScoredAccount,
  system: CrmSystem,
  selection: NonNullable<RankOptions['selection']>,
): ScoredAccount {
  const opportunities = item.assessment.opportunities.map((o) => {
    if (o.priority === undefined || o.withheld !== undefined) return o;
    const id = `${item.account.id}:${o.motion}:${o.module ?? ''}:${selection.cycle}`;
    const explored = o.priority.queued && explorationPick(system, id, selection.explorationShare);
    // Past capacity, it is pitched only if exploration picks it: its propensity is that chance either way.
    const propensity = pitchPropensity({ ...selection, pastCapacity: o.priority.queued });
    const priority = explored
      ? { ...o.priority, queued: false, explored: true, propensity }
      : { ...o.priority, propensity };
    return { ...o, priority };
  });
  return { ...item, assessment: { ...item.assessment, opportunities } };
}

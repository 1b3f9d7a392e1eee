import type { Assessment, ExpansionOpportunity, PriorityTier } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';

export interface PriorityItem {
  readonly assessment: Assessment;
  /** The account owner; accounts without one share one unowned queue. */
  readonly ownerId: string | undefined;
}

export interface PriorityOptions {
  /** True when the opportunity already exists in the CRM (created in an earlier period): it takes no new capacity. */
  readonly isOpen?: (accountId: string, opportunity: ExpansionOpportunity) => boolean;
  /** New opportunities each owner already received this period, from earlier runs. */
  readonly createdThisPeriod?: ReadonlyMap<string, number>;
}

const UNOWNED = '';

/**
 * Seed 000's ranked pipeline: every opportunity in the portfolio ranked by expected value weighted by
 * timing urgency, cut into P1/P2/P3 by rank, then each owner's new opportunities capped at
 * priority.capacityPerOwner per period (a CSM can work only so many at once): past the cap they are
 * queued, kept in the pipeline but not created in the CRM until capacity frees up. Opportunities already
 * open in the CRM never count against the cap and are never queued.
 */
export function prioritize(
  items: readonly PriorityItem[],
  config: ScoringConfig,
  options: PriorityOptions = {},
): Assessment[] {
  const { priority } = config;
  const entries = items.flatMap((item, i) =>
    item.assessment.opportunities.map((opportunity, j) => ({
      i,
      j,
      owner: item.ownerId ?? UNOWNED,
      accountId: item.assessment.accountId,
      opportunity,
      score: opportunity.expectedValue * urgencyOf(opportunity, config),
    })),
  );
  entries.sort(
    (a, b) =>
      b.score - a.score ||
      a.accountId.localeCompare(b.accountId) ||
      keyOf(a.opportunity).localeCompare(keyOf(b.opportunity)),
  );
  const p1 = Math.ceil(entries.length * priority.p1Share);
  const p2 = p1 + Math.ceil(entries.length * priority.p2Share);
  const used = new Map<string, number>(options.createdThisPeriod ?? []);
  const byItem = items.map((item) => [...item.assessment.opportunities]);
  entries.forEach((entry, index) => {
    // Withheld opportunities (watch, renewal, ramping) are not created in the CRM: they take no capacity.
    const open =
      entry.opportunity.withheld !== undefined || (options.isOpen?.(entry.accountId, entry.opportunity) ?? false);
    const taken = used.get(entry.owner) ?? 0;
    const queued = !open && taken >= priority.capacityPerOwner;
    if (!open && !queued) used.set(entry.owner, taken + 1);
    const tier: PriorityTier = index < p1 ? 'P1' : index < p2 ? 'P2' : 'P3';
    const row = byItem[entry.i];
    if (row)
      row[entry.j] = {
        ...entry.opportunity,
        priority: { score: Math.round(entry.score), rank: index + 1, tier, queued },
      };
  });
  return items.map((item, i) => ({
    ...item.assessment,
    opportunities: (byItem[i] ?? []).sort((a, b) => (a.priority?.rank ?? 0) - (b.priority?.rank ?? 0)),
  }));
}

function urgencyOf(opportunity: ExpansionOpportunity, config: ScoringConfig): number {
  const { urgency } = config.priority;
  // Not pitched now, so it ranks after everything that is.
  if (opportunity.withheld !== undefined) return 0;
  return opportunity.timing === 'hold' ? 0 : urgency[opportunity.timing];
}

const keyOf = (o: ExpansionOpportunity): string => `${o.motion}:${o.module ?? ''}`;

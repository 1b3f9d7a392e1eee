import type { Assessment, ExpansionOpportunity, Narrative, Signal } from '../model/assessment.ts';
import type { AffinityProfile } from './affinity-features.ts';
import { scoreAffinity, type AffinityModel, type AffinityScore } from './affinity.ts';
import type { Module } from './config-catalog.ts';
import type { ScoringConfig } from './config.ts';
import type { Day } from './days.ts';
import type { NarrativeFacts } from './narrative-inputs.ts';
import { crossSellNarrative } from './narrative-cross-sell.ts';
import { tierUpgradeNarrative } from './narrative-tier.ts';
import { seatAddNarrative } from './narrative.ts';
import { crossSellProbability, seatAddProbability, tierUpgradeProbability } from './probability.ts';
import type { Evaluation } from './result.ts';
import { SEAT_SIGNAL_ID } from './seat-utilization.ts';
import type { SignalFacts } from './signals/context.ts';
import type { ModuleMilestone } from './signals/module-milestone.ts';
import { nextPlanOf, sizeModule, sizeTierUpgrade } from './sizing-motions.ts';
import { sizeSeatAdd } from './sizing.ts';
import type { Deferral } from './timing.ts';

/** What the opportunity builders read beyond the narrative facts. */
export interface OpportunityContext {
  /** Facts as known before the timing is final; `timing` there is not read until narration. */
  readonly facts: Omit<NarrativeFacts, 'timing'>;
  readonly days: readonly Day[];
  readonly usageEnd: number;
  readonly config: ScoringConfig;
  readonly graduation: Evaluation<SignalFacts & { readonly explored: readonly string[] }>;
  readonly workarounds: ReadonlyArray<{ readonly moduleId: string; readonly evaluation: Evaluation<SignalFacts> }>;
  readonly milestones: readonly ModuleMilestone[];
  /** Year-over-year headcount growth when the headcount signal fired: known hiring for seat sizing. */
  readonly headcountGrowth: number | undefined;
  /** The previous run's assessment, for seat-add hysteresis. */
  readonly previous: Assessment | undefined;
  /** The gate that defers every opportunity (renewal evaluation, ramping), if any. */
  readonly deferral: Deferral | undefined;
  /** Portfolio peer matching; absent when the account is assessed on its own. */
  readonly affinity: { readonly model: AffinityModel; readonly profile: AffinityProfile } | undefined;
}

/** An opportunity before its timing is final: everything but the narrative, which is written last. */
export interface Draft {
  readonly opportunity: Omit<ExpansionOpportunity, 'narrative' | 'timing'>;
  readonly narrate: (facts: NarrativeFacts) => Narrative;
}

/** Ids of the fired signals backing a motion: its own first, then the supporting ones. */
const backing = (own: readonly (Signal | undefined)[], facts: OpportunityContext['facts']): string[] =>
  [...own.filter((s): s is Signal => s !== undefined), ...facts.supporting]
    .map((s) => s.id)
    .filter((id, i, all) => all.indexOf(id) === i);

/**
 * The account's opportunities, one per motion (per module for cross-sell), before timing. Amounts
 * under sizing.minDealArr are left out: not worth an AE's call. A gate's deferral withholds them all;
 * a cross-sell that only resemblance (or only a milestone) supports is withheld as a watch item.
 */
export function draftOpportunities(context: OpportunityContext): Draft[] {
  const drafts = [...seatAdd(context), ...tierUpgrade(context), ...crossSells(context)].filter(
    (d) => d.opportunity.arrPotential >= context.config.sizing.minDealArr,
  );
  if (context.deferral === undefined) return drafts;
  const withheld = context.deferral;
  return drafts.map((d) => ({ ...d, opportunity: { ...d.opportunity, withheld } }));
}

const expected = (arr: number, probability: number): number => Math.round(arr * probability);

function seatAdd(context: OpportunityContext): Draft[] {
  const { facts, config } = context;
  const { seat, trend } = facts;
  if (!seat.evaluated || !seat.active) return [];
  const previousSeats = context.previous?.opportunities.find((o) => o.motion === 'seat_add')?.seatsToAdd;
  const sizing = sizeSeatAdd({
    days: context.days,
    usageEnd: context.usageEnd,
    licensedSeats: seat.licensedSeats,
    plan: facts.account.plan,
    headcountGrowth: context.headcountGrowth,
    previousSeats,
    config,
  });
  const growing = trend.evaluated && trend.direction === 'growth';
  const probability = seatAddProbability({
    seatStrength: seat.strength,
    growing,
    supporting: facts.supporting.length,
    health: facts.health,
    config,
  });
  const ids = backing([seat.signal, trend.evaluated ? trend.signal : undefined], facts).sort((a, b) =>
    a === SEAT_SIGNAL_ID ? -1 : b === SEAT_SIGNAL_ID ? 1 : 0,
  );
  const opportunity = {
    motion: 'seat_add' as const,
    arrPotential: sizing.arrPotential,
    arrLow: sizing.arrLow,
    arrHigh: sizing.arrHigh,
    seatsToAdd: sizing.seatsToAdd,
    probability,
    expectedValue: expected(sizing.arrPotential, probability),
    signalIds: ids,
  };
  return [
    { opportunity, narrate: (f) => seatAddNarrative({ ...f, seat: seat.evidence, sizing, trend, renewal: f.renewal }) },
  ];
}

function tierUpgrade(context: OpportunityContext): Draft[] {
  const { facts, config, graduation } = context;
  if (!graduation.evaluated || graduation.signal === undefined) return [];
  const signal = graduation.signal;
  const next = nextPlanOf(facts.account.plan, config);
  if (next === undefined) return [];
  const seatsInUse = facts.seat.evaluated ? facts.seat.latestSeatsUsed : undefined;
  const sizing = sizeTierUpgrade({ account: facts.account, seatsInUse, next, config });
  if (sizing === undefined) return [];
  const probability = tierUpgradeProbability({
    graduationStrength: signal.strength,
    supporting: facts.supporting.length,
    health: facts.health,
    config,
  });
  const opportunity = {
    motion: 'tier_upgrade' as const,
    targetPlan: next.name,
    arrPotential: sizing.arrPotential,
    arrLow: sizing.arrLow,
    arrHigh: sizing.arrHigh,
    probability,
    expectedValue: expected(sizing.arrPotential, probability),
    signalIds: backing([signal], facts),
  };
  return [
    {
      opportunity,
      narrate: (f) =>
        tierUpgradeNarrative({ ...f, graduation: signal, exploredFeatures: graduation.explored, next, sizing }),
    },
  ];
}

function crossSells(context: OpportunityContext): Draft[] {
  const owned = new Set(context.facts.account.modulesOwned.map((m) => m.trim().toLowerCase()));
  return context.config.catalog.modules.filter((m) => !owned.has(m.id)).flatMap((module) => crossSell(context, module));
}

/** Resemblance that counts: affinity high enough, and well above the adoption rate among comparable accounts. */
function resembles(affinity: AffinityScore | undefined, config: ScoringConfig): boolean {
  return (
    affinity !== undefined &&
    affinity.probability >= config.crossSell.minProbability &&
    affinity.lift >= config.crossSell.minLift
  );
}

/**
 * Seed 000: the cross-sell writes itself when the team works around what the module does; seed 004:
 * single signals suggest, multiple confirm. Pitched on the module's workaround, or on resemblance to
 * its adopters confirmed by the milestone adopters reached first (its adjacent features, used at the
 * level that separates adopters from the rest). Resemblance alone is a watch item (unless
 * crossSell.requireBehavior is off); the milestone alone is not an opportunity.
 */
function crossSell(context: OpportunityContext, module: Module): Draft[] {
  const { facts, config } = context;
  const found = context.workarounds.find((w) => w.moduleId === module.id)?.evaluation;
  const workaround = found?.evaluated ? found.signal : undefined;
  const milestone = context.milestones.find((m) => m.moduleId === module.id)?.signal;
  const scored =
    context.affinity === undefined
      ? undefined
      : scoreAffinity(context.affinity.model, context.affinity.profile, module.id, config);
  const resemblance = resembles(scored, config);
  // The milestone confirms only where it separates adopters from the rest of the portfolio.
  const reached = milestone !== undefined && scored?.milestoneReached === true;
  const confirmed = workaround !== undefined || (resemblance && reached);
  if (!confirmed && !resemblance) return [];
  const watch = !confirmed && config.crossSell.requireBehavior;
  const sizing = sizeModule({ account: facts.account, module, config });
  if (sizing === undefined) return [];
  // Resemblance that does not clear the bar is no argument for the module: leave it out of the note.
  const affinity = resemblance ? scored : undefined;
  const behavior = workaround ?? milestone;
  const probability = crossSellProbability({
    affinity: affinity?.probability,
    workaroundStrength: behavior?.strength,
    supporting: facts.supporting.length,
    health: facts.health,
    config,
  });
  const ids = backing([workaround, reached ? milestone : undefined], facts);
  const opportunity = {
    motion: 'module_cross_sell' as const,
    module: module.id,
    arrPotential: sizing.arrPotential,
    arrLow: sizing.arrLow,
    arrHigh: sizing.arrHigh,
    probability,
    expectedValue: expected(sizing.arrPotential, probability),
    signalIds: ids,
    ...(scored === undefined ? {} : { peers: [...scored.peerIds] }),
    ...(watch ? { withheld: 'watch' as const } : {}),
  };
  return [
    {
      opportunity,
      narrate: (f) =>
        crossSellNarrative({
          ...f,
          module,
          workaround,
          milestone: reached ? milestone : undefined,
          affinity,
          probability,
          sizing,
        }),
    },
  ];
}

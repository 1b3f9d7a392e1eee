import type { ExpansionOpportunity, Signal } from '../model/assessment.ts';
import type { AffinityProfile } from './affinity-features.ts';
import { scoreAffinity, type AffinityModel } from './affinity.ts';
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
import { nextPlanOf, sizeModule, sizeTierUpgrade } from './sizing-motions.ts';
import { sizeSeatAdd } from './sizing.ts';

/** What the opportunity builders read beyond the narrative facts. */
export interface OpportunityContext {
  readonly facts: NarrativeFacts;
  readonly days: readonly Day[];
  readonly asOf: number;
  readonly config: ScoringConfig;
  readonly graduation: Evaluation<SignalFacts & { readonly explored: readonly string[] }>;
  readonly workarounds: ReadonlyArray<{ readonly moduleId: string; readonly evaluation: Evaluation<SignalFacts> }>;
  /** Portfolio peer matching; absent when the account is assessed on its own. */
  readonly affinity: { readonly model: AffinityModel; readonly profile: AffinityProfile } | undefined;
}

/** Ids of the fired signals backing a motion: its own first, then the supporting ones. */
const backing = (own: readonly (Signal | undefined)[], facts: NarrativeFacts): string[] =>
  [...own.filter((s): s is Signal => s !== undefined), ...facts.supporting].map((s) => s.id).filter((id, i, all) => all.indexOf(id) === i);

/**
 * The account's opportunities, one per motion (per module for cross-sell), none while on hold: red
 * health means retention first, and inside the renewal evaluation no pitch at all.
 */
export function buildOpportunities(context: OpportunityContext): ExpansionOpportunity[] {
  if (context.facts.timing === 'hold') return [];
  return [...seatAdd(context), ...tierUpgrade(context), ...crossSells(context)];
}

function seatAdd(context: OpportunityContext): ExpansionOpportunity[] {
  const { facts, config } = context;
  const { seat, trend } = facts;
  if (!seat.evaluated || !seat.active) return [];
  const sizing = sizeSeatAdd({ days: context.days, asOf: context.asOf, licensedSeats: seat.licensedSeats, latestSeatsUsed: seat.latestSeatsUsed, plan: facts.account.plan, config });
  const growing = trend.evaluated && trend.direction === 'growth';
  const probability = seatAddProbability({ seatStrength: seat.strength, growing, supporting: facts.supporting.length, health: facts.health, config });
  const ids = backing([seat.signal, trend.evaluated ? trend.signal : undefined], facts).sort((a, b) => (a === SEAT_SIGNAL_ID ? -1 : b === SEAT_SIGNAL_ID ? 1 : 0));
  return [{ motion: 'seat_add', arrPotential: sizing.arrPotential, arrLow: sizing.arrLow, arrHigh: sizing.arrHigh, seatsToAdd: sizing.seatsToAdd, probability, expectedValue: Math.round(sizing.arrPotential * probability), timing: facts.timing, signalIds: ids, narrative: seatAddNarrative({ seat: seat.evidence, sizing, trend, renewal: facts.renewal }) }];
}

function tierUpgrade(context: OpportunityContext): ExpansionOpportunity[] {
  const { facts, config, graduation } = context;
  if (!graduation.evaluated || graduation.signal === undefined) return [];
  const next = nextPlanOf(facts.account.plan, config);
  if (next === undefined) return [];
  const seatsInUse = facts.seat.evaluated ? facts.seat.latestSeatsUsed : undefined;
  const sizing = sizeTierUpgrade({ account: facts.account, seatsInUse, next, config });
  if (sizing === undefined) return [];
  const probability = tierUpgradeProbability({ graduationStrength: graduation.signal.strength, supporting: facts.supporting.length, health: facts.health, config });
  const narrative = tierUpgradeNarrative({ ...facts, graduation: graduation.signal, exploredFeatures: graduation.explored, next, sizing });
  return [{ motion: 'tier_upgrade', targetPlan: next.name, arrPotential: sizing.arrPotential, arrLow: sizing.arrLow, arrHigh: sizing.arrHigh, probability, expectedValue: Math.round(sizing.arrPotential * probability), timing: facts.timing, signalIds: backing([graduation.signal], facts), narrative }];
}

function crossSells(context: OpportunityContext): ExpansionOpportunity[] {
  const owned = new Set(context.facts.account.modulesOwned.map((m) => m.trim().toLowerCase()));
  return context.config.catalog.modules.filter((m) => !owned.has(m.id)).flatMap((module) => crossSell(context, module));
}

function crossSell(context: OpportunityContext, module: Module): ExpansionOpportunity[] {
  const { facts, config } = context;
  const found = context.workarounds.find((w) => w.moduleId === module.id)?.evaluation;
  const workaround = found?.evaluated ? found.signal : undefined;
  const affinity = context.affinity === undefined ? undefined : scoreAffinity(context.affinity.model, context.affinity.profile, module.id, config);
  const affine = affinity !== undefined && affinity.probability >= Math.max(config.crossSell.minProbability, config.crossSell.minLift * affinity.baseRate);
  if (workaround === undefined && !affine) return [];
  const sizing = sizeModule({ account: facts.account, module, config });
  if (sizing === undefined) return [];
  const probability = crossSellProbability({ affinity: affinity?.probability, workaroundStrength: workaround?.strength, supporting: facts.supporting.length, health: facts.health, config });
  const narrative = crossSellNarrative({ ...facts, module, workaround, affinity, sizing });
  const ids = backing([workaround], facts);
  return [{ motion: 'module_cross_sell', module: module.id, arrPotential: sizing.arrPotential, arrLow: sizing.arrLow, arrHigh: sizing.arrHigh, probability, expectedValue: Math.round(sizing.arrPotential * probability), timing: facts.timing, signalIds: ids, ...(affinity === undefined ? {} : { peers: [...affinity.peerIds] }), narrative }];
}

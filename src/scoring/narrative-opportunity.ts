import type { Evidence, ExpansionOpportunity, Signal } from '../model/assessment.ts';
import type { Module } from './config-catalog.ts';
import type { ScoringConfig } from './config.ts';
import { plural, upperFirst } from './evidence.ts';
import { evidenceIn, featureLabel, listOf, planLabel } from './narrative-common.ts';
import type { AccountNarrativeInput, Cite } from './narrative-inputs.ts';
import { SIGNAL } from './signals/context.ts';

/**
 * What the QBR agenda and the outreach email read from the account's finished opportunities: names and
 * numbers out of each opportunity's own narrative evidence, cited again, so the account narratives
 * show the numbers the talking points show.
 */

export function moduleOf(opportunity: ExpansionOpportunity | undefined, config: ScoringConfig): Module | undefined {
  const id = opportunity?.module;
  return id === undefined ? undefined : config.catalog.modules.find((m) => m.id === id);
}

/** The module's display label from the catalog; the id, tidied, when the catalog no longer has it. */
export function moduleLabel(opportunity: ExpansionOpportunity, config: ScoringConfig): string {
  const label = moduleOf(opportunity, config)?.label.trim();
  if (label !== undefined && label.length > 0 && !/\d/.test(label)) return label;
  return (opportunity.module ?? 'the module').split(/[_-]+/).map(upperFirst).join(' ');
}

export function targetPlanLabel(opportunity: ExpansionOpportunity | undefined): string {
  const plan = opportunity?.targetPlan?.trim() ?? '';
  return plan === '' ? '' : planLabel(plan);
}

/** "adding 12 seats", "an upgrade to Enterprise", "adding Automation". */
export function motionPhrase(opportunity: ExpansionOpportunity, cite: Cite, config: ScoringConfig): string {
  switch (opportunity.motion) {
    case 'seat_add': {
      const seats = evidenceIn(opportunity.narrative.evidence, 'seats_to_add');
      return seats === undefined ? 'adding seats' : `adding ${plural(cite(seats), seats.value, 'seat')}`;
    }
    case 'tier_upgrade': {
      const plan = targetPlanLabel(opportunity);
      return plan === '' ? 'a plan upgrade' : `an upgrade to ${plan}`;
    }
    case 'module_cross_sell':
      return `adding ${moduleLabel(opportunity, config)}`;
  }
}

/**
 * The behavior behind a cross-sell, from its narrative's evidence: "412 exports in the last 30 days"
 * (the workaround), else "380 uses of scheduled reports and dashboards in the last 30 days" (the
 * milestone). Undefined when the note rested on neither.
 */
export interface Behavior {
  readonly text: string;
  /** True for the adjacent-feature milestone, false for the workaround. */
  readonly milestone: boolean;
}

export function behaviorPhrase(
  opportunity: ExpansionOpportunity,
  config: ScoringConfig,
  cite: Cite,
): Behavior | undefined {
  const module = moduleOf(opportunity, config);
  if (module === undefined) return undefined;
  const e = opportunity.narrative.evidence;
  const workaround = evidenceIn(e, `workaround_events.${module.id}`);
  const workaroundDays = evidenceIn(e, 'workaround_spandays');
  if (workaround !== undefined && workaroundDays !== undefined && module.workarounds.length > 0) {
    const names = listOf(module.workarounds.map(featureLabel));
    const text = `${cite(workaround)} ${names} in the last ${cite(workaroundDays)} days`;
    return { text, milestone: false };
  }
  const adjacent = evidenceIn(e, `adjacent_events.${module.id}`);
  const adjacentDays = evidenceIn(e, 'adjacent_window_days');
  if (adjacent !== undefined && adjacentDays !== undefined && module.adjacent.length > 0) {
    const names = listOf(module.adjacent.map(featureLabel));
    return { text: `${cite(adjacent)} uses of ${names} in the last ${cite(adjacentDays)} days`, milestone: true };
  }
  return undefined;
}

/** Seat utilization: the account's own evaluation, else what the top opportunity's note cited. */
export function utilizationOf(input: AccountNarrativeInput, top?: ExpansionOpportunity): Evidence | undefined {
  if (input.seat.evaluated) return input.seat.evidence.utilization;
  return top === undefined ? undefined : evidenceIn(top.narrative.evidence, 'seat_utilization');
}

export const powerUsers = (input: AccountNarrativeInput): Signal | undefined =>
  input.supporting.find((s) => s.id === SIGNAL.powerUsers);

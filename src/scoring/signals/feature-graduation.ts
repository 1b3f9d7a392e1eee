import type { Evidence, Signal } from '../../model/assessment.ts';
import type { Plan } from '../config-catalog.ts';
import { clamp01, daysBetween, period, round2, type Day } from '../days.ts';
import { citations, plural, wholePercent } from '../evidence.ts';
import type { Evaluation } from '../result.ts';
import { SIGNAL, type SignalContext, type SignalFacts } from './context.ts';

/** Named evidence so a narrative cites exactly what the signal measured. */
export interface GraduationEvidence {
  /** Higher-plan features explored (at or above minEvents) in the window. */
  readonly exploredCount: Evidence;
  /** Features the plans above the account's own add. */
  readonly gatedCount: Evidence;
  readonly minFeatures: Evidence;
  /** Share of the features the account already has that it used in the window; absent when its plans list none. */
  readonly breadth?: Evidence;
  readonly windowDays: Evidence;
}

export interface GraduationFacts extends SignalFacts {
  /** The plan one rung up; undefined on the top rung. */
  readonly nextPlan: string | undefined;
  /** Higher-plan features explored in the window, sorted. */
  readonly explored: readonly string[];
  readonly gatedCount: number;
  readonly strength: number;
  readonly evidence: GraduationEvidence;
}

/**
 * Tier graduation: a customer using features its plan does not include is already trying the next
 * tier. Only features of plans above the account's count, so a feature it owns is never read as
 * graduation; on the top rung there is nowhere to graduate to and the signal stays quiet.
 */
export function evaluateFeatureGraduation(context: SignalContext): Evaluation<GraduationFacts> {
  const { windowDays, minEvents, minFeatures } = context.config.featureGraduation;
  const plans = context.config.catalog.plans;
  const rung = planRung(plans, context.account.plan);
  const from = context.usageEnd - windowDays + 1;
  const window = daysBetween(context.days, from, context.usageEnd);
  const missing: string[] = [];
  if (rung < 0) missing.push('plan');
  if (window.length === 0) missing.push('usage');
  if (missing.length > 0) return { evaluated: false, missing, reason: missingReason(missing, context.account.plan) };

  const owned = new Set(plans.slice(0, rung + 1).flatMap((p) => p.features));
  const gated = [...new Set(plans.slice(rung + 1).flatMap((p) => p.features))].filter((f) => !owned.has(f));
  const explored = gated.filter((f) => eventTotal(window, f) >= minEvents).sort();
  const used = [...owned].filter((f) => eventTotal(window, f) >= 1).length;
  const fires = gated.length > 0 && explored.length >= minFeatures;
  const strength = fires ? graduationStrength(explored.length, gated.length, minFeatures) : 0;
  const evidence = graduationEvidence({
    explored,
    gatedCount: gated.length,
    used,
    ownedCount: owned.size,
    from,
    context,
  });
  return {
    evaluated: true,
    nextPlan: plans[rung + 1]?.name,
    explored,
    gatedCount: gated.length,
    strength,
    evidence,
    signal: fires ? graduationSignal(evidence, strength) : undefined,
  };
}

/** Index of the account's plan on the ladder (names compared trimmed and lowercase), -1 when absent. */
export function planRung(plans: readonly Plan[], plan: string | undefined): number {
  if (plan === undefined) return -1;
  const name = plan.trim().toLowerCase();
  return plans.findIndex((p) => p.name === name);
}

function missingReason(missing: readonly string[], plan: string | undefined): string {
  const planText = plan === undefined ? 'The account has no plan' : `The plan "${plan}" is not on the plan ladder`;
  if (missing.length === 2) return `${planText} and there is no recent usage, so feature graduation was not evaluated.`;
  return missing[0] === 'plan'
    ? `${planText}, so feature graduation was not evaluated.`
    : 'No usage rows in the feature window, so feature graduation was not evaluated.';
}

function eventTotal(days: readonly Day[], event: string): number {
  let total = 0;
  for (const d of days) total += d.events[event] ?? 0;
  return total;
}

/** 0.4 at minFeatures explored, rising linearly to 1 when every gated feature is explored. */
function graduationStrength(explored: number, gated: number, minFeatures: number): number {
  if (gated <= minFeatures) return 1;
  return round2(clamp01(0.4 + (0.6 * (explored - minFeatures)) / (gated - minFeatures)));
}

interface GraduationEvidenceInput {
  readonly explored: readonly string[];
  readonly gatedCount: number;
  readonly used: number;
  readonly ownedCount: number;
  readonly from: number;
  readonly context: SignalContext;
}

function graduationEvidence(input: GraduationEvidenceInput): GraduationEvidence {
  const window = period(input.from, input.context.usageEnd);
  const config = input.context.config.featureGraduation;
  const evidence: GraduationEvidence = {
    exploredCount: {
      metric: 'higher_plan_features_explored',
      value: input.explored.length,
      unit: 'count',
      window,
      comparison: `at least ${config.minEvents} events each`,
      source: 'usage',
    },
    gatedCount: {
      metric: 'higher_plan_features',
      value: input.gatedCount,
      unit: 'count',
      window: 'plan ladder',
      source: 'config',
    },
    minFeatures: {
      metric: 'feature_graduation_min_features',
      value: config.minFeatures,
      unit: 'count',
      window: 'config',
      source: 'config',
    },
    windowDays: {
      metric: 'feature_graduation_window_days',
      value: config.windowDays,
      unit: 'days',
      window: 'config',
      source: 'config',
    },
  };
  if (input.ownedCount === 0) return evidence;
  const breadth: Evidence = {
    metric: 'own_plan_feature_breadth',
    value: wholePercent(input.used / input.ownedCount),
    unit: 'percent',
    window,
    comparison: `${input.used} of ${input.ownedCount} features of the plan and below used`,
    source: 'derived',
  };
  return { ...evidence, breadth };
}

/** "Explored 3 of 6 features from higher plans in the last 30 days, and used 67% of the features it has". */
function graduationSignal(evidence: GraduationEvidence, strength: number): Signal {
  const c = citations();
  const gated = plural(c.cite(evidence.gatedCount), evidence.gatedCount.value, 'feature');
  const breadth = evidence.breadth === undefined ? '' : `, and used ${c.cite(evidence.breadth)} of the features it has`;
  const summary = `Explored ${c.cite(evidence.exploredCount)} of ${gated} from higher plans in the last ${c.cite(evidence.windowDays)} days${breadth}`;
  return { id: SIGNAL.featureGraduation, kind: 'expansion', strength, summary, evidence: Object.values(evidence) };
}

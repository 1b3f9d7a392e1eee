import type { Evidence, Signal } from '../../model/assessment.ts';
import type { Module } from '../config-catalog.ts';
import { clamp01, collected, daysBetween, mean, period, round2, type Day } from '../days.ts';
import { citations, oneDecimal } from '../evidence.ts';
import type { Evaluation } from '../result.ts';
import { workaroundSignalId, type SignalContext, type SignalFacts } from './context.ts';

/** Named evidence so a narrative cites exactly what the signal measured. */
export interface WorkaroundEvidence {
  readonly workaroundEvents: Evidence;
  readonly ratePerUserPerWeek: Evidence;
  readonly threshold: Evidence;
  readonly windowDays: Evidence;
}

export interface WorkaroundFacts extends SignalFacts {
  readonly moduleId: string;
  /** Workaround events summed over the window. */
  readonly events: number;
  /** Events per active user per week, at the one decimal the text shows. */
  readonly ratePerUserPerWeek: number;
  readonly strength: number;
  readonly evidence: WorkaroundEvidence;
}

export interface ModuleWorkaround {
  readonly moduleId: string;
  readonly evaluation: Evaluation<WorkaroundFacts>;
}

/**
 * Module whitespace: heavy use of a workaround (exports, CSV imports) that a module the customer does
 * not own would replace. One evaluation per unowned module that names workaround events; owned modules
 * and modules without workarounds are left out entirely, as there is nothing to measure.
 */
export function evaluateModuleWorkarounds(context: SignalContext): readonly ModuleWorkaround[] {
  const owned = new Set(context.account.modulesOwned.map((m) => m.trim().toLowerCase()));
  const { windowDays } = context.config.workarounds;
  const from = context.usageEnd - windowDays + 1;
  const window = daysBetween(context.days, from, context.usageEnd);
  return context.config.catalog.modules
    .filter((module) => !owned.has(module.id) && module.workarounds.length > 0)
    .map((module) => ({ moduleId: module.id, evaluation: evaluateModule(module, window, { from, context }) }));
}

function evaluateModule(
  module: Module,
  window: readonly Day[],
  at: { readonly from: number; readonly context: SignalContext },
): Evaluation<WorkaroundFacts> {
  const config = at.context.config.workarounds;
  if (window.length === 0)
    return {
      evaluated: false,
      missing: ['usage'],
      reason: `No usage rows in the workaround window, so the ${module.label} workaround signal was not evaluated.`,
    };
  const activeUsers = mean(collected(window, (d) => d.activeUsers));
  // No one active: a per-user rate would be infinite, which no sentence can state honestly.
  if (activeUsers === 0)
    return {
      evaluated: false,
      missing: ['usage.activeUsers'],
      reason: `No active users in the workaround window, so the ${module.label} workaround signal was not evaluated.`,
    };
  let events = 0;
  for (const d of window) for (const name of module.workarounds) events += d.events[name] ?? 0;
  // Decided on the rounded rate the text shows, so "1.0 per active user a week" and the threshold agree.
  const rate = oneDecimal(events / activeUsers / (config.windowDays / 7));
  const fires = events >= config.minEvents && rate >= config.perActiveUserPerWeek;
  const strength = fires
    ? round2(clamp01(0.4 + (0.6 * (rate - config.perActiveUserPerWeek)) / (2 * config.perActiveUserPerWeek)))
    : 0;
  const span = period(at.from, at.context.usageEnd);
  const evidence: WorkaroundEvidence = {
    workaroundEvents: {
      metric: `workaround_events.${module.id}`,
      value: events,
      unit: 'count',
      window: span,
      comparison: `events: ${module.workarounds.join(', ')}`,
      source: 'usage',
    },
    ratePerUserPerWeek: {
      metric: `workaround_rate.${module.id}`,
      value: rate,
      unit: 'ratio',
      window: span,
      comparison: `per active user per week (${oneDecimal(activeUsers)} active users a day)`,
      source: 'derived',
    },
    threshold: {
      metric: 'workaround_rate_threshold',
      value: config.perActiveUserPerWeek,
      unit: 'ratio',
      window: 'config',
      source: 'config',
    },
    windowDays: {
      metric: 'workaround_spandays',
      value: config.windowDays,
      unit: 'days',
      window: 'config',
      source: 'config',
    },
  };
  return {
    evaluated: true,
    moduleId: module.id,
    events,
    ratePerUserPerWeek: rate,
    strength,
    evidence,
    signal: fires ? workaroundSignal(module, evidence, strength) : undefined,
  };
}

/** "412 exports in the last 30 days (2.1 per active user a week), work Advanced Reporting would replace". */
function workaroundSignal(module: Module, evidence: WorkaroundEvidence, strength: number): Signal {
  const c = citations();
  const summary = `${c.cite(evidence.workaroundEvents)} ${workaroundNames(module)} in the last ${c.cite(evidence.windowDays)} days (${c.cite(evidence.ratePerUserPerWeek)} per active user a week), work ${module.label} would replace`;
  return { id: workaroundSignalId(module.id), kind: 'expansion', strength, summary, evidence: Object.values(evidence) };
}

/**
 * "exports", "csv imports and bulk edits": workaround event names read as plural nouns. Names and the
 * module label are config text, not evidence; one holding digits would read as an untraced number.
 */
export function workaroundNames(module: Module): string {
  const names = module.workarounds.map((w) => w.replaceAll('_', ' '));
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

import type { Evidence, Signal } from '../../model/assessment.ts';
import type { Module } from '../config-catalog.ts';
import { clamp01, collected, daysBetween, mean, period, round2, type Day } from '../days.ts';
import { citations, oneDecimal } from '../evidence.ts';
import { featureLabel, listOf } from '../narrative-common.ts';
import type { SignalContext } from './context.ts';

export const MILESTONE_SIGNAL_PREFIX = 'module_milestone';
export const milestoneSignalId = (moduleId: string): string => `${MILESTONE_SIGNAL_PREFIX}:${moduleId}`;

export interface MilestoneEvidence {
  readonly events: Evidence;
  readonly ratePerUserPerWeek: Evidence;
  readonly threshold: Evidence;
  readonly windowDays: Evidence;
}

/** One unowned module's adjacent-feature milestone, when the account reached it. */
export interface ModuleMilestone {
  readonly moduleId: string;
  readonly signal: Signal;
}

/**
 * Seed 000 §2: "the behavioral milestones that preceded successful cross-sell". A module's adjacent
 * features (catalog `adjacent`) are what teams use on the way to buying it: scheduled reports and
 * dashboards before Advanced Reporting. Steady use of them, per active user per week, is behavior that
 * confirms a resemblance to the module's adopters; alone it only suggests (seed 004). These signals back
 * cross-sells only: they are not counted in the score, the health or the timing.
 */
export function evaluateModuleMilestones(context: SignalContext): readonly ModuleMilestone[] {
  const owned = new Set(context.account.modulesOwned.map((m) => m.trim().toLowerCase()));
  const { windowDays } = context.config.workarounds;
  const from = context.usageEnd - windowDays + 1;
  const window = daysBetween(context.days, from, context.usageEnd);
  const users = mean(collected(window, (d) => d.activeUsers));
  if (window.length === 0 || users === 0) return [];
  return context.config.catalog.modules
    .filter((module) => !owned.has(module.id) && module.adjacent.length > 0)
    .flatMap((module) => {
      const signal = milestone({ module, window, users, span: period(from, context.usageEnd), context });
      return signal === undefined ? [] : [{ moduleId: module.id, signal }];
    });
}

interface MilestoneInput {
  readonly module: Module;
  readonly window: readonly Day[];
  readonly users: number;
  readonly span: string;
  readonly context: SignalContext;
}

function milestone(input: MilestoneInput): Signal | undefined {
  const { module, context } = input;
  const { windowDays, minEvents } = context.config.workarounds;
  const threshold = context.config.crossSell.adjacentPerUserPerWeek;
  let events = 0;
  for (const d of input.window) for (const name of module.adjacent) events += d.events[name] ?? 0;
  // Decided on the rounded rate the text shows, so the sentence and the threshold agree.
  const rate = oneDecimal(events / input.users / (windowDays / 7));
  if (events < minEvents || rate < threshold) return undefined;
  const evidence: MilestoneEvidence = {
    events: {
      metric: `adjacent_events.${module.id}`,
      value: events,
      unit: 'events',
      window: input.span,
      comparison: `events: ${module.adjacent.join(', ')}`,
      source: 'usage',
    },
    ratePerUserPerWeek: {
      metric: `adjacent_rate.${module.id}`,
      value: rate,
      unit: 'ratio',
      window: input.span,
      comparison: 'per active user per week',
      source: 'derived',
    },
    threshold: {
      metric: 'adjacent_rate_threshold',
      value: threshold,
      unit: 'ratio',
      window: 'config',
      source: 'config',
    },
    windowDays: { metric: 'adjacent_window_days', value: windowDays, unit: 'days', window: 'config', source: 'config' },
  };
  const c = citations();
  const names = listOf(module.adjacent.map(featureLabel));
  const summary = `${c.cite(evidence.events)} uses of ${names} in the last ${c.cite(evidence.windowDays)} days (${c.cite(evidence.ratePerUserPerWeek)} per active user a week), the step teams take before ${module.label}`;
  const strength = round2(clamp01(0.4 + (0.6 * (rate - threshold)) / (2 * threshold)));
  return { id: milestoneSignalId(module.id), kind: 'expansion', strength, summary, evidence: Object.values(evidence) };
}

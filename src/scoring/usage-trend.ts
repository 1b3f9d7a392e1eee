import type { Evidence, Signal } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { clamp01, daysBetween, mean, period, round2, type Day } from './days.ts';
import { citations, oneDecimal, wholePercent } from './evidence.ts';
import type { Evaluation } from './result.ts';

export const DECLINE_SIGNAL_ID = 'usage_decline';
export const GROWTH_SIGNAL_ID = 'usage_growth';

/** decline: at or below decline.yellowBelow; growth: at or above trend.growthAt; flat: in between. */
export type TrendDirection = 'decline' | 'flat' | 'growth';

export interface TrendEvidence {
  readonly lastMean: Evidence;
  readonly priorMean: Evidence;
  readonly change: Evidence;
  readonly windowDays: Evidence;
}

export interface TrendFacts {
  /** Change in mean active users, last window vs the prior one, at the whole percent the text shows. */
  readonly change: number;
  readonly direction: TrendDirection;
  readonly evidence: TrendEvidence;
  readonly signal: Signal | undefined;
}

export interface TrendInput {
  readonly days: readonly Day[];
  readonly asOf: number;
  readonly config: ScoringConfig;
}

export function evaluateUsageTrend(input: TrendInput): Evaluation<TrendFacts> {
  const { windowDays, minDaysPerWindow } = input.config.trend;
  if (input.days.length === 0) return { evaluated: false, missing: ['usage'], reason: 'No usage rows for this account, so the usage signals were not evaluated.' };
  const lastFrom = input.asOf - windowDays + 1;
  const priorFrom = lastFrom - windowDays;
  const last = daysBetween(input.days, lastFrom, input.asOf);
  const prior = daysBetween(input.days, priorFrom, lastFrom - 1);
  const missing: string[] = [];
  if (last.length < minDaysPerWindow) missing.push(`usage.last${windowDays}Days`);
  if (prior.length < minDaysPerWindow) missing.push(`usage.prior${windowDays}Days`);
  if (missing.length > 0) return { evaluated: false, missing, reason: 'Not enough usage history to judge the usage trend yet.' };
  const lastMean = mean(last.map((d) => d.activeUsers));
  const priorMean = mean(prior.map((d) => d.activeUsers));
  // No one active before: any change is infinite, which no sentence can state honestly.
  if (priorMean === 0) return { evaluated: false, missing: ['usage.priorActiveUsers'], reason: 'No active users in the earlier period to compare with, so the usage trend was not evaluated.' };
  // Decide on the rounded percent the text will show, so "fell 30%" and the red gate at -30% agree.
  const change = wholePercent((lastMean - priorMean) / priorMean) / 100;
  const direction = directionOf(change, input.config);
  const evidence: TrendEvidence = {
    lastMean: { metric: 'active_users_daily_mean_recent', value: oneDecimal(lastMean), unit: 'users', window: period(lastFrom, input.asOf), source: 'usage' },
    priorMean: { metric: 'active_users_daily_mean_prior', value: oneDecimal(priorMean), unit: 'users', window: period(priorFrom, lastFrom - 1), source: 'usage' },
    change: { metric: 'active_users_change', value: Math.round(change * 100), unit: 'percent', window: period(priorFrom, input.asOf), comparison: `last ${windowDays} days vs the prior ${windowDays}`, source: 'derived' },
    windowDays: { metric: 'trend_window_days', value: windowDays, unit: 'days', window: 'config', source: 'config' },
  };
  return { evaluated: true, change, direction, evidence, signal: trendSignal({ direction, change, evidence, config: input.config }) };
}

function directionOf(change: number, config: ScoringConfig): TrendDirection {
  if (change <= config.decline.yellowBelow) return 'decline';
  if (change >= config.trend.growthAt) return 'growth';
  return 'flat';
}

/** "Active users fell 35% (20 vs 50 a day, last 30 days vs the prior 30)" and its growth twin. */
export function trendSentence(evidence: TrendEvidence, cite: (e: Evidence) => string): string {
  const value = evidence.change.value;
  const movement = value < 0 ? `fell ${cite(evidence.change)}` : value > 0 ? `grew ${cite(evidence.change)}` : 'held steady';
  const days = cite(evidence.windowDays);
  return `Active users ${movement} (${cite(evidence.lastMean)} a day vs ${cite(evidence.priorMean)}, last ${days} days vs the prior ${days})`;
}

interface TrendSignalInput {
  readonly direction: TrendDirection;
  readonly change: number;
  readonly evidence: TrendEvidence;
  readonly config: ScoringConfig;
}

function trendSignal(input: TrendSignalInput): Signal | undefined {
  if (input.direction === 'flat') return undefined;
  const c = citations();
  const summary = trendSentence(input.evidence, c.cite);
  const evidence = Object.values(input.evidence);
  if (input.direction === 'decline') {
    return { id: DECLINE_SIGNAL_ID, kind: 'risk', strength: round2(clamp01(-input.change)), summary, evidence };
  }
  // 0.4 at the growth threshold, full strength at three times it.
  const growthAt = input.config.trend.growthAt;
  const strength = clamp01(0.4 + (0.6 * (input.change - growthAt)) / (2 * growthAt));
  return { id: GROWTH_SIGNAL_ID, kind: 'expansion', strength: round2(strength), summary, evidence };
}

import type { Evidence, Signal } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { clamp01, collected, daysBetween, period, round2, trimmedMean, type Day } from './days.ts';
import { citations, wholePercent } from './evidence.ts';
import type { Evaluation } from './result.ts';

export const DECLINE_SIGNAL_ID = 'usage_decline';
export const GROWTH_SIGNAL_ID = 'usage_growth';

/** decline: at or below decline.yellowBelow; growth: at or above trend.growthAt; flat: in between. */
export type TrendDirection = 'decline' | 'flat' | 'growth';
export type TrendMeasure = ScoringConfig['trend']['measures'][number];

export interface TrendEvidence {
  readonly lastMean: Evidence;
  readonly priorMean: Evidence;
  readonly change: Evidence;
  readonly windowDays: Evidence;
}

export interface TrendFacts {
  /** The change that decides the direction, last window vs the prior one, at the whole percent the text shows. */
  readonly change: number;
  readonly direction: TrendDirection;
  /** Which measure the change (and the evidence) is about. */
  readonly measure: TrendMeasure;
  /** Every measure that could be judged, with its change. */
  readonly changes: Readonly<Partial<Record<TrendMeasure, number>>>;
  readonly evidence: TrendEvidence;
  readonly signal: Signal | undefined;
}

export interface TrendInput {
  readonly days: readonly Day[];
  readonly asOf: number;
  readonly config: ScoringConfig;
}

interface MeasureChange {
  readonly measure: TrendMeasure;
  /** prior: against the window just before; quarter: against the window two windows earlier (slow, steady growth). */
  readonly baseline: 'prior' | 'quarter';
  readonly change: number;
  readonly lastMean: number;
  readonly priorMean: number;
}

/**
 * Usage trend over two windows of whole weeks that end on the latest day with usage (not on asOf), so
 * a day without new rows changes nothing. Each measure (active users, total events) is averaged per
 * observed day after trimming the quietest and busiest days, so weekends, holidays, outage gaps and
 * short spikes do not move it. Growth is the stronger measure (more activity on the same users is
 * growth); decline is the weaker one (a fall in either is a warning).
 */
export function evaluateUsageTrend(input: TrendInput): Evaluation<TrendFacts> {
  const { windowDays, minDaysPerWindow } = input.config.trend;
  const latest = input.days.at(-1);
  if (latest === undefined)
    return {
      evaluated: false,
      missing: ['usage'],
      reason: 'No usage rows for this account, so the usage signals were not evaluated.',
    };
  if (input.asOf - latest.day > input.config.seatUtilization.staleAfterDays) {
    return {
      evaluated: false,
      missing: ['usage.recent'],
      reason: 'Usage data is stale (no recent days), so the usage trend was not evaluated.',
    };
  }
  const end = latest.day;
  const lastFrom = end - windowDays + 1;
  const priorFrom = lastFrom - windowDays;
  const last = daysBetween(input.days, lastFrom, end);
  const prior = daysBetween(input.days, priorFrom, lastFrom - 1);
  const measured = input.config.trend.measures.flatMap((measure) =>
    measureChange({ measure, last, prior, config: input.config }),
  );
  if (measured.length === 0) {
    const thin = input.config.trend.measures.every(
      (m) =>
        collected(last, pick(m, input.config)).length < minDaysPerWindow ||
        collected(prior, pick(m, input.config)).length < minDaysPerWindow,
    );
    return thin
      ? {
          evaluated: false,
          missing: [`usage.last${windowDays}Days`, `usage.prior${windowDays}Days`],
          reason: 'Not enough usage history to judge the usage trend yet.',
        }
      : {
          evaluated: false,
          missing: ['usage.priorActivity'],
          reason: 'No activity in the earlier period to compare with, so the usage trend was not evaluated.',
        };
  }
  const weakest = measured.reduce((a, b) => (b.change < a.change ? b : a));
  const strongest = measured.reduce((a, b) => (b.change > a.change ? b : a));
  const slow =
    weakest.change > input.config.decline.yellowBelow && strongest.change < input.config.trend.growthAt
      ? quarterGrowth({ last, days: input.days, lastFrom, config: input.config })
      : undefined;
  const driver =
    slow ??
    (weakest.change <= input.config.decline.yellowBelow
      ? weakest
      : strongest.change >= input.config.trend.growthAt
        ? strongest
        : (measured[0] ?? strongest));
  const direction = slow === undefined ? directionOf(driver.change, input.config) : 'growth';
  const baseFrom = slow === undefined ? priorFrom : lastFrom - 3 * windowDays;
  const evidence = trendEvidence({ driver, lastFrom, priorFrom: baseFrom, end, windowDays });
  const changes = Object.fromEntries(measured.map((m) => [m.measure, m.change]));
  return {
    evaluated: true,
    change: driver.change,
    direction,
    measure: driver.measure,
    changes,
    evidence,
    signal: trendSignal({ direction, change: driver.change, evidence, config: input.config }),
  };
}

/**
 * A day's total events, without the named metrics (power users, teams); undefined when the day has none.
 * Kept per Day object: each window and measure of an account reads the same days. prepareUsage makes
 * fresh, never-changed Day objects for each assessment under one config, so the cache only saves
 * repeating the sum.
 */
const EVENT_TOTALS = new WeakMap<Day, number | undefined>();

function eventTotal(d: Day, config: ScoringConfig): number | undefined {
  if (EVENT_TOTALS.has(d)) return EVENT_TOTALS.get(d);
  let total = 0;
  let any = false;
  for (const name in d.events) {
    if (
      name === config.powerUsers.metric ||
      name === config.powerUsers.topEventsMetric ||
      name.startsWith(config.teams.prefix)
    )
      continue;
    total += d.events[name] ?? 0;
    any = true;
  }
  const value = any ? total : undefined;
  EVENT_TOTALS.set(d, value);
  return value;
}

/** The day's value of a measure; undefined when not collected. */
function pick(measure: TrendMeasure, config: ScoringConfig): (d: Day) => number | undefined {
  return measure === 'activeUsers' ? (d) => d.activeUsers : (d) => eventTotal(d, config);
}

/**
 * Seed 000's "product usage growth trend" over a quarter: growth too slow to clear the bar window on
 * window (+10% a month) but steady, so the last window stands trend.quarterGrowthAt above the one two
 * windows before it, while the window in between lies between the two (no spike, no dip). Undefined otherwise.
 */
function quarterGrowth(options: {
  readonly last: readonly Day[];
  readonly days: readonly Day[];
  readonly lastFrom: number;
  readonly config: ScoringConfig;
}): MeasureChange | undefined {
  const { config, lastFrom } = options;
  const w = config.trend.windowDays;
  const middle = daysBetween(options.days, lastFrom - w, lastFrom - 1);
  const base = daysBetween(options.days, lastFrom - 3 * w, lastFrom - 2 * w - 1);
  const found = config.trend.measures.flatMap((measure) => {
    const [long] = measureChange({ measure, last: options.last, prior: base, config, baseline: 'quarter' });
    const [mid] = measureChange({ measure, last: middle, prior: base, config, baseline: 'quarter' });
    if (long === undefined || mid === undefined || long.change < config.trend.quarterGrowthAt) return [];
    return mid.change > 0 && mid.change < long.change ? [long] : [];
  });
  return found.reduce<MeasureChange | undefined>(
    (best, m) => (best === undefined || m.change > best.change ? m : best),
    undefined,
  );
}

function measureChange(options: {
  readonly measure: TrendMeasure;
  readonly last: readonly Day[];
  readonly prior: readonly Day[];
  readonly config: ScoringConfig;
  readonly baseline?: MeasureChange['baseline'];
}): MeasureChange[] {
  const { measure, config } = options;
  const { minDaysPerWindow } = config.trend;
  const last = collected(options.last, pick(measure, config));
  const prior = collected(options.prior, pick(measure, config));
  if (last.length < minDaysPerWindow || prior.length < minDaysPerWindow) return [];
  const lastMean = trimmedMean(last, config.trend.trimShare);
  const priorMean = trimmedMean(prior, config.trend.trimShare);
  // No activity before: any change is infinite, which no sentence can state honestly.
  if (priorMean === 0) return [];
  // Decide on the rounded percent the text will show, so "fell 30%" and the red gate at -30% agree.
  return [
    {
      measure,
      baseline: options.baseline ?? 'prior',
      change: wholePercent((lastMean - priorMean) / priorMean) / 100,
      lastMean,
      priorMean,
    },
  ];
}

function directionOf(change: number, config: ScoringConfig): TrendDirection {
  if (change <= config.decline.yellowBelow) return 'decline';
  if (change >= config.trend.growthAt) return 'growth';
  return 'flat';
}

function trendEvidence(options: {
  readonly driver: MeasureChange;
  readonly lastFrom: number;
  readonly priorFrom: number;
  readonly end: number;
  readonly windowDays: number;
}): TrendEvidence {
  const { driver, lastFrom, priorFrom, end, windowDays } = options;
  const users = driver.measure === 'activeUsers';
  const unit = users ? 'users' : 'events';
  const name = users ? 'active_users' : 'events';
  return {
    // Whole numbers: a count of people or events a day reads as one, never "313.9 users".
    lastMean: {
      metric: `${name}_daily_mean_recent`,
      value: Math.round(driver.lastMean),
      unit,
      window: period(lastFrom, end),
      source: 'usage',
    },
    priorMean: {
      metric: `${name}_daily_mean_prior`,
      value: Math.round(driver.priorMean),
      unit,
      window: period(priorFrom, lastFrom - 1),
      source: 'usage',
    },
    change: {
      metric: `${name}_change`,
      value: Math.round(driver.change * 100),
      unit: 'percent',
      window: period(priorFrom, end),
      comparison: driver.baseline === 'prior' ? `last ${windowDays} days vs the prior ${windowDays}` : QUARTER,
      source: 'derived',
    },
    windowDays: { metric: 'trend_window_days', value: windowDays, unit: 'days', window: 'config', source: 'config' },
  };
}

const QUARTER = 'last window vs the same span two months earlier';

/** "Active users fell 35% (20 vs 50 a day, last 28 days vs the prior 28)", or "Activity grew 50% (...events a day...)". */
export function trendSentence(evidence: TrendEvidence, cite: (e: Evidence) => string): string {
  const value = evidence.change.value;
  const events = evidence.lastMean.unit === 'events';
  const movement =
    value < 0 ? `fell ${cite(evidence.change)}` : value > 0 ? `grew ${cite(evidence.change)}` : 'held steady';
  const days = cite(evidence.windowDays);
  const per = events ? 'events a day' : 'a day';
  const against = evidence.change.comparison === QUARTER ? 'the same span two months earlier' : `the prior ${days}`;
  // Whole-number means of a small team can read "2 a day vs 2" beside a 29% change: then state the change alone.
  const means =
    evidence.lastMean.value === evidence.priorMean.value
      ? ''
      : `${cite(evidence.lastMean)} ${per} vs ${cite(evidence.priorMean)}, `;
  return `${events ? 'Activity' : 'Active users'} ${movement} (${means}last ${days} days vs ${against})`;
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

import { describe, expect, it } from 'vitest';
import { isHoldout } from '../../../src/outcomes/holdout.ts';
import {
  betaEstimate,
  closeRatePrior,
  dataGate,
  holdoutUplift,
  opportunityRatePrior,
  outcomeStats,
  weeklyOutcomeFacts,
} from '../../../src/outcomes/stats.ts';
import { defaultScoringConfig } from '../../../src/scoring/config.ts';
import { deal, pitch, scenario } from './stats-fixtures.ts';

const config = defaultScoringConfig();
const LEARNING = { minClosed: 50, minEach: 20, fullReplaceEach: 200 };

describe('Beta-Binomial estimates', () => {
  it('a flat Beta(1, 1) posterior has the 5% and 95% quantiles as its 90% interval', () => {
    const e = betaEstimate(0, 0, { mean: 0.5, strength: 2 });
    expect(e.raw).toBeNull();
    expect(e.mean).toBe(0.5);
    expect(e.low).toBeCloseTo(0.05, 10);
    expect(e.high).toBeCloseTo(0.95, 10);
  });

  it('Beta(1, 9) (prior mean 0.1 over 10 observations, no data): quantile q is 1 - (1 - q)^(1/9)', () => {
    const e = betaEstimate(0, 0, { mean: 0.1, strength: 10 });
    expect(e.mean).toBeCloseTo(0.1, 12);
    expect(e.low).toBeCloseTo(1 - 0.95 ** (1 / 9), 10);
    expect(e.high).toBeCloseTo(1 - 0.05 ** (1 / 9), 10);
  });

  it('data moves the posterior: 3 of 10 under a prior of 0.5 x 10 gives Beta(8, 12), mean 0.4', () => {
    const e = betaEstimate(3, 10, { mean: 0.5, strength: 10 });
    expect(e.raw).toBe(0.3);
    expect(e.mean).toBeCloseTo(0.4, 12);
    expect(e.low).toBeLessThan(0.4);
    expect(e.high).toBeGreaterThan(0.4);
  });
});

describe('priors from the configured scoring', () => {
  it('close rate: the configured win probability of a pitch on the signal alone at strength 1', () => {
    expect(closeRatePrior('seat_utilization', config)).toBe(0.75); // base 0.25 + perStrength 0.5
    expect(closeRatePrior('usage_growth', config)).toBe(0.35); // base + growthBonus 0.1
    expect(closeRatePrior('feature_graduation', config)).toBe(0.65); // tierBase 0.2 + tierPerStrength 0.45
    expect(closeRatePrior('module_workaround:reporting', config)).toBe(0.55); // crossSellBase 0.25 + 0.3
    expect(closeRatePrior('headcount_growth', config)).toBe(0.3); // base + one supporting bonus 0.05
  });

  it('signal to opportunity: the readiness score of the signal alone, 1 - e^(-weight/scale)', () => {
    expect(opportunityRatePrior('seat_utilization', config)).toBeCloseTo(1 - Math.exp(-5 / 6), 12);
    expect(opportunityRatePrior('module_workaround:sso', config)).toBeCloseTo(1 - Math.exp(-3 / 6), 12);
  });
});

describe('per-signal conversion and lift', () => {
  const { outcomes, pitches, sightings } = scenario();
  const stats = outcomeStats({ outcomes, pitches, sightings, config });
  const row = (kind: string, key?: string) =>
    stats.signals.find(
      (s) =>
        s.signalId === 'seat_utilization' &&
        s.group.kind === kind &&
        (key === undefined || Object.values(s.group).includes(key)),
    );

  it('close rate, lift and median days to close, overall', () => {
    const all = row('all');
    // With the signal: A won (pitched), B won, C lost; G's deal predates its signal.
    expect(all?.closeRate).toMatchObject({ successes: 2, trials: 3 });
    expect(all?.closeRate.mean).toBeCloseTo(9.5 / 13, 12); // Beta(7.5 + 2, 2.5 + 1)
    // Without: E won, F and G lost (H is open).
    expect(all?.withoutRate).toMatchObject({ successes: 1, trials: 3 });
    expect(all?.withoutRate.mean).toBeCloseTo(3.5 / 13, 12); // Beta(2.5 + 1, 7.5 + 2)
    expect(all?.lift).toBeCloseTo(9.5 / 3.5, 12);
    expect(all?.rawLift).toBeCloseTo(2, 12);
    expect(all?.medianDaysToClose).toBe(35); // 30 (A) and 40 (B) days after 2026-01-01
    expect(all?.closeRate.low).toBeLessThan(all?.closeRate.mean ?? 0);
    expect(all?.closeRate.high).toBeGreaterThan(all?.closeRate.mean ?? 1);
  });

  it('signal to opportunity counts only deals created after the first sighting', () => {
    const all = row('all');
    // Fired on A, B, C, D, G; deals after it on A, B, C (G's came first, D has none).
    expect(all?.opportunityRate).toMatchObject({ successes: 3, trials: 5, raw: 0.6 });
    const m = 1 - Math.exp(-5 / 6);
    expect(all?.opportunityRate.mean).toBeCloseTo((10 * m + 3) / 15, 12);
  });

  it('by motion and by owner', () => {
    expect(row('motion', 'seat_add')?.closeRate).toMatchObject({ successes: 2, trials: 2 });
    expect(row('motion', 'tier_upgrade')?.closeRate).toMatchObject({ successes: 0, trials: 1 });
    expect(row('owner', '77')?.closeRate).toMatchObject({ successes: 2, trials: 3 });
    expect(row('owner', '77')?.opportunityRate).toMatchObject({ successes: 3, trials: 3 });
    expect(row('owner', '88')?.withoutRate).toMatchObject({ successes: 1, trials: 3 });
  });

  it('totals by label and status', () => {
    expect(stats.totals.organic).toEqual({ open: 0, won: 2, lost: 3, openAmount: 0, wonAmount: 7_000 });
    expect(stats.totals.created).toEqual({ open: 0, won: 1, lost: 0, openAmount: 0, wonAmount: 10_000 });
    expect(stats.totals.influenced).toMatchObject({ open: 1, openAmount: 7_000 });
  });
});

describe('data gate', () => {
  const closed = (won: number, lost: number) => [
    ...Array.from({ length: won }, (_, i) => deal({ crmId: `w${i}`, accountId: 'x', status: 'won' })),
    ...Array.from({ length: lost }, (_, i) => deal({ crmId: `l${i}`, accountId: 'x', status: 'lost' })),
    deal({ crmId: 'open', accountId: 'x' }),
  ];

  it('says how far off the gate is', () => {
    const gate = dataGate(closed(12, 26), LEARNING);
    expect(gate).toMatchObject({ closed: 38, met: false, needClosed: 12, needWon: 8, needLost: 0 });
    expect(gate.message).toContain('12 more closed outcomes needed (8 won more)');
    expect(dataGate(closed(12, 16), LEARNING).message).toContain('22 more closed outcomes needed (8 won, 4 lost more)');
    // Both of each met but not the total: any result will do.
    expect(dataGate(closed(20, 25), LEARNING).message).toContain('5 more closed outcomes needed.');
  });

  it('met, and the full-replace gate', () => {
    expect(dataGate(closed(20, 30), LEARNING)).toMatchObject({ met: true, fullReplace: false });
    expect(dataGate(closed(200, 200), LEARNING)).toMatchObject({ met: true, fullReplace: true });
  });
});

describe('holdout uplift', () => {
  it('won share of pitched ready accounts against the holdout, with Jeffreys intervals', () => {
    const outcomes = ['c', 'd', 'a'].map((id) => deal({ crmId: id, accountId: id, status: 'won' }));
    const pitches = ['c', 'd', 'e'].map((id) => pitch({ key: `k-${id}`, accountId: id }));
    const up = holdoutUplift({
      outcomes,
      pitches,
      readyAccountIds: ['a', 'b', 'c', 'd', 'e', 'f'],
      isHoldout: (id) => id === 'a' || id === 'b',
    });
    expect(up.pitched).toMatchObject({ successes: 2, trials: 3 });
    expect(up.holdout).toMatchObject({ successes: 1, trials: 2 });
    expect(up.pitched.mean).toBeCloseTo(2.5 / 4, 12);
    expect(up.holdout.mean).toBeCloseTo(1.5 / 3, 12);
    expect(up.uplift).toBeCloseTo(0.125, 12);
    expect(up.rawUplift).toBeCloseTo(2 / 3 - 1 / 2, 12);
  });

  it('works with the hash holdout', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `acct-${i}`);
    const up = holdoutUplift({
      outcomes: [],
      pitches: [],
      readyAccountIds: ids,
      isHoldout: (id) => isHoldout('hubspot', id, 0.05),
    });
    expect(up.holdout.trials).toBeGreaterThan(5);
    expect(up.holdout.trials).toBeLessThan(40);
    expect(up.pitched.trials).toBe(0); // nothing was pitched
  });
});

describe('weekly outcome facts (seed 004 digest)', () => {
  it('new signals, open and closed this week, the 90-day expansion rate, signal activity and the leaderboard', () => {
    const facts = weeklyOutcomeFacts({ ...scenario(), config }, '2026-03-04');
    expect(facts.from).toBe('2026-02-26');
    expect(facts.newSignalAccounts).toBe(2); // G and H
    expect(facts.open).toEqual({ count: 1, amount: 7_000 });
    expect(facts.closedThisWeek).toEqual({ count: 1, won: 0, wonAmount: 0 }); // C, lost on 2026-03-02
    expect(facts.expansionRate).toEqual({ won: 3, closed: 6, rate: 0.5 });
    expect(facts.signalActivity.map((s) => [s.signalId, s.accounts])).toEqual([
      ['seat_utilization', 5],
      ['usage_growth', 1],
    ]);
    expect(facts.signalActivity[1]?.conversion.mean).toBeCloseTo(0.35, 12); // no closed deal yet: the prior
    expect(facts.leaderboard).toEqual([
      { ownerId: '88', opportunities: 1, pipeline: 7_000, won: 1, wonAmount: 2_000 },
      { ownerId: '77', opportunities: 0, pipeline: 0, won: 2, wonAmount: 15_000 },
    ]);
  });
});

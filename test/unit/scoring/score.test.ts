import { describe, expect, it } from 'vitest';
import { account, assess, config, usage } from './helpers.ts';

const isNonDecreasing = (values: readonly number[]) => values.every((v, i) => i === 0 || v >= (values[i - 1] ?? v));

describe('expansion-readiness score', () => {
  it('never drops as seat utilization rises', () => {
    for (const shape of ['constant', 'step'] as const) {
      const scores = Array.from(
        { length: 121 },
        (_, seats) =>
          assess({
            usage:
              shape === 'constant'
                ? usage([{ days: 60, seats, active: 40 }])
                : usage([
                    { days: 30, seats: 50, active: 40 },
                    { days: 30, seats, active: 40 },
                  ]),
          }).score,
      );
      expect(isNonDecreasing(scores), `${shape}: ${scores.join(',')}`).toBe(true);
      expect(scores.at(-1)).toBeGreaterThan(scores[0] ?? 0);
    }
  });

  it('never drops as usage grows', () => {
    for (const seats of [60, 90]) {
      const scores = Array.from(
        { length: 150 },
        (_, i) =>
          assess({
            usage: usage([
              { days: 30, seats, active: 50 },
              { days: 30, seats, active: 5 + i },
            ]),
          }).score,
      );
      expect(isNonDecreasing(scores), scores.join(',')).toBe(true);
      expect(scores.at(-1)).toBeGreaterThan(scores[0] ?? 0);
    }
  });

  it('red health caps the score low, even with every seat taken', () => {
    const red = assess({
      usage: usage([
        { days: 30, seats: 100, active: 90 },
        { days: 30, seats: 100, active: 30 },
      ]),
    });
    expect(red.health).toBe('red');
    expect(red.score).toBeLessThanOrEqual(20);
  });

  it('sustained seat pressure on growing usage scores high', () => {
    expect(
      assess({
        usage: usage([
          { days: 30, seats: 95, active: 50 },
          { days: 30, seats: 95, active: 80 },
        ]),
      }).score,
    ).toBeGreaterThanOrEqual(80);
  });

  it.each([
    {
      name: 'five times the licensed seats in use',
      account: account({ licensedSeats: 20 }),
      days: usage([{ days: 60, seats: 100 }]),
    },
    { name: 'nobody active at all', account: account(), days: usage([{ days: 60, seats: 0, active: 0 }]) },
    { name: 'no usage and no seats', account: account({ licensedSeats: 0 }), days: [] },
  ])('stays a whole number within 0..100: $name', ({ account: acct, days }) => {
    const { score } = assess({ account: acct, usage: days });
    expect(Number.isInteger(score)).toBe(true);
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(100);
  });

  it('each risk signal lowers the score; a missing risk input lowers nothing', () => {
    const days = usage([{ days: 60, seats: 92, active: 80 }]);
    const clean = assess({ usage: days }).score;
    const unknown = assess({ account: account({}), usage: days }).score;
    const escalated = assess({ account: account({ openEscalations: 1 }), usage: days }).score;
    expect(unknown).toBe(clean);
    expect(escalated).toBeLessThan(clean);
  });

  it('confirming signals add up: seat pressure with headcount growth scores above seat pressure alone', () => {
    const days = usage([{ days: 60, seats: 92, active: 80 }]);
    expect(assess({ account: account({ headcountGrowth: 0.4 }), usage: days }).score).toBeGreaterThan(
      assess({ usage: days }).score,
    );
  });

  it('stays within 0..100 however the weights are set', () => {
    const heavy = config({
      score: { utilizationWeight: 500, scale: 0.001, signalWeights: { seat_utilization: 1e300, usage_growth: 1e300 } },
    });
    expect(
      assess({
        usage: usage([
          { days: 30, seats: 95, active: 50 },
          { days: 30, seats: 95, active: 80 },
        ]),
        config: heavy,
      }).score,
    ).toBe(100);
  });
});

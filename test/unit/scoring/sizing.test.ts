import { describe, expect, it } from 'vitest';
import type { UsageDay } from '../../../src/model/usage.ts';
import { account, AS_OF, assess, config, isoDaysBefore, usage } from './helpers.ts';

const priced = config({ pricing: { seatPriceDefault: 600, seatPriceByPlan: { growth: 720, enterprise: 900 } } });
const steady88 = usage([{ days: 60, seats: 88, active: 80 }]);

/** Seats used over the last `days` days, one value per day, ending on asOf. */
const series = (seats: readonly number[]): UsageDay[] =>
  seats.map((seatsUsed, i) => ({
    accountKey: 'acme.example',
    date: isoDaysBefore(AS_OF, seats.length - 1 - i),
    activeUsers: Math.min(seatsUsed, 80),
    seatsUsed,
    events: {},
  }));

describe('seat-add sizing', () => {
  const seatAdd = (a: ReturnType<typeof assess>) => a.opportunities.find((o) => o.motion === 'seat_add');

  it.each([
    { plan: 'growth', price: 720 },
    { plan: 'Enterprise', price: 900 },
    { plan: 'starter', price: 360 },
    { plan: 'legacy', price: 600 },
  ])('uses the $plan seat price ($price): an override, else the plan ladder, else the default', ({ plan, price }) => {
    const opportunity = seatAdd(assess({ account: account({ plan }), usage: steady88, config: priced }));
    // 88 seats in use on busy days, flat: ceil(88 / 0.75) = 118 seats, 18 more than the 100 licensed.
    expect(opportunity?.seatsToAdd).toBe(18);
    expect(opportunity?.arrPotential).toBe(18 * price);
  });

  // 120 seats used rising by one a day to 179 on 200 licensed: weekly means rise by 7 every week.
  const rising = series(Array.from({ length: 60 }, (_, i) => 120 + i));

  it('projects a steady weekly rise over the horizon', () => {
    const uncapped = config({ ...priced, sizing: { maxAddShare: 2 } });
    const opportunity = seatAdd(assess({ account: account({ licensedSeats: 200 }), usage: rising, config: uncapped }));
    // p90 of the last 28 days is 177, plus 7 a week for 90 days (90 seats): ceil(267 / 0.75) - 200 = 156.
    expect(opportunity?.seatsToAdd).toBe(156);
    expect(opportunity?.narrative.evidence.find((e) => e.metric === 'seats_for_trend')?.value).toBe(90);
  });

  it('caps one seat add at half the licence by default', () => {
    const opportunity = seatAdd(assess({ account: account({ licensedSeats: 200 }), usage: rising, config: priced }));
    expect(opportunity?.seatsToAdd).toBe(100);
    expect(opportunity?.arrHigh).toBe(100 * 720);
  });

  it('does not project a dip, and sizes on the busy days of the last four weeks', () => {
    const falling = series([
      ...Array.from({ length: 30 }, () => 95),
      ...Array.from({ length: 30 }, (_, i) => 95 - Math.floor(i / 3)),
    ]);
    const opportunity = seatAdd(assess({ usage: falling }));
    const p90 = opportunity?.narrative.evidence.find((e) => e.metric === 'seats_used_p90')?.value ?? 0;
    expect(p90).toBeGreaterThan(falling.at(-1)?.seatsUsed ?? 0);
    expect(opportunity?.seatsToAdd).toBe(Math.ceil(p90 / 0.75) - 100);
  });

  it('adds known hiring: headcount growth over the horizon', () => {
    const opportunity = seatAdd(assess({ account: account({ headcountGrowth: 0.4 }), usage: steady88 }));
    // 88 + ceil(88 x 0.4 x 90 / 365) = 88 + 9 = 97 seats needed: ceil(97 / 0.75) - 100 = 30.
    expect(opportunity?.seatsToAdd).toBe(30);
  });

  it('recommends at least minSeats', () => {
    const opportunity = seatAdd(
      assess({ usage: usage([{ days: 60, seats: 80 }]), config: config({ sizing: { minSeats: 10 } }) }),
    );
    expect(opportunity?.seatsToAdd).toBe(10);
  });

  it('gives a range from just under the trigger to the need at 70% utilization, and an expected value from a bounded probability', () => {
    const opportunity = seatAdd(assess({ usage: steady88, config: priced }));
    if (!opportunity) throw new Error('expected a seat add');
    // Low: ceil(88 / 0.8) - 100 = 10 seats; high: ceil(88 / 0.7) - 100 = 26 seats.
    expect(opportunity.arrLow).toBe(10 * 720);
    expect(opportunity.arrHigh).toBe(26 * 720);
    expect(opportunity.probability).toBeGreaterThanOrEqual(0.05);
    expect(opportunity.probability).toBeLessThanOrEqual(0.95);
    expect(opportunity.expectedValue).toBe(Math.round(opportunity.arrPotential * opportunity.probability));
  });

  it('a yellow account is less likely to close than a green one with the same seat pressure', () => {
    const green = seatAdd(
      assess({
        usage: usage([
          { days: 30, seats: 90, active: 80 },
          { days: 30, seats: 90, active: 80 },
        ]),
      }),
    );
    const yellow = seatAdd(
      assess({
        usage: usage([
          { days: 30, seats: 90, active: 80 },
          { days: 30, seats: 90, active: 68 },
        ]),
      }),
    );
    expect(yellow?.probability).toBeLessThan(green?.probability ?? 0);
  });
});

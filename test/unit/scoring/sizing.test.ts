import { describe, expect, it } from 'vitest';
import type { UsageDay } from '../../../src/model/usage.ts';
import { account, AS_OF, assess, config, isoDaysBefore, usage } from './helpers.ts';

const priced = config({ pricing: { seatPriceDefault: 600, seatPriceByPlan: { growth: 720, enterprise: 900 } } });
const steady88 = usage([{ days: 60, seats: 88, active: 80 }]);

/** Seats used over the last `days` days, one value per day, ending on asOf. */
const series = (seats: readonly number[]): UsageDay[] =>
  seats.map((seatsUsed, i) => ({ accountKey: 'acme.example', date: isoDaysBefore(AS_OF, seats.length - 1 - i), activeUsers: Math.min(seatsUsed, 80), seatsUsed, events: {} }));

describe('seat-add sizing', () => {
  it.each([
    { plan: 'growth', price: 720 },
    { plan: 'Enterprise', price: 900 },
    { plan: 'starter', price: 360 },
    { plan: 'legacy', price: 600 },
  ])('uses the $plan seat price ($price): an override, else the plan ladder, else the default', ({ plan, price }) => {
    const [opportunity] = assess({ account: account({ plan }), usage: steady88, config: priced }).opportunities;
    // 88 seats in use, flat: 88 x 1.15 headroom = 101.2 -> 102 seats, 2 more than the 100 licensed.
    expect(opportunity?.seatsToAdd).toBe(2);
    expect(opportunity?.arrPotential).toBe(2 * price);
    expect(opportunity?.narrative.body).toContain(`At $${price} per seat a year, that is $${(2 * price).toLocaleString('en-US')} in added ARR`);
  });

  it('projects the seats-used trend over the horizon', () => {
    // 80 seats for a month, then one more seat every day: 110 today, 200 in 90 days, 230 with headroom.
    const rising = series([...Array.from({ length: 30 }, () => 80), ...Array.from({ length: 30 }, (_, i) => 81 + i)]);
    const uncapped = config({ ...priced, sizing: { maxAddShare: 2 } });
    const [opportunity] = assess({ account: account({ licensedSeats: 100 }), usage: rising, config: uncapped }).opportunities;
    expect(opportunity?.seatsToAdd).toBe(130);
    expect(opportunity?.arrPotential).toBe(130 * 720);
    expect(opportunity?.narrative.evidence.find((e) => e.metric === 'seats_used_growth_per_week')?.value).toBe(7);
    expect(opportunity?.narrative.body).toContain('Seats in use are rising by about 7 a week.');
  });

  it('caps one seat add at half the licence by default, and says so', () => {
    const rising = series([...Array.from({ length: 30 }, () => 80), ...Array.from({ length: 30 }, (_, i) => 81 + i)]);
    const [opportunity] = assess({ account: account({ licensedSeats: 100 }), usage: rising, config: priced }).opportunities;
    expect(opportunity?.seatsToAdd).toBe(50);
    expect(opportunity?.arrHigh).toBe(50 * 720);
    expect(opportunity?.narrative.body).toContain('the recommendation stops at 50% of today\'s licence');
  });

  it('never sizes below the seats in use when seat use dips', () => {
    const falling = series([...Array.from({ length: 30 }, () => 95), ...Array.from({ length: 30 }, (_, i) => 95 - Math.floor(i / 3))]);
    const [opportunity] = assess({ usage: falling }).opportunities;
    const projected = opportunity?.narrative.evidence.find((e) => e.metric === 'projected_seats_used')?.value;
    expect(projected).toBe(falling.at(-1)?.seatsUsed);
  });

  it('recommends at least minSeats and says so', () => {
    const [opportunity] = assess({ usage: usage([{ days: 60, seats: 80 }]), config: config({ sizing: { minSeats: 5 } }) }).opportunities;
    expect(opportunity?.seatsToAdd).toBe(5);
    expect(opportunity?.narrative.body).toContain('the minimum add of 5 seats');
  });

  it('gives a range around the estimate and an expected value from a bounded probability', () => {
    const [opportunity] = assess({ usage: steady88, config: priced }).opportunities;
    if (!opportunity) throw new Error('expected a seat add');
    expect(opportunity.arrLow).toBeLessThanOrEqual(opportunity.arrPotential);
    expect(opportunity.arrHigh).toBeGreaterThan(opportunity.arrPotential);
    expect(opportunity.probability).toBeGreaterThanOrEqual(0.05);
    expect(opportunity.probability).toBeLessThanOrEqual(0.95);
    expect(opportunity.expectedValue).toBe(Math.round(opportunity.arrPotential * opportunity.probability));
  });

  it('a yellow account is less likely to close than a green one with the same seat pressure', () => {
    const green = assess({ usage: usage([{ days: 30, seats: 90, active: 80 }, { days: 30, seats: 90, active: 80 }]) }).opportunities[0];
    const yellow = assess({ usage: usage([{ days: 30, seats: 90, active: 80 }, { days: 30, seats: 90, active: 68 }]) }).opportunities[0];
    expect(yellow?.probability).toBeLessThan(green?.probability ?? 0);
  });
});

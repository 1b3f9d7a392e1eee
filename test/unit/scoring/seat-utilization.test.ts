import { describe, expect, it } from 'vitest';
import type { UsageDay } from '../../../src/model/usage.ts';
import { account, AS_OF, assess, isoDaysBefore, signalIds, usage } from './helpers.ts';

const seatSignal = (days: readonly UsageDay[], seats = 100) =>
  assess({ account: account({ licensedSeats: seats }), usage: days }).signals.find((s) => s.id === 'seat_utilization');

describe('seat utilization: entering at 80% for 14 days', () => {
  it.each([
    {
      name: '79% for 30 days does not fire',
      stretches: [
        { days: 30, seats: 50 },
        { days: 30, seats: 79 },
      ],
      active: false,
    },
    {
      name: '80% for 14 days fires',
      stretches: [
        { days: 46, seats: 50 },
        { days: 14, seats: 80 },
      ],
      active: true,
    },
    {
      name: '80% for 13 days does not fire yet',
      stretches: [
        { days: 47, seats: 50 },
        { days: 13, seats: 80 },
      ],
      active: false,
    },
    {
      name: 'once on, 77% (above the 75% exit) keeps it on',
      stretches: [
        { days: 30, seats: 50 },
        { days: 20, seats: 85 },
        { days: 10, seats: 77 },
      ],
      active: true,
    },
    {
      name: 'a day at 74% (below the exit) turns it off',
      stretches: [
        { days: 30, seats: 50 },
        { days: 20, seats: 85 },
        { days: 9, seats: 77 },
        { days: 1, seats: 74 },
      ],
      active: false,
    },
    {
      name: 'after dropping, 13 days back above 80% are not enough',
      stretches: [
        { days: 26, seats: 50 },
        { days: 20, seats: 85 },
        { days: 1, seats: 74 },
        { days: 13, seats: 85 },
      ],
      active: false,
    },
    {
      name: 'after dropping, 14 days back above 80% fire again',
      stretches: [
        { days: 25, seats: 50 },
        { days: 20, seats: 85 },
        { days: 1, seats: 74 },
        { days: 14, seats: 85 },
      ],
      active: true,
    },
    { name: '77% without ever entering does not fire', stretches: [{ days: 60, seats: 77 }], active: false },
  ])('$name', ({ stretches, active }) => {
    expect(seatSignal(usage(stretches)) !== undefined).toBe(active);
  });

  it.each([
    {
      name: 'two quiet days at 78% while entering do not restart the run',
      stretches: [
        { days: 40, seats: 50 },
        { days: 8, seats: 86 },
        { days: 2, seats: 78 },
        { days: 10, seats: 86 },
      ],
      active: true,
    },
    {
      name: 'three quiet days in a row while entering do',
      stretches: [
        { days: 40, seats: 50 },
        { days: 8, seats: 86 },
        { days: 3, seats: 78 },
        { days: 9, seats: 86 },
      ],
      active: false,
    },
  ])('$name', ({ stretches, active }) => {
    expect(seatSignal(usage(stretches)) !== undefined).toBe(active);
  });

  it('on a small licence one unassigned seat is not the end of the crunch', () => {
    // 15 seats: 12 is 80%, 11 is 73% (under the 75% exit), yet only one seat short of the trigger.
    const days = usage([
      { days: 30, seats: 6 },
      { days: 20, seats: 13 },
      { days: 1, seats: 11 },
      { days: 9, seats: 12 },
    ]);
    expect(seatSignal(days, 15)).toBeDefined();
    expect(
      seatSignal(
        usage([
          { days: 30, seats: 6 },
          { days: 20, seats: 13 },
          { days: 1, seats: 10 },
          { days: 9, seats: 12 },
        ]),
        15,
      ),
    ).toBeUndefined();
  });

  it('a weekly seat count fires: days with usage but no seat count are stepped over, not gaps', () => {
    const weekly = usage([
      { days: 30, seats: 50 },
      { days: 30, seats: 90 },
    ]).map((d, i, all) => ((all.length - 1 - i) % 7 === 0 ? d : { ...d, seatsUsed: undefined }));
    expect(
      seatSignal(weekly.map(({ seatsUsed, ...rest }) => (seatsUsed === undefined ? rest : { ...rest, seatsUsed }))),
    ).toBeDefined();
  });

  it('counts the whole run since entering, dips above the exit included', () => {
    const signal = seatSignal(
      usage([
        { days: 30, seats: 50 },
        { days: 20, seats: 85 },
        { days: 10, seats: 77 },
      ]),
    );
    expect(signal?.evidence.find((e) => e.metric === 'days_at_or_above_threshold')?.value).toBe(30);
  });

  it('a weekend without rows does not break the run; a gap over 3 days does', () => {
    const full = usage([
      { days: 40, seats: 50 },
      { days: 20, seats: 85 },
    ]);
    const without = (...daysBefore: number[]) =>
      full.filter((d) => !daysBefore.map((n) => isoDaysBefore(AS_OF, n)).includes(d.date));
    expect(seatSignal(without(8, 9))).toBeDefined();
    expect(seatSignal(without(8, 9, 10))).toBeDefined();
    expect(seatSignal(without(8, 9, 10, 11))).toBeUndefined();
    // An old gap only shortens the run: the 16 days after it are enough.
    expect(
      seatSignal(without(16, 17, 18, 19))?.evidence.find((e) => e.metric === 'days_at_or_above_threshold')?.value,
    ).toBe(16);
  });

  it('a gap also ends an active run, however long it was', () => {
    const days = usage([
      { days: 40, seats: 85 },
      { days: 10, seats: 85 },
    ]).filter((d) => ![10, 11, 12, 13].map((n) => isoDaysBefore(AS_OF, n)).includes(d.date));
    expect(seatSignal(days)).toBeUndefined();
  });

  it('reads the days in date order whatever order they arrive in', () => {
    const days = usage([
      { days: 46, seats: 50 },
      { days: 14, seats: 80 },
    ]);
    expect(seatSignal([...days].reverse())).toBeDefined();
  });

  it('ignores days after asOf', () => {
    const days = [
      ...usage([
        { days: 46, seats: 50 },
        { days: 14, seats: 80 },
      ]),
      { accountKey: 'acme.example', date: isoDaysBefore(AS_OF, -1), activeUsers: 10, seatsUsed: 10, events: {} },
    ];
    expect(seatSignal(days)).toBeDefined();
  });
});

describe('seat utilization: stale and missing inputs', () => {
  it('is not evaluated when the latest day is more than 7 days old', () => {
    const stale = assess({ usage: usage([{ days: 60, seats: 90 }], { endsDaysBeforeAsOf: 8 }) });
    expect(signalIds(stale)).not.toContain('seat_utilization');
    expect(stale.missing).toContain('usage.recent');
    const recent = assess({ usage: usage([{ days: 60, seats: 90 }], { endsDaysBeforeAsOf: 7 }) });
    expect(signalIds(recent)).toContain('seat_utilization');
  });

  it.each([
    { name: 'licensed seats absent', seats: undefined },
    { name: 'licensed seats zero', seats: 0 },
  ])('$name: listed as missing, not read as 0% utilization', ({ seats }) => {
    const base = account();
    const { licensedSeats: _drop, ...withoutSeats } = base;
    const result = assess({
      account: seats === undefined ? withoutSeats : { ...base, licensedSeats: seats },
      usage: usage([{ days: 60, seats: 90 }]),
    });
    expect(result.missing).toContain('licensedSeats');
    expect(signalIds(result)).not.toContain('seat_utilization');
    expect(result.opportunities).toEqual([]);
    expect(result.reasons.join(' ')).toMatch(/Licensed seats are not on the account/);
    expect(result.signals.flatMap((s) => s.evidence).some((e) => e.metric === 'seat_utilization')).toBe(false);
  });

  it('no usage rows: listed as missing, every usage signal left out', () => {
    const result = assess({ usage: [] });
    expect(result.missing).toContain('usage');
    expect(result.signals.filter((s) => s.id !== 'renewal_window' && s.id !== 'renewal_evaluation')).toEqual([]);
    expect(result.reasons.join(' ')).toMatch(/no usage rows/i);
    expect(result.opportunities).toEqual([]);
  });
});

describe('seat utilization evidence and strength', () => {
  it('states utilization as a whole percent, run length in days and weeks, seats and the 7-day average as a whole number', () => {
    const lastWeek = [85, 86, 87, 88, 88, 89, 90].map((seats) => ({ days: 1, seats }));
    const signal = seatSignal(usage([{ days: 25, seats: 50 }, { days: 28, seats: 86 }, ...lastWeek]), 100);
    const value = (metric: string) => signal?.evidence.find((e) => e.metric === metric)?.value;
    expect(value('seat_utilization')).toBe(90);
    expect(value('days_at_or_above_threshold')).toBe(35);
    expect(value('weeks_at_or_above_threshold')).toBe(5);
    expect(value('licensed_seats')).toBe(100);
    expect(value('seats_used')).toBe(90);
    expect(value('seats_used_7_day_average')).toBe(88);
  });

  it('rounds utilization to the whole percent it states (53 of 60 seats is 88%)', () => {
    const signal = seatSignal(usage([{ days: 60, seats: 53 }]), 60);
    expect(signal?.evidence.find((e) => e.metric === 'seat_utilization')?.value).toBe(88);
    expect(signal?.summary).toMatch(/^88% of 60 licensed seats in use/);
  });

  it('grows with utilization and with duration, and stays within 0..1', () => {
    const strength = (seats: number, days: number) =>
      seatSignal(
        usage([
          { days: 120 - days, seats: 50 },
          { days, seats },
        ]),
      )?.strength ?? -1;
    expect(strength(95, 20)).toBeGreaterThan(strength(85, 20));
    expect(strength(85, 50)).toBeGreaterThan(strength(85, 20));
    for (const s of [strength(80, 14), strength(150, 120)]) {
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });
});

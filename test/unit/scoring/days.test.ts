import { describe, expect, it } from 'vitest';
import { dayNumber, isoDate, prepareUsage } from '../../../src/scoring/days.ts';

describe('calendar arithmetic', () => {
  it('turns day numbers into the same dates as the platform calendar, leap days and year ends included', () => {
    const start = dayNumber('1899-12-25');
    for (let day = start; day < start + 60_000; day += 1) {
      expect(isoDate(day)).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
    }
    expect(isoDate(dayNumber('2028-02-29'))).toBe('2028-02-29');
    expect(dayNumber('2026-11-21') - dayNumber('2026-11-20')).toBe(1);
  });
});

describe('day numbers', () => {
  it('match the platform calendar for every date it can print', () => {
    for (let ms = Date.parse('1899-12-25T00:00:00Z'); ms < Date.parse('2064-01-10T00:00:00Z'); ms += 86_400_000) {
      expect(dayNumber(new Date(ms).toISOString().slice(0, 10))).toBe(ms / 86_400_000);
    }
  });
});

describe('preparing usage rows', () => {
  const row = (date: string, seatsUsed: number) => ({
    accountKey: 'a.example',
    date,
    activeUsers: seatsUsed,
    seatsUsed,
    events: {},
  });

  it('sorts by date, keeps the last row given for a repeated date and drops rows outside the history', () => {
    const asOf = dayNumber('2026-11-20');
    const days = prepareUsage(
      [row('2026-11-20', 3), row('2026-11-18', 1), row('2026-11-20', 4), row('2026-11-21', 9), row('2026-07-01', 9)],
      { asOf, historyDays: 120 },
    );
    expect(days.map((d) => [isoDate(d.day), d.seatsUsed])).toEqual([
      ['2026-11-18', 1],
      ['2026-11-20', 4],
    ]);
  });
});

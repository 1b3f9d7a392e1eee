import type { UsageDay } from '../../src/model/usage.ts';
import { AS_OF, type TestCompany } from '../support/companies.ts';
import { isoDaysBefore, usageSeries } from '../support/usage.ts';

/**
 * The accounts and usage the model-inputs contract tests run on every CRM: a small account with a
 * per-seat module's workaround (the module's minimum price), two accounts equal but for tenure, and
 * one whose usage file left some counts uncollected.
 */

export { AS_OF };

const company = (name: string, domain: string, seats: number, ownerId = '2001'): TestCompany => ({
  name,
  domain,
  seats,
  plan: 'growth',
  renewalDate: '2027-08-01',
  ownerId,
});

/** 12 seats, heavy bulk edits: Automation at 100 a seat is 1,200 a year, under its 3,000 minimum. */
export const FJORD = company('Fjord Tools', 'fjord.example', 12);
/** Equal but for tenure: both at 88% of 50 seats for 60 days. Gale signed a month ago, Heron two years ago. */
export const GALE = company('Gale Systems', 'gale.example', 50);
export const HERON = company('Heron Labs', 'heron.example', 50, '2002');
export const GALE_SINCE = isoDaysBefore(AS_OF, 30);
export const HERON_SINCE = isoDaysBefore(AS_OF, 730);
/** At 88% of 50 seats for 60 days, but the export missed seats used on some days, active users on others. */
export const IRIS = company('Iris Media', 'iris.example', 50);

export const MINIMUM_PRICE = 3_000;
export const PER_SEAT_PRICE = 100;

/** The catalog with one per-seat module, its minimum above what the small account's seats come to. */
export const MODULE_CATALOG = {
  modules: [
    {
      id: 'automation',
      label: 'Automation',
      listPrice: PER_SEAT_PRICE,
      pricing: 'per_seat',
      minPrice: MINIMUM_PRICE,
      features: ['automations'],
      workarounds: ['bulk_edits'],
    },
  ],
};

const flat = (activeUsers: number, seatsUsed: number) => () => ({ activeUsers, seatsUsed });

export function fjordUsage(): UsageDay[] {
  const days = usageSeries({ key: FJORD.domain, asOf: AS_OF, days: 60, shape: flat(7, 8) });
  return days.map((d) => ({ ...d, events: { ...d.events, bulk_edits: 12 } }));
}

export function seatPressure(target: TestCompany): UsageDay[] {
  return usageSeries({ key: target.domain, asOf: AS_OF, days: 60, shape: flat(42, 44) });
}

/** Every third day of the last month, and the latest day, lack seats used; five earlier days lack active users. */
export function partialUsage(target: TestCompany): UsageDay[] {
  return seatPressure(target).map((day, i, all) => {
    const { activeUsers, seatsUsed, ...rest } = day;
    const fromEnd = all.length - 1 - i;
    const noSeats = fromEnd === 0 || (fromEnd < 30 && fromEnd % 3 === 0);
    if (noSeats && activeUsers !== undefined) return { ...rest, activeUsers };
    if (i >= 5 && i < 10 && seatsUsed !== undefined) return { ...rest, seatsUsed };
    return day;
  });
}

export const lacksSeats = (days: readonly UsageDay[]): number => days.filter((d) => d.seatsUsed === undefined).length;
export const lacksUsers = (days: readonly UsageDay[]): number => days.filter((d) => d.activeUsers === undefined).length;

/** The documented CSV: an uncollected count is an empty cell. */
export function usageCsv(days: readonly UsageDay[]): string {
  const events = [...new Set(days.flatMap((d) => Object.keys(d.events)))].sort();
  const lines = [['date', 'account_key', 'active_users', 'seats_used', ...events.map((e) => `event_${e}`)].join(',')];
  for (const d of days) {
    const counts = [d.activeUsers ?? '', d.seatsUsed ?? ''];
    lines.push([d.date, d.accountKey, ...counts, ...events.map((e) => d.events[e] ?? '')].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The documented NDJSON: an uncollected count is null on some lines and left out on others. */
export function usageNdjson(days: readonly UsageDay[]): string {
  const line = (d: UsageDay, i: number): string => {
    const gap = i % 2 === 0 ? null : undefined;
    const counts = { active_users: d.activeUsers ?? gap, seats_used: d.seatsUsed ?? gap };
    return JSON.stringify({ date: d.date, account_key: d.accountKey, ...counts, events: d.events });
  };
  return `${days.map(line).join('\n')}\n`;
}

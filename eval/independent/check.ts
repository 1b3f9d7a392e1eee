/**
 * Construction check, run before the product: what the generated usage of each case actually says
 * (seat utilization by window, days at 80%+, active-user trend, workaround and gated-feature volumes), so a
 * case that does not show the situation its label describes is caught as a construction bug.
 */
import type { UsageDay } from '../../src/model/usage.ts';
import { buildBook } from './book.ts';
import { AS_OF, type Plan } from './case.ts';
import { shiftDate } from './usage.ts';

const mean = (values: readonly number[]): number =>
  values.length === 0 ? NaN : values.reduce((s, v) => s + v, 0) / values.length;
const after = (daysAgo: number): string => shiftDate(AS_OF, -daysAgo);
const since = (days: readonly UsageDay[], daysAgo: number): UsageDay[] => days.filter((d) => d.date > after(daysAgo));
const weekday = (d: UsageDay): boolean => ![0, 6].includes(new Date(`${d.date}T00:00:00Z`).getUTCDay());
const f = (n: number, digits = 2): string => (Number.isNaN(n) ? '-' : n.toFixed(digits));
const GATED: Record<Plan, readonly string[]> = {
  starter: ['scheduled_reports', 'custom_fields', 'sso'],
  growth: ['audit_log', 'sandbox', 'custom_roles'],
  enterprise: [],
};

function utilization(days: readonly UsageDay[], seats: number): number[] {
  return days.flatMap((d) => (d.seatsUsed === undefined ? [] : [d.seatsUsed / seats]));
}

function perUserPerWeekday(days: readonly UsageDay[], feature: string): number {
  const work = days.filter(weekday);
  const users = work.reduce((s, d) => s + (d.activeUsers ?? 0), 0);
  return users === 0 ? 0 : work.reduce((s, d) => s + (d.events[feature] ?? 0), 0) / users;
}

function weekdayActives(days: readonly UsageDay[], from: number, to: number): number {
  const window = days.filter((d) => weekday(d) && d.date > after(from) && d.date <= after(to));
  return mean(window.flatMap((d) => d.activeUsers ?? []));
}

const HEADER = [
  'case',
  'rows',
  'util 14/28/42d',
  'days>=80% of 42',
  'actives 28d vs prior',
  'exports csv bulk /user',
  'gated/day',
];
console.log(HEADER.join(' | '));
for (const { item, account, usage } of buildBook()) {
  const seats = account.licensedSeats ?? 1;
  const u = (n: number): string => f(mean(utilization(since(usage, n), seats)));
  const high = utilization(since(usage, 42), seats).filter((v) => v >= 0.8).length;
  const trend = weekdayActives(usage, 28, 0) / weekdayActives(usage, 56, 28) - 1;
  const recent = since(usage, 28);
  const work = ['exports', 'csv_imports', 'bulk_edits'].map((k) => f(perUserPerWeekday(recent, k))).join(' ');
  const perDay = (k: string): string => f(recent.reduce((s, d) => s + (d.events[k] ?? 0), 0) / 28, 1);
  const gated = GATED[item.plan].map((k) => `${k}=${perDay(k)}`).join(' ');
  const utilText = `${u(14)}/${u(28)}/${u(42)}`;
  console.log(`${item.id} | ${usage.length} | ${utilText} | ${high} | ${f(trend * 100, 0)}% | ${work} | ${gated}`);
}

import type { UsageDay } from '../../src/model/usage.ts';

export function isoDaysBefore(asOf: string, days: number): string {
  return new Date(Date.parse(`${asOf}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** `days` consecutive days ending on asOf, each shaped by `shape(i)` where i = 0 is the oldest day. */
export function usageSeries(options: {
  readonly key: string;
  readonly asOf: string;
  readonly days: number;
  readonly shape: (i: number) => { readonly activeUsers: number; readonly seatsUsed: number };
}): UsageDay[] {
  const out: UsageDay[] = [];
  for (let i = 0; i < options.days; i += 1) {
    const { activeUsers, seatsUsed } = options.shape(i);
    out.push({
      accountKey: options.key,
      date: isoDaysBefore(options.asOf, options.days - 1 - i),
      activeUsers,
      seatsUsed,
      events: { reports: activeUsers * 3 },
    });
  }
  return out;
}

export function toCsv(days: readonly UsageDay[]): string {
  const lines = ['date,account_key,active_users,seats_used,event_reports'];
  for (const d of days)
    lines.push(`${d.date},${d.accountKey},${d.activeUsers},${d.seatsUsed},${d.events['reports'] ?? ''}`);
  return `${lines.join('\n')}\n`;
}

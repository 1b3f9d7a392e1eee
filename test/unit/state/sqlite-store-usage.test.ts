import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UsageDay } from '../../../src/model/usage.ts';
import { useTempDirs } from './temp-dirs.ts';

const { openStore } = useTempDirs();

function day(accountKey: string, date: string, activeUsers = 5, events: Record<string, number> = {}): UsageDay {
  return { accountKey, date, activeUsers, seatsUsed: 10, events };
}

const key = (i: number): string => `acct-${String(i).padStart(5, '0')}`;

describe('usage history', () => {
  it('counts inserted, updated and unchanged days across two imports', async () => {
    const store = await openStore();
    const first = await store.upsertUsage([
      day('acme', '2025-03-01', 5, { reports: 3, exports: 1 }),
      day('acme', '2025-03-02', 6),
      day('globex', '2025-03-01', 2),
    ]);
    expect(first).toEqual({ inserted: 3, updated: 0, unchanged: 0 });

    const second = await store.upsertUsage([
      day('acme', '2025-03-01', 5, { exports: 1, reports: 3 }), // same counts, other key order
      day('acme', '2025-03-02', 7), // restated
      day('globex', '2025-03-01', 2, { reports: 1 }), // new event count
      day('globex', '2025-03-02', 2), // new day
    ]);
    expect(second).toEqual({ inserted: 1, updated: 2, unchanged: 1 });

    const history = await store.usageByAccount({
      accountKeys: ['acme', 'globex'],
      from: '2025-03-01',
      to: '2025-03-31',
    });
    expect(history.get('acme')).toEqual([
      day('acme', '2025-03-01', 5, { exports: 1, reports: 3 }),
      day('acme', '2025-03-02', 7),
    ]);
    expect(history.get('globex')?.[0]?.events).toEqual({ reports: 1 });
  });

  it('returns each account’s days in date order within inclusive bounds, for 2,500 accounts', async () => {
    const store = await openStore();
    const dates = ['2025-01-31', '2025-02-01', '2025-02-14', '2025-02-28', '2025-03-01'];
    const rows: UsageDay[] = [];
    // Newest first, so stored order alone would not give date order.
    for (const date of [...dates].reverse()) for (let i = 0; i < 2_500; i += 1) rows.push(day(key(i), date, i % 50));
    await store.upsertUsage(rows);

    const requested = [...Array.from({ length: 2_500 }, (_, i) => key(i)), 'never-seen'];
    const history = await store.usageByAccount({ accountKeys: requested, from: '2025-02-01', to: '2025-02-28' });

    expect(history.size).toBe(2_500);
    expect(history.has('never-seen')).toBe(false);
    for (const [accountKey, days] of history) {
      expect(days.map((d) => d.date)).toEqual(['2025-02-01', '2025-02-14', '2025-02-28']);
      expect(days.every((d) => d.accountKey === accountKey)).toBe(true);
    }
    expect(history.get(key(1_234))?.[0]).toEqual(day(key(1_234), '2025-02-01', 1_234 % 50));
  });

  it('returns only the requested accounts', async () => {
    const store = await openStore();
    await store.upsertUsage([day('acme', '2025-03-01'), day('globex', '2025-03-01'), day('initech', '2025-03-01')]);
    const history = await store.usageByAccount({
      accountKeys: ['globex', 'globex'],
      from: '2025-03-01',
      to: '2025-03-01',
    });
    expect([...history.keys()]).toEqual(['globex']);
    expect(history.get('globex')).toHaveLength(1);
  });

  it('keeps the history across a reopen', async () => {
    const store = await openStore();
    await store.upsertUsage([day('acme', '2025-03-01', 9, { seats_invited: 4 })]);
    await store.close();
    const reopened = await openStore(path.dirname(store.file));
    const history = await reopened.usageByAccount({ accountKeys: ['acme'], from: '2025-01-01', to: '2025-12-31' });
    expect(history.get('acme')).toEqual([day('acme', '2025-03-01', 9, { seats_invited: 4 })]);
  });
});

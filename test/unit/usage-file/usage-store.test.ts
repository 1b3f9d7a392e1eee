import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type { UsageDay } from '../../../src/model/usage.ts';
import { applyMigrations, MIGRATIONS } from '../../../src/state/migrations.ts';
import { SqliteConnection } from '../../../src/state/sqlite-connection.ts';
import { openSqliteStore, type SqliteStateStore } from '../../../src/state/sqlite-store.ts';

/** Usage rows whose source did not collect every count are stored with the gap, and read back with it. */

const dirs: string[] = [];
const stores: SqliteStateStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function openStore(dataDir?: string): Promise<SqliteStateStore> {
  const store = await openSqliteStore({ dataDir: dataDir ?? (await makeDir()) });
  stores.push(store);
  return store;
}

async function makeDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-usage-store-'));
  dirs.push(dir);
  return dir;
}

const RANGE = { accountKeys: ['acme'], from: '2026-11-01', to: '2026-11-30' };

describe('usage history with counts that were not collected', () => {
  it('stores an absent count as absent and reads it back absent, never as zero', async () => {
    const store = await openStore();
    const days: UsageDay[] = [
      { accountKey: 'acme', date: '2026-11-01', activeUsers: 40, seatsUsed: 44, events: { reports: 3 } },
      { accountKey: 'acme', date: '2026-11-02', activeUsers: 41, events: { reports: 4 } },
      { accountKey: 'acme', date: '2026-11-03', seatsUsed: 45, events: {} },
      { accountKey: 'acme', date: '2026-11-04', events: { reports: 0 } },
    ];
    expect(await store.upsertUsage(days)).toEqual({ inserted: 4, updated: 0, unchanged: 0 });
    const back = (await store.usageByAccount(RANGE)).get('acme') ?? [];
    expect(back).toEqual(days);
    expect(back.map((d) => [Object.hasOwn(d, 'activeUsers'), Object.hasOwn(d, 'seatsUsed')])).toEqual([
      [true, true],
      [true, false],
      [false, true],
      [false, false],
    ]);
  });

  it('a count filled in later, or taken back, is an update; the same gap again is unchanged', async () => {
    const store = await openStore();
    const gap: UsageDay = { accountKey: 'acme', date: '2026-11-02', activeUsers: 41, events: {} };
    const filled: UsageDay = { ...gap, seatsUsed: 44 };
    await store.upsertUsage([gap]);
    expect(await store.upsertUsage([gap])).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect(await store.upsertUsage([filled])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect((await store.usageByAccount(RANGE)).get('acme')).toEqual([filled]);
    // A restated export that no longer has the count: the stored one goes too, rather than lingering.
    expect(await store.upsertUsage([gap])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect((await store.usageByAccount(RANGE)).get('acme')).toEqual([gap]);
    // Zero is a count, not a gap.
    expect(await store.upsertUsage([{ ...gap, seatsUsed: 0 }])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect((await store.usageByAccount(RANGE)).get('acme')?.[0]?.seatsUsed).toBe(0);
  });

  it('migrates a database whose count columns were NOT NULL, keeping its usage', async () => {
    const dataDir = await makeDir();
    const file = path.join(dataDir, 'state.db');
    const before = MIGRATIONS.filter((m) => m.version <= 4);
    expect(before.length).toBeLessThan(MIGRATIONS.length);
    const connection = new SqliteConnection(file, new DatabaseSync(file));
    try {
      applyMigrations(connection, before);
      const insert = 'INSERT INTO usage_days (account_key, date, active_users, seats_used, events) VALUES (?,?,?,?,?)';
      connection.run(insert, 'acme', '2026-11-01', 40, 44, '{"reports":3}');
      // The old schema refuses a gap: the reason for the migration.
      expect(() => connection.run(insert, 'acme', '2026-11-02', 41, null, '{}')).toThrow(/NOT NULL/);
    } finally {
      connection.close();
    }

    const store = await openStore(dataDir);
    await store.upsertUsage([{ accountKey: 'acme', date: '2026-11-02', activeUsers: 41, events: {} }]);
    expect((await store.usageByAccount(RANGE)).get('acme')).toEqual([
      { accountKey: 'acme', date: '2026-11-01', activeUsers: 40, seatsUsed: 44, events: { reports: 3 } },
      { accountKey: 'acme', date: '2026-11-02', activeUsers: 41, events: {} },
    ]);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openSqliteStore, type SqliteStateStore } from '../../../src/state/sqlite-store.ts';

/**
 * Gives each test its own temporary data directory and removes them all (closing any store opened
 * through `openStore`) after each test.
 */
export function useTempDirs(): {
  readonly makeDir: () => Promise<string>;
  readonly openStore: (dataDir?: string) => Promise<SqliteStateStore>;
} {
  const dirs: string[] = [];
  const stores: SqliteStateStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const makeDir = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'expansion-sync-state-'));
    dirs.push(dir);
    return dir;
  };
  const openStore = async (dataDir?: string): Promise<SqliteStateStore> => {
    const store = await openSqliteStore({ dataDir: dataDir ?? (await makeDir()) });
    stores.push(store);
    return store;
  };
  return { makeDir, openStore };
}

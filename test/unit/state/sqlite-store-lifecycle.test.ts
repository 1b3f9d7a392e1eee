import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/state/migrations.ts';
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';
import { useTempDirs } from './temp-dirs.ts';

const { makeDir, openStore } = useTempDirs();
const STORE_MODULE = fileURLToPath(new URL('../../../src/state/sqlite-store.ts', import.meta.url));

function appliedVersions(file: string): number[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db
      .prepare('SELECT version FROM schema_migrations ORDER BY version')
      .all()
      .map((row) => Number(row['version']));
  } finally {
    db.close();
  }
}

describe('opening the sqlite state store', () => {
  it('creates a missing data directory and applies every migration once', async () => {
    const dataDir = path.join(await makeDir(), 'nested', 'data');
    const store = await openStore(dataDir);
    expect(store.file).toBe(path.join(dataDir, 'state.db'));
    expect(appliedVersions(store.file)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('keeps the data and re-applies nothing when reopened', async () => {
    const dataDir = await makeDir();
    const first = await openSqliteStore({ dataDir });
    await first.startRun({ id: 'run-1', sync: 'hubspot', startedAt: '2025-03-01T00:00:00.000Z', mode: 'live' });
    await first.setCheckpoint('hubspot', 'companies', { after: '2025-03-01' });
    await first.close();

    const second = await openStore(dataDir);
    expect(await second.getRun('run-1')).toMatchObject({ id: 'run-1', status: 'running' });
    expect(await second.getCheckpoint('hubspot', 'companies')).toEqual({ after: '2025-03-01' });
    expect(appliedVersions(second.file)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('honours a custom file name', async () => {
    const dataDir = await makeDir();
    const store = await openSqliteStore({ dataDir, fileName: 'tenant-a.db' });
    await store.close();
    expect(store.file).toBe(path.join(dataDir, 'tenant-a.db'));
    expect(appliedVersions(store.file).length).toBeGreaterThan(0);
  });

  it('refuses a database written by a newer release with state_too_new', async () => {
    const dataDir = await makeDir();
    const store = await openSqliteStore({ dataDir });
    await store.close();
    const db = new DatabaseSync(store.file);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from-the-future', '2030-01-01T00:00:00Z')",
    ).run();
    db.close();

    const refused = openSqliteStore({ dataDir });
    await expect(refused).rejects.toMatchObject({
      code: 'state_too_new',
      kind: 'system',
      details: { databaseVersion: 999 },
    });
    await expect(refused).rejects.toThrow(/newer than this expansion-sync supports/);
  });

  it('reports a file that is not a state database as state_open_failed', async () => {
    const dataDir = await makeDir();
    await writeFile(
      path.join(dataDir, 'state.db'),
      'this is not a database, just text long enough to fill a header '.repeat(4),
    );
    await expect(openSqliteStore({ dataDir })).rejects.toMatchObject({ code: 'state_open_failed', kind: 'system' });
  });

  it('reports a data directory that cannot be created as state_open_failed', async () => {
    const blocker = path.join(await makeDir(), 'a-file');
    await writeFile(blocker, 'not a directory');
    await expect(openSqliteStore({ dataDir: path.join(blocker, 'data') })).rejects.toMatchObject({
      code: 'state_open_failed',
      kind: 'system',
    });
  });

  it('rejects calls after close with state_closed, and closing twice is harmless', async () => {
    const store = await openStore();
    await store.close();
    await store.close();
    await expect(store.listRuns()).rejects.toMatchObject({ code: 'state_closed', kind: 'system' });
    await expect(store.upsertUsage([])).rejects.toThrow(/closed/);
  });

  it('prints nothing on stderr while opening and using the store (no ExperimentalWarning)', async () => {
    const dataDir = await makeDir();
    const script = [
      `import { openSqliteStore } from ${JSON.stringify(STORE_MODULE)};`,
      `const store = await openSqliteStore({ dataDir: ${JSON.stringify(dataDir)} });`,
      `await store.upsertUsage([{ accountKey: 'a', date: '2025-01-01', activeUsers: 1, seatsUsed: 1, events: {} }]);`,
      'await store.close();',
    ].join('\n');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(stderr).toBe('');
    expect(stdout).toBe('');
  });
});

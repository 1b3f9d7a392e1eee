import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runsRetryCommand } from '../../../src/cli/commands/runs-retry.ts';
import { loadConfig, type LoadedConfig } from '../../../src/config/load.ts';
import type { CrmConnector } from '../../../src/engine/crm.ts';
import { runWithService } from '../../../src/engine/run-service.ts';
import { SyncError } from '../../../src/errors.ts';
import { createLogger } from '../../../src/logger.ts';
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';
import type { StateStore } from '../../../src/state/store.ts';

const MAPPINGS = fileURLToPath(new URL('../../../mappings/', import.meta.url));
const SYNC = 'acme-prod';
const log = createLogger({ level: 'silent' });

let dir: string;
let configFile: string;
let store: StateStore;
let loaded: LoadedConfig;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-run-service-'));
  configFile = path.join(dir, 'config.json');
  const config = {
    name: SYNC,
    dataDir: '.',
    crm: {
      hubspot: {
        token: { env: 'HUBSPOT_TOKEN' },
        mappings: { companies: path.join(MAPPINGS, 'hubspot.companies.yaml') },
      },
    },
    usage: { source: 'file', path: 'usage.csv' },
  };
  await writeFile(configFile, JSON.stringify(config));
  process.env['HUBSPOT_TOKEN'] = 'pat-na1-00000000-0000-0000-0000-000000000000';
  loaded = await loadConfig(configFile);
  store = await openSqliteStore({ dataDir: dir });
});

afterEach(async () => {
  await store.close();
  delete process.env['HUBSPOT_TOKEN'];
  await rm(dir, { recursive: true, force: true });
});

/** Another process's run holds the sync's lock for a minute. */
async function holdLock(): Promise<void> {
  const held = await store.acquireLock({ sync: SYNC, holder: 'other-run', leaseMs: 60_000, now: new Date() });
  expect(held.acquired).toBe(true);
}

/** A connector the service must never create while the lock is held elsewhere. */
function countingFactory(): { created: number; closed: number; create: () => Promise<CrmConnector> } {
  const counts = { created: 0, closed: 0 };
  return {
    get created() {
      return counts.created;
    },
    get closed() {
      return counts.closed;
    },
    create: async () => {
      counts.created += 1;
      // Only close() is reached in these tests: the run options builder fails before the run starts.
      return { close: async () => void (counts.closed += 1) } as unknown as CrmConnector;
    },
  };
}

describe('the run service', () => {
  it.each(['live', 'shadow'] as const)(
    'does not start a %s run while another run holds the lock, and creates no connector',
    async (mode) => {
      await holdLock();
      const factory = countingFactory();
      const result = await runWithService({
        loaded,
        store,
        log,
        mode,
        createCrm: factory.create,
        runOptions: () => {
          throw new Error('not reached');
        },
      });
      expect(result).toMatchObject({ ran: false, heldBy: { holder: 'other-run' } });
      expect(factory.created).toBe(0);
    },
  );

  it('closes the connector and releases the lock when the run fails', async () => {
    const factory = countingFactory();
    const run = runWithService({
      loaded,
      store,
      log,
      mode: 'live',
      createCrm: factory.create,
      runOptions: () => {
        throw new Error('boom');
      },
    });
    await expect(run).rejects.toThrow('boom');
    expect([factory.created, factory.closed]).toEqual([1, 1]);
    const again = await store.acquireLock({ sync: SYNC, holder: 'next-run', leaseMs: 60_000, now: new Date() });
    expect(again.acquired).toBe(true);
  });

  it('runs a dry run without the lock: it writes nothing anywhere', async () => {
    await holdLock();
    const factory = countingFactory();
    const run = runWithService({
      loaded,
      store,
      log,
      mode: 'dry-run',
      createCrm: factory.create,
      runOptions: () => {
        throw new Error('reached');
      },
    });
    await expect(run).rejects.toThrow('reached');
    expect(factory.closed).toBe(1);
  });
});

describe('runs retry', () => {
  it('is refused while another run holds the lock, like sync, and leaves the failed write queued', async () => {
    const at = '2026-11-30T10:00:00.000Z';
    await store.startRun({ id: 'run-1', sync: SYNC, startedAt: at, mode: 'live' });
    const failure = {
      object: 'companies',
      recordKey: '101',
      accountName: 'Birch Logistics',
      code: 'INVALID_OPTION',
      message: 'not an option',
    };
    const summary = { runId: 'run-1', asOf: '2026-11-30', writes: {}, apiCalls: {}, read: {}, failures: [failure] };
    await store.finishRun('run-1', { status: 'partial', finishedAt: at, summary });
    await store.recordFailure({
      system: 'hubspot',
      objectType: 'companies',
      recordKey: '101',
      runId: 'run-1',
      code: 'INVALID_OPTION',
      message: 'not an option',
      retryable: true,
      at,
    });
    await holdLock();

    const error = await runsRetryCommand('run-1', { config: configFile, logLevel: 'silent' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ code: 'sync_locked', kind: 'system' });
    expect((error as SyncError).message).toMatch(/^Not started: acme-prod is already running/);
    expect((await store.listFailures({ system: 'hubspot' })).map((f) => f.recordKey)).toEqual(['101']);
    expect((await store.listRuns({ sync: SYNC, limit: 5 })).map((r) => r.id)).toEqual(['run-1']);
  });
});

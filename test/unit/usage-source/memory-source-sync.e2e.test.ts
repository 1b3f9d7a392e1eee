import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../connectors/hubspot/demo-seed.ts';
import { startHubspotEmulator, type HubspotEmulator } from '../../../connectors/hubspot/emulator/index.ts';
import { createUsageSource, registerUsageSource } from '../../../connectors/usage-registry.ts';
import { runOptionsFrom } from '../../../src/cli/run-options.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { runWithService } from '../../../src/engine/run-service.ts';
import { generateUsage } from '../../../src/demo/portfolio.ts';
import { createLogger } from '../../../src/logger.ts';
import type { RawUsageRow } from '../../../src/model/usage.ts';
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';
import { memoryUsageSource } from './memory-source.ts';

const MAPPINGS = fileURLToPath(new URL('../../../mappings/', import.meta.url));
const AS_OF = '2026-11-30';
const PORTFOLIO = { companies: 12, days: 90, asOf: AS_OF, seed: 4 };
const log = createLogger({ level: 'silent' });

let dir: string;
let emulator: HubspotEmulator;
let rows: RawUsageRow[];
let unregister: () => void;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-usage-sync-'));
  const { seed, companies } = demoSeed({ companies: PORTFOLIO.companies, asOf: AS_OF, seed: PORTFOLIO.seed });
  emulator = await startHubspotEmulator({ port: 0, seed });
  // As a warehouse hands rows over: counts as strings, events as pairs.
  rows = companies.flatMap((c) =>
    [...generateUsage(c, PORTFOLIO)].map((d) => ({
      accountKey: d.accountKey,
      date: d.date,
      activeUsers: d.activeUsers === undefined ? null : String(d.activeUsers),
      seatsUsed: d.seatsUsed ?? null,
      events: Object.entries(d.events),
    })),
  );
  rows.push({ accountKey: 'nobody.example', date: AS_OF, activeUsers: 3, seatsUsed: 3, events: [] });
  unregister = registerUsageSource(memoryUsageSource(new Map([['warehouse', rows]])));
});
afterEach(async () => {
  unregister();
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
});

async function configure(): Promise<Awaited<ReturnType<typeof loadConfig>>> {
  const hubspot = {
    token: { env: 'HUBSPOT_TOKEN' },
    basePath: emulator.url,
    rateLimit: { perTenSeconds: 1000 },
    mappings: {
      companies: path.join(MAPPINGS, 'hubspot.companies.yaml'),
      deals: path.join(MAPPINGS, 'hubspot.deals.yaml'),
    },
  };
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      name: 'memory-sync',
      dataDir: '.',
      crm: { hubspot },
      usage: { source: 'file', path: 'unused.csv' },
    }),
  );
  return loadConfig(path.join(dir, 'config.json'), { env: { HUBSPOT_TOKEN: emulator.token } });
}

describe('a sync through the run service with the in-memory usage source', () => {
  it('reports a conflicting duplicate, a future and an ancient day as usage problems, and the run still succeeds', async () => {
    const first = rows[0];
    if (!first) throw new Error('no usage rows');
    const restated = { ...first, activeUsers: 9_999, seatsUsed: 9_999 };
    rows.push(restated, { ...first, date: '2099-01-01' }, { ...first, date: '1900-01-01' });
    const loaded = await configure();
    const usage = { source: 'memory', dataset: 'warehouse', joinOn: 'domain' };
    const store = await openSqliteStore({ dataDir: dir });
    try {
      const run = await runWithService({
        loaded,
        store,
        log,
        mode: 'live',
        runOptions: (crm) => ({
          ...runOptionsFrom({ loaded, crm, store, log, mode: 'live', asOf: AS_OF }),
          usage: createUsageSource({ ...loaded, config: { usage } }),
        }),
      });
      if (!run.ran) throw new Error('the lock was held');
      expect(run.value.status).toBe('succeeded');
      expect(run.value.read).toMatchObject({ usageRows: rows.length - 3, usageProblems: 3 });
      const n = rows.length;
      expect(run.value.problems.slice(0, 3)).toEqual([
        {
          where: `memory:warehouse row ${n - 2}`,
          message: expect.stringMatching(/differ from the first at memory:warehouse row 1; the first was kept/),
        },
        { where: `memory:warehouse row ${n - 1}`, message: expect.stringContaining('date 2099-01-01 is after') },
        {
          where: `memory:warehouse row ${n}`,
          message: expect.stringContaining('date 1900-01-01 is before 2000-01-01'),
        },
      ]);
      const stored = await store.usageByAccount({
        accountKeys: [first.accountKey as string],
        from: '1800-01-01',
        to: '2100-01-01',
      });
      const days = stored.get(first.accountKey as string) ?? [];
      const kept = days.find((d) => d.date === first.date);
      expect(kept).toBeDefined();
      expect(kept?.activeUsers).not.toBe(9_999);
      expect(days.some((d) => d.date === '2099-01-01' || d.date === '1900-01-01')).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('reads, scores and writes from the rows in memory, and a rerun writes nothing', async () => {
    const loaded = await configure();
    const usage = { source: 'memory', dataset: 'warehouse', joinOn: 'domain' };
    const store = await openSqliteStore({ dataDir: dir });
    try {
      const sync = () =>
        runWithService({
          loaded,
          store,
          log,
          mode: 'live',
          runOptions: (crm) => ({
            ...runOptionsFrom({ loaded, crm, store, log, mode: 'live', asOf: AS_OF }),
            usage: createUsageSource({ ...loaded, config: { usage } }),
          }),
        });
      const first = await sync();
      if (!first.ran) throw new Error('the lock was held');
      expect(first.value.status).toBe('succeeded');
      expect(first.value.read).toMatchObject({
        accounts: PORTFOLIO.companies,
        usageRows: rows.length,
        usageProblems: 0,
        unknownUsageAccounts: 1,
      });
      expect(first.value.problems).toContainEqual({
        where: `memory:warehouse row ${rows.length}`,
        message: expect.stringMatching(/^account_key "nobody.example" matches no CRM account/),
      });
      expect(first.value.writes.account.updated).toBeGreaterThan(0);
      expect(first.value.writes.opportunity.created + first.value.writes.note.created).toBeGreaterThan(0);

      const again = await sync();
      if (!again.ran) throw new Error('the lock was held');
      const w = again.value.writes;
      expect([
        w.account.updated,
        w.account.created,
        w.opportunity.created,
        w.opportunity.updated,
        w.note.created,
      ]).toEqual([0, 0, 0, 0, 0]);
    } finally {
      await store.close();
    }
  });
});

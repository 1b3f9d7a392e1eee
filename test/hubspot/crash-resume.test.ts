import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startHubspotEmulator, type HubspotEmulator } from '../../connectors/hubspot/emulator/index.ts';
import { demoSeed } from '../../connectors/hubspot/demo-seed.ts';
import { writeUsageCsv } from '../../src/cli/demo/write-usage.ts';
import type { RunReport } from '../../src/engine/report.ts';
import { cli } from '../support/cli.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));
const AS_OF = '2026-11-20';
const COMPANIES = 400;

interface Setup {
  readonly dir: string;
  readonly emulator: HubspotEmulator;
  readonly config: string;
  readonly env: Record<string, string>;
}

/** 400 companies on an emulator that answers slowly, so a sync spends seconds in its write batches. */
async function setup(): Promise<Setup> {
  const dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-crash-'));
  const { seed, companies } = demoSeed({ companies: COMPANIES, asOf: AS_OF, seed: 5 });
  const emulator = await startHubspotEmulator({ port: 0, seed, latencyMs: 80 });
  await writeUsageCsv({
    path: path.join(dir, 'usage.csv'),
    companies,
    portfolio: { companies: COMPANIES, days: 90, asOf: AS_OF, seed: 5 },
  });
  const config = path.join(dir, 'config.json');
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
    config,
    JSON.stringify({
      name: 'crash',
      dataDir: '.',
      crm: { hubspot },
      usage: { source: 'file', path: 'usage.csv' },
      scoring: { priority: { capacityPerOwner: 10_000 } },
      worker: { shutdownGraceSeconds: 20 },
    }),
  );
  return { dir, emulator, config, env: { HUBSPOT_TOKEN: emulator.token } };
}

function startSync(s: Setup, reportFile: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'sync',
      '--config',
      s.config,
      '--as-of',
      AS_OF,
      '--report-file',
      reportFile,
      '--json',
      '--log-level',
      'error',
    ],
    { env: { ...process.env, ...s.env }, stdio: 'ignore' },
  );
  return { child, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

/** Waits until the emulator has seen this many write calls: the sync is mid-way through its batches. */
async function untilWrites(emulator: HubspotEmulator, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (emulator.writes() < count) {
    if (Date.now() > deadline) throw new Error(`only ${emulator.writes()} write calls after 120 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every expansion deal exactly once per key, with exactly one note: nothing duplicated. */
function dealsAndNotes(emulator: HubspotEmulator): { deals: number; keys: number; notesPerDeal: number[] } {
  const deals = emulator.listObjects('deals').filter((d) => d.properties['expansion_key']);
  return {
    deals: deals.length,
    keys: new Set(deals.map((d) => d.properties['expansion_key'])).size,
    notesPerDeal: [...new Set(deals.map((d) => emulator.associationsOf('deals', d.id, 'notes').length))],
  };
}

async function syncToTheEnd(s: Setup, name: string): Promise<RunReport> {
  const file = path.join(s.dir, `${name}.json`);
  const result = await cli(
    ['sync', '--config', s.config, '--as-of', AS_OF, '--report-file', file, '--json', '--log-level', 'error'],
    s.env,
  );
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(await readFile(file, 'utf8')) as RunReport;
}

describe('a sync stopped mid-run resumes without duplicates or losses (real child processes)', () => {
  let s: Setup | undefined;
  afterEach(async () => {
    await s?.emulator.stop();
    if (s) await rm(s.dir, { recursive: true, force: true });
  });

  it('SIGTERM: the batch in flight finishes, the run stops with a checkpoint and exit 6; the next run completes the rest', async () => {
    s = await setup();
    const { child, exited } = startSync(s, path.join(s.dir, 'stopped.json'));
    await untilWrites(s.emulator, 8);
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(6);
    expect(Date.now() - signalledAt).toBeLessThan(25_000);
    const stopped = JSON.parse(await readFile(path.join(s.dir, 'stopped.json'), 'utf8')) as RunReport;
    expect(stopped.status).toBe('stopped');
    expect(stopped.stopped?.code).toBe('shutdown');
    const partly = dealsAndNotes(s.emulator);
    const resumed = await syncToTheEnd(s, 'resumed');
    const finished = dealsAndNotes(s.emulator);
    expect(finished.deals).toBe(finished.keys);
    expect(finished.notesPerDeal).toEqual([1]);
    expect(finished.deals).toBeGreaterThan(partly.deals);
    expect(stopped.writes.opportunity.created + resumed.writes.opportunity.created).toBe(finished.deals);
    // Converged: one more run writes nothing at all.
    const before = s.emulator.writes();
    await syncToTheEnd(s, 'after');
    expect(s.emulator.writes()).toBe(before);
  }, 180_000);

  it('the worker on SIGTERM mid-run: the batch in flight finishes, the run is recorded as stopped, the worker exits 0; a later run completes it', async () => {
    s = await setup();
    const worker = spawn(
      process.execPath,
      [CLI, 'worker', '--config', s.config, '--port', '0', '--run-at-start', '--log-level', 'error'],
      { env: { ...process.env, ...s.env }, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    await untilWrites(s.emulator, 8);
    const signalledAt = Date.now();
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(25_000);
    const { openSqliteStore } = await import('../../src/state/sqlite-store.ts');
    const store = await openSqliteStore({ dataDir: s.dir });
    const [run] = await store.listRuns({ sync: 'crash' });
    await store.close();
    expect(run?.status).toBe('stopped');
    expect((run?.summary as RunReport | undefined)?.stopped?.code).toBe('shutdown');
    await syncToTheEnd(s, 'resumed');
    const finished = dealsAndNotes(s.emulator);
    expect(finished.deals).toBe(finished.keys);
    expect(finished.notesPerDeal).toEqual([1]);
  }, 180_000);

  it('SIGKILL mid-run: the next run reconciles what the dead one wrote; every deal once, one note each, nothing lost', async () => {
    s = await setup();
    const { child, exited } = startSync(s, path.join(s.dir, 'killed.json'));
    await untilWrites(s.emulator, 12);
    child.kill('SIGKILL');
    await exited;
    await syncToTheEnd(s, 'resumed');
    const finished = dealsAndNotes(s.emulator);
    expect(finished.deals).toBeGreaterThan(0);
    expect(finished.deals).toBe(finished.keys);
    expect(finished.notesPerDeal).toEqual([1]);
    const scored = s.emulator.listObjects('companies').filter((c) => c.properties['es_score'] !== undefined);
    expect(scored).toHaveLength(COMPANIES);
    const before = s.emulator.writes();
    const again = await syncToTheEnd(s, 'after');
    expect(s.emulator.writes()).toBe(before);
    expect(again.opportunities.total).toBeGreaterThanOrEqual(finished.deals);
  }, 180_000);
});

/**
 * `npm run bench`: the speed and memory figures quoted in the README. A script, never a timed test.
 *
 * HubSpot: seeds the emulator with N companies (default 10,000) at HubSpot's Professional rate limit
 * (190 requests per 10 s), writes N x 90 days of usage to a CSV, runs a real sync through the CLI in a
 * child process, then an immediate rerun on the same inputs. Prints API calls by kind against the
 * floor (ceil(N/100) reads; ceil(changed/100) writes per object), wall time and the sync's peak RSS.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startHubspotEmulator } from '../connectors/hubspot/emulator/index.ts';
import { demoSeed } from '../src/cli/demo/hubspot-seed.ts';
import { writeUsageCsv } from '../src/cli/demo/write-usage.ts';
import type { RunReport } from '../src/engine/report.ts';

const N = Number(process.env['BENCH_COMPANIES'] ?? 10_000);
const DAYS = 90;
const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const MAPPINGS = fileURLToPath(new URL('../mappings/', import.meta.url));
const dir = path.resolve('.data', 'bench');
const asOf = '2026-11-20';

const ceil100 = (n: number): number => Math.ceil(n / 100);

async function main(): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const { seed, companies } = demoSeed({ companies: N, asOf, seed: 11 });
  const emulator = await startHubspotEmulator({ port: 0, seed, tier: 'professional' });
  try {
    const t0 = Date.now();
    const rows = await writeUsageCsv({ path: path.join(dir, 'usage.csv'), companies, portfolio: { companies: N, days: DAYS, asOf } });
    console.log(`bench: ${N} companies, ${rows} usage rows written in ${((Date.now() - t0) / 1000).toFixed(1)} s; HubSpot emulator at the Professional limit (190 per 10 s)`);
    const config = { name: 'bench', dataDir: '.', crm: { hubspot: { token: { env: 'HUBSPOT_TOKEN' }, basePath: emulator.url, mappings: { companies: path.join(MAPPINGS, 'hubspot.companies.yaml'), deals: path.join(MAPPINGS, 'hubspot.deals.yaml') } } }, usage: { source: 'file', path: 'usage.csv' } };
    await writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
    const first = await timedSync('first run', emulator);
    printFloors(first);
    const second = await timedSync('no-op rerun', emulator);
    printFloors(second);
  } finally {
    await emulator.stop();
  }
}

interface Timed { readonly label: string; readonly report: RunReport; readonly wallMs: number; readonly emulatorWrites: number }

async function timedSync(label: string, emulator: Awaited<ReturnType<typeof startHubspotEmulator>>): Promise<Timed> {
  const before = emulator.writes();
  const reportFile = path.join(dir, `${label.replace(/\W+/g, '-')}.json`);
  const start = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'sync', '--config', path.join(dir, 'config.json'), '--as-of', asOf, '--report-file', reportFile, '--json', '--log-level', 'error'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, HUBSPOT_TOKEN: emulator.token } });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sync exited with ${code}`))));
  });
  const wallMs = Date.now() - start;
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as RunReport;
  return { label, report, wallMs, emulatorWrites: emulator.writes() - before };
}

function printFloors(run: Timed): void {
  const { report } = run;
  const calls = report.apiCalls.calls;
  const w = report.writes;
  const rows: Array<[string, number, number]> = [
    ['companies.read', calls['companies.read'] ?? 0, ceil100(report.read.accounts)],
    ['deals.read', calls['deals.read'] ?? 0, Math.max(1, ceil100(report.read.opportunities))],
    ['companies.update', calls['companies.update'] ?? 0, ceil100(w.account.updated + w.account.failed)],
    ['deals.upsert', calls['deals.upsert'] ?? 0, ceil100(w.opportunity.created + w.opportunity.updated + w.opportunity.failed)],
    ['deals.associate', calls['deals.associate'] ?? 0, ceil100(w.opportunity.created)],
    ['notes.create', calls['notes.create'] ?? 0, ceil100(w.note.created + w.note.failed)],
  ];
  console.log(`\n${run.label}: ${report.status}, wall ${(run.wallMs / 1000).toFixed(1)} s (sync's own ${(report.durationMs / 1000).toFixed(1)} s), peak RSS ${report.peakRssMb} MB`);
  console.log(`  accounts ${report.read.accounts}, usage rows ${report.read.usageRows}, opportunities ${report.opportunities.total}; writes: ${w.account.updated} companies, ${w.opportunity.created} deals created, ${w.opportunity.updated} updated, ${w.note.created} notes`);
  console.log(`  API calls ${report.apiCalls.total} in all (${report.apiCalls.rateLimited} rate-limited, ${report.apiCalls.retries} retries); write calls seen by the emulator: ${run.emulatorWrites}`);
  console.log('  kind               calls   floor');
  for (const [kind, n, floor] of rows) console.log(`  ${kind.padEnd(18)} ${String(n).padStart(5)}   ${String(floor).padStart(5)}`);
  const other = Object.entries(calls).filter(([k]) => !rows.some(([r]) => r === k));
  if (other.length > 0) console.log(`  other: ${other.map(([k, n]) => `${k} ${n}`).join(', ')}`);
}

await main();

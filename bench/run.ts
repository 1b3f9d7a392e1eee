/**
 * `npm run bench`: the speed and memory figures quoted in the README. A script, never a timed test.
 * BENCH=score runs only the scoring benchmark (bench/score.ts), BENCH=sync only the syncs; both by default.
 *
 * For each CRM (BENCH_CRM: hubspot, salesforce or both, the default): seeds its emulator with N companies
 * (BENCH_COMPANIES, default 10,000) and writes N x 90 days of usage to a CSV, runs a real sync through the
 * CLI in a child process, then an immediate rerun on the same inputs. Prints API calls by kind against
 * the floor, wall time and the sync's peak RSS. HubSpot runs at its Professional rate limit (190 requests
 * per 10 s); Salesforce writes above its bulk threshold through Bulk API 2.0 jobs.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startDemoTarget, type DemoCrm, type DemoTarget } from '../src/cli/demo/targets.ts';
import { writeUsageCsv } from '../src/cli/demo/write-usage.ts';
import type { RunReport } from '../src/engine/report.ts';

const N = Number(process.env['BENCH_COMPANIES'] ?? 10_000);
const CRMS: DemoCrm[] =
  process.env['BENCH_CRM'] === 'hubspot'
    ? ['hubspot']
    : process.env['BENCH_CRM'] === 'salesforce'
      ? ['salesforce']
      : ['hubspot', 'salesforce'];
const DAYS = 90;
const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const asOf = '2026-11-20';

const ceilBy =
  (size: number) =>
  (n: number): number =>
    Math.ceil(n / size);

async function bench(crm: DemoCrm): Promise<void> {
  const dir = path.resolve('.data', 'bench', crm);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const target = await startDemoTarget(crm, { companies: N, asOf, seed: 11 });
  try {
    const t0 = Date.now();
    const rows = await writeUsageCsv({
      path: path.join(dir, 'usage.csv'),
      companies: target.companies,
      portfolio: { companies: N, days: DAYS, asOf },
    });
    console.log(
      `\n== ${target.label}: ${N} companies, ${rows} usage rows written in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    // Five owners for 10,000 accounts is no real team; lift the per-owner capacity so the sync writes
    // every opportunity it finds and the benchmark measures write throughput, not the queue.
    const scoring = { priority: { capacityPerOwner: N } };
    await writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({
        name: 'bench',
        dataDir: '.',
        crm: target.crmConfig,
        usage: { source: 'file', path: 'usage.csv' },
        scoring,
      }),
    );
    printFloors(crm, await timedSync('first run', dir, target));
    printFloors(crm, await timedSync('no-op rerun', dir, target));
  } finally {
    await target.stop();
  }
}

interface Timed {
  readonly label: string;
  readonly report: RunReport;
  readonly wallMs: number;
  readonly emulatorWrites: number;
}

async function timedSync(label: string, dir: string, target: DemoTarget): Promise<Timed> {
  const before = target.writes();
  const reportFile = path.join(dir, `${label.replace(/\W+/g, '-')}.json`);
  const start = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'sync',
        '--config',
        path.join(dir, 'config.json'),
        '--as-of',
        asOf,
        '--report-file',
        reportFile,
        '--json',
        '--log-level',
        'error',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...target.env } },
    );
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sync exited with ${code}`))));
  });
  const wallMs = Date.now() - start;
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as RunReport;
  return { label, report, wallMs, emulatorWrites: target.writes() - before };
}

/** Calls by kind against the least the API allows: pages of 100 (HubSpot) or 2,000 (SOQL), batches of 100 or 200. */
function floors(crm: DemoCrm, report: RunReport): Array<[string, number]> {
  const w = report.writes;
  const accountWrites = w.account.updated + w.account.failed;
  const opportunityWrites = w.opportunity.created + w.opportunity.updated + w.opportunity.failed;
  const notes = w.note.created + w.note.failed;
  if (crm === 'hubspot') {
    const c = ceilBy(100);
    return [
      ['companies.read', c(report.read.accountsFetched)],
      ['deals.read', Math.max(1, c(report.read.opportunities))],
      ['companies.update', c(accountWrites)],
      ['deals.upsert', c(opportunityWrites)],
      ['deals.associate', c(w.opportunity.created)],
      ['notes.create', c(notes)],
    ];
  }
  // Above the bulk threshold (2,000) a kind's writes go in one Bulk API 2.0 job of up to 10,000 rows.
  const writes = (n: number): number => (n > 2_000 ? ceilBy(10_000)(n) : ceilBy(200)(n));
  return [
    ['accounts.read', Math.max(1, ceilBy(2_000)(report.read.accountsFetched))],
    ['opportunities.read', Math.max(1, ceilBy(2_000)(report.read.opportunities))],
    ['accounts.update', accountWrites > 2_000 ? 0 : writes(accountWrites)],
    [
      'bulk.ingest',
      (accountWrites > 2_000 ? writes(accountWrites) : 0) + (opportunityWrites > 2_000 ? writes(opportunityWrites) : 0),
    ],
    ['opportunities.upsert', opportunityWrites > 2_000 ? 0 : writes(opportunityWrites)],
    ['notes.create', ceilBy(200)(notes)],
    ['notes.link', ceilBy(200)(notes * 2)],
  ];
}

function printFloors(crm: DemoCrm, run: Timed): void {
  const { report } = run;
  const calls = report.apiCalls.calls;
  const w = report.writes;
  const rows = floors(crm, report);
  console.log(
    `\n${run.label}: ${report.status}, wall ${(run.wallMs / 1000).toFixed(1)} s (sync's own ${(report.durationMs / 1000).toFixed(1)} s), peak RSS ${report.peakRssMb} MB`,
  );
  console.log(
    `  accounts ${report.read.accounts} (${report.read.accountsFetched} fetched), usage rows ${report.read.usageRows}, opportunities ${report.opportunities.total}; writes: ${w.account.updated} accounts, ${w.opportunity.created} opportunities created, ${w.opportunity.updated} updated, ${w.note.created} notes`,
  );
  console.log(
    `  API calls ${report.apiCalls.total} in all (${report.apiCalls.rateLimited} rate-limited, ${report.apiCalls.retries} retries); write calls seen by the emulator: ${run.emulatorWrites}`,
  );
  console.log('  kind                   calls   floor');
  for (const [kind, floor] of rows)
    console.log(`  ${kind.padEnd(22)} ${String(calls[kind] ?? 0).padStart(5)}   ${String(floor).padStart(5)}`);
  const other = Object.entries(calls).filter(([k]) => !rows.some(([r]) => r === k));
  if (other.length > 0) console.log(`  other: ${other.map(([k, n]) => `${k} ${n}`).join(', ')}`);
}

/** The scoring benchmark in its own process, so its peak RSS is not the syncs'. */
async function benchScoring(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./score.ts', import.meta.url))], {
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`scoring benchmark exited with ${code}`))));
  });
}

const WHAT = process.env['BENCH'] ?? 'all';
if (WHAT === 'all' || WHAT === 'score') await benchScoring();
if (WHAT === 'all' || WHAT === 'sync') for (const crm of CRMS) await bench(crm);
// The PostgreSQL usage source needs a server, so it runs only when asked for (bench/usage-postgres.ts).
if (WHAT === 'usage') await import('./usage-postgres.ts');

/**
 * The worker's memory over many runs: `node --expose-gc bench/worker-memory.ts [--runs 500] [--crm hubspot]
 * [--companies 200] [--every 50]`. A script that prints figures, never a test.
 *
 * The CRM's emulator runs in a child process (this same file with `--serve-emulator`), seeded with the
 * demo book, so the figures are the worker's alone. This process starts the real worker
 * (src/worker/worker.ts, as the `worker` command builds it: sqlite store, live mode, the alerts hook) with
 * no schedule and triggers its runs one after another, as POST /run does. It prints RSS as the OS sees it,
 * and heapUsed after a full GC when run with --expose-gc, at run 1 and every `--every` runs, with the
 * handles still alive, so growth shows up and can be told from a plateau. `--heap-snapshots DIR` also
 * writes a V8 heap snapshot at each sample, to compare in Chrome DevTools (Memory, Comparison).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import type { SyntheticCompany } from '../src/demo/portfolio.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '500' },
    crm: { type: 'string', default: 'hubspot' },
    companies: { type: 'string', default: '200' },
    every: { type: 'string', default: '50' },
    'heap-snapshots': { type: 'string' },
    'serve-emulator': { type: 'boolean', default: false },
  },
});

const positive = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer, got "${raw}"`);
    process.exit(2);
  }
  return n;
};
const RUNS = positive('runs', values.runs);
const COMPANIES = positive('companies', values.companies);
const EVERY = positive('every', values.every);
const CRM = values.crm;
const AS_OF = new Date().toISOString().slice(0, 10);
const SELF = fileURLToPath(import.meta.url);
const SNAPSHOTS = values['heap-snapshots'];

/** What the emulator child tells the parent, one JSON line on stdout. */
interface Served {
  readonly label: string;
  readonly env: Readonly<Record<string, string>>;
  readonly crmConfig: object;
  readonly companies: readonly SyntheticCompany[];
}

/** Child mode: the demo target of `--crm`, until stdin closes. */
async function serveEmulator(): Promise<void> {
  const { startDemoTarget } = await import('../src/cli/demo/targets.ts');
  const target = await startDemoTarget(CRM, { companies: COMPANIES, asOf: AS_OF, seed: 11 });
  const served: Served = {
    label: target.label,
    env: target.env,
    crmConfig: target.crmConfig,
    companies: target.companies,
  };
  process.stdout.write(`${JSON.stringify(served)}\n`);
  process.stdin.resume();
  await new Promise<void>((resolve) => process.stdin.once('end', resolve));
  await target.stop();
}

async function startEmulatorChild(): Promise<{ served: Served; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [SELF, '--serve-emulator', '--crm', CRM, '--companies', String(COMPANIES)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const served = await new Promise<Served>((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line) as Served));
    child.once('exit', (code) => reject(new Error(`the ${CRM} emulator exited (${code}) before it was ready`)));
  });
  return {
    served,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1).padStart(8);

interface Sample {
  readonly run: number;
  readonly rss: number;
  readonly heapUsed: number;
}

function sample(run: number, msPerRun: number): Sample {
  const gc = (globalThis as { gc?: () => void }).gc;
  const rss = process.memoryUsage.rss();
  gc?.();
  const m = process.memoryUsage();
  const resources = process.getActiveResourcesInfo();
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r, (counts.get(r) ?? 0) + 1);
  const handles = [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(
    `${String(run).padStart(5)}  ${mb(rss)}  ${mb(m.heapUsed)}  ${mb(m.heapTotal)}  ${mb(m.external)}  ${mb(m.arrayBuffers)}  ${msPerRun.toFixed(0).padStart(6)}  ${handles}`,
  );
  return { run, rss, heapUsed: m.heapUsed };
}

async function main(): Promise<void> {
  const [{ loadConfig }, { openSqliteStore }, { startWorker }, { alertAfterRun }, { runOptionsFrom }] =
    await Promise.all([
      import('../src/config/load.ts'),
      import('../src/state/sqlite-store.ts'),
      import('../src/worker/worker.ts'),
      import('../src/worker/run-alerts.ts'),
      import('../src/cli/run-options.ts'),
    ]);
  const { silentLogger } = await import('../src/logger.ts');
  const { writeUsageCsv } = await import('../src/cli/demo/write-usage.ts');

  const dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-worker-memory-'));
  const emulator = await startEmulatorChild();
  try {
    const { served } = emulator;
    await writeUsageCsv({
      path: path.join(dir, 'usage.csv'),
      companies: served.companies,
      portfolio: { companies: COMPANIES, days: 90, asOf: AS_OF, seed: 11 },
    });
    const configPath = path.join(dir, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        name: 'memory',
        dataDir: '.',
        crm: served.crmConfig,
        usage: { source: 'file', path: 'usage.csv' },
      }),
    );
    Object.assign(process.env, served.env);
    const loaded = await loadConfig(configPath);
    const store = await openSqliteStore({ dataDir: dir });
    const log = silentLogger();
    let finished = 0;
    let failed = 0;
    let onFinished: () => void = () => undefined;
    const worker = await startWorker({
      loaded,
      store,
      log,
      mode: 'live',
      port: 0,
      runOptions: (crm) => runOptionsFrom({ loaded, crm, store, log, mode: 'live' }),
      onRun: async (report) => {
        await alertAfterRun({ loaded, store, log, report });
        finished += 1;
        if (report.status === 'failed') failed += 1;
        onFinished();
      },
    });
    const gcNote = (globalThis as { gc?: () => void }).gc ? 'after a full GC' : 'no --expose-gc: without a GC';
    console.log(
      `worker memory: ${served.label} emulator (child process), ${COMPANIES} companies x 90 days, ${RUNS} runs, pid ${process.pid}`,
    );
    console.log(`  MB; heapUsed ${gcNote}; RSS sampled before it\n`);
    console.log(
      `${'run'.padStart(5)}  ${['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuf'].map((h) => h.padStart(8)).join('  ')}  ${'ms/run'.padStart(6)}  active resources`,
    );
    const samples: Sample[] = [];
    let since = Date.now();
    for (let run = 1; run <= RUNS; run += 1) {
      const done = new Promise<void>((resolve) => (onFinished = resolve));
      // The previous run's `finally` may not have cleared yet: try again on the next turn.
      while (!(await worker.trigger()).accepted) await new Promise((r) => setTimeout(r, 5));
      await done;
      if (run === 1 || run % EVERY === 0 || run === RUNS) {
        // Let the run's tail (the `finally` after onRun) settle before sampling.
        await new Promise((r) => setTimeout(r, 20));
        const span = run === 1 ? 1 : Math.min(EVERY, run - (samples.at(-1)?.run ?? 0));
        samples.push(sample(run, (Date.now() - since) / span));
        if (SNAPSHOTS !== undefined) writeHeapSnapshot(path.join(SNAPSHOTS, `worker-run-${run}.heapsnapshot`));
        since = Date.now();
      }
    }
    await worker.stop();
    await store.close();
    const first = samples[0];
    const last = samples.at(-1);
    if (first && last) {
      console.log(
        `\n${finished} runs finished (${failed} failed). RSS ${mb(first.rss).trim()} -> ${mb(last.rss).trim()} MB, heapUsed ${mb(first.heapUsed).trim()} -> ${mb(last.heapUsed).trim()} MB`,
      );
    }
  } finally {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (values['serve-emulator']) await serveEmulator();
else await main();

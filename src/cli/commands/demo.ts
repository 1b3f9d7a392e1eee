import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { RunReport } from '../../engine/report.ts';
import { createCrmConnector } from '../../../connectors/index.ts';
import { parseStoredAssessments } from '../../alerts/parse.ts';
import { loadConfig } from '../../config/load.ts';
import { simulateQuarterOnCrm, type QuarterEvidence } from '../../demo/quarter.ts';
import { runSync } from '../../engine/run.ts';
import { silentLogger } from '../../logger.ts';
import { openSqliteStore } from '../../state/sqlite-store.ts';
import type { StateStore } from '../../state/store.ts';
import { demoCrms, startDemoTarget, type DemoCrm, type DemoTarget } from '../demo/targets.ts';
import { runOptionsFrom } from '../run-options.ts';
import { writeUsageCsv } from '../demo/write-usage.ts';
import { EXIT } from '../exit-codes.ts';
import { renderTop } from '../render.ts';
import { ScoringConfigSchema } from '../../scoring/config.ts';

const CLI = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface DemoOptions {
  readonly companies: string;
  readonly crm?: DemoCrm;
  readonly keepRunning?: boolean;
  /** After the demo, play out a quarter of AE outcomes and show the outcome report and the recalibration. */
  readonly simulateQuarter?: boolean;
}

export async function demoCommand(options: DemoOptions): Promise<number> {
  // The registry's first CRM with a demo when none is asked for.
  const crm = options.crm ?? demoCrms()[0] ?? '';
  const dir = path.resolve('.data', 'demo');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const asOf = new Date().toISOString().slice(0, 10);
  const count = Number(options.companies);
  // Real time until a simulated quarter moves the CRM's clock forward week by week.
  let clock: number | undefined;
  const target = await startDemoTarget(crm, { companies: count, asOf, now: () => clock ?? Date.now() });
  say(`Seeded a ${target.label} emulator with ${count} companies and 90 days of product usage.`);
  try {
    const rows = await writeUsageCsv({
      path: path.join(dir, 'usage.csv'),
      companies: target.companies,
      portfolio: { companies: count, days: 90, asOf },
    });
    const configPath = path.join(dir, 'config.json');
    const config = {
      name: 'demo',
      dataDir: '.',
      crm: target.crmConfig,
      usage: { source: 'file', path: 'usage.csv', joinOn: 'domain' },
    };
    await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
    say(`Emulator at ${target.url}; usage file ${path.join(dir, 'usage.csv')} (${rows} rows); config ${configPath}\n`);
    const env = { ...process.env, ...target.env };
    say('First sync (creates the fields it writes, scores every account, writes opportunities and notes):');
    const first = await runCli(
      [
        'sync',
        '--config',
        configPath,
        '--as-of',
        asOf,
        '--report-file',
        path.join(dir, 'run-1.json'),
        '--no-top',
        '--log-level',
        'warn',
      ],
      env,
    );
    say('\nSecond sync on the same inputs (must make zero write calls):');
    const second = await runCli(
      [
        'sync',
        '--config',
        configPath,
        '--as-of',
        asOf,
        '--report-file',
        path.join(dir, 'run-2.json'),
        '--no-top',
        '--log-level',
        'warn',
      ],
      env,
    );
    const report = JSON.parse(await readFile(path.join(dir, 'run-1.json'), 'utf8')) as RunReport;
    // The demo config sets no scoring, so its amounts are in the default currency.
    const currency = ScoringConfigSchema.parse({}).pricing.currency;
    say(`\nTop ${report.top.length} opportunities:\n${renderTop(report, currency)}\n`);
    say(
      [
        `The emulator received ${target.writes()} write calls in total. To look at what the sync created, rerun with --keep-running and try:`,
        ...target.lookAround(),
        'Run reports: .data/demo/run-1.json and run-2.json; state store: .data/demo/state.db',
        '',
        'The ranked pipeline, and one account explained (signals, evidence, sizing, talking points):',
        '  node src/cli/main.ts pipeline --config .data/demo/config.json',
        `  node src/cli/main.ts score --config .data/demo/config.json --account <id> --explain`,
      ].join('\n'),
    );
    const simulated = options.simulateQuarter
      ? await simulateQuarterDemo({
          target,
          dir,
          configPath,
          env,
          asOf,
          companies: count,
          setClock: (at) => (clock = at.getTime()),
        })
      : EXIT.ok;
    if (options.keepRunning)
      await waitForSignal(`\nThe emulator keeps running at ${target.url}. Press Ctrl+C to stop.`);
    return Math.max(first, second, simulated);
  } finally {
    await target.stop();
  }
}

interface QuarterDemoOptions {
  readonly target: DemoTarget;
  readonly dir: string;
  readonly configPath: string;
  readonly env: NodeJS.ProcessEnv;
  readonly asOf: string;
  readonly companies: number;
  readonly setClock: (at: Date) => void;
}

/**
 * `--simulate-quarter`: twelve weeks of AEs closing and opening deals through the CRM's API, a sync each
 * week (in this process, on the week's date, so owner capacity frees up as the weeks pass), then the
 * `outcomes` report and the recalibration (`outcomes --explain`).
 */
async function simulateQuarterDemo(options: QuarterDemoOptions): Promise<number> {
  const { target, configPath, env } = options;
  if (target.ae === undefined) {
    say(`\nNo simulated quarter: the ${target.label} demo has no AE actions.`);
    return EXIT.ok;
  }
  say(
    "\nA simulated quarter: each week AEs close some open expansion deals through the CRM API, won or lost with the odds of a known process whose signal weights differ from the configured ones on purpose, open a few deals of their own, and the worker syncs on that week's date.",
  );
  const summary = await simulateQuarterOnCrm({
    ae: target.ae,
    start: options.asOf,
    setClock: options.setClock,
    evidence: () => withDemoStore(configPath, env, quarterEvidence),
    sync: async (asOf) => {
      await writeUsageCsv({
        path: path.join(options.dir, 'usage.csv'),
        companies: target.companies,
        portfolio: { companies: options.companies, days: 90, asOf },
      });
      return syncLine(await syncInProcess(configPath, env, asOf));
    },
    say,
  });
  say(
    `\nThe quarter: ${summary.won + summary.lost} deals closed by AEs (${summary.won} won), ${summary.organic} opened by AEs themselves; last scoring date ${summary.end}.`,
  );
  say('\nOutcomes (expansion-sync outcomes):');
  const report = await runCli(['outcomes', '--config', configPath], env);
  say('\nRecalibration (expansion-sync outcomes --explain):');
  const explain = await runCli(['outcomes', '--config', configPath, '--explain'], env);
  say(
    [
      '',
      'Learning is in report mode by default: the fitted weights are shown, the configured ones stay in force.',
      'Set "learning": {"mode": "apply"} to let a recalibration that passes the gates and improves the backtest replace them.',
    ].join('\n'),
  );
  return Math.max(report, explain);
}

/** One live sync in this process (the emulator answers from this event loop), on `asOf` at noon UTC. */
async function syncInProcess(configPath: string, env: NodeJS.ProcessEnv, asOf: string): Promise<RunReport> {
  const loaded = await loadConfig(configPath, { env });
  const log = silentLogger();
  const crm = await createCrmConnector({ loaded, log });
  const now = new Date(`${asOf}T12:00:00Z`);
  try {
    return await withDemoStore(configPath, env, (store) =>
      runSync({ ...runOptionsFrom({ loaded, crm, store, log, mode: 'live', asOf }), now: () => now }),
    );
  } finally {
    await crm.close();
  }
}

async function withDemoStore<T>(
  configPath: string,
  env: NodeJS.ProcessEnv,
  fn: (store: StateStore) => Promise<T>,
): Promise<T> {
  const loaded = await loadConfig(configPath, { env });
  const store = await openSqliteStore({ dataDir: loaded.resolvePath(loaded.config.dataDir) });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function syncLine(report: RunReport): string {
  const { opportunity } = report.writes;
  const failed = report.status === 'succeeded' ? '' : ` (${report.status})`;
  return `${opportunity.created} deals created, ${report.writes.note.created} notes${failed}`;
}

/** The evidence the simulated AEs' odds come from: pitch snapshots, and each account's latest signals. */
async function quarterEvidence(store: StateStore): Promise<QuarterEvidence> {
  const [pitches, stored] = await Promise.all([store.listPitches(), store.listAssessments()]);
  const { items } = parseStoredAssessments(stored);
  return {
    pitches: new Map(pitches.map((p) => [p.key, p.signals])),
    accounts: items.map(({ stored: row, assessment }) => ({
      id: row.accountId,
      name: row.accountName,
      signals: assessment.signals
        .filter((s) => s.kind === 'expansion')
        .map((s) => ({ id: s.id, strength: s.strength })),
      arrPotential: assessment.opportunities[0]?.arrPotential ?? 0,
    })),
  };
}

function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'inherit', env });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? EXIT.failed));
  });
}

function waitForSignal(message: string): Promise<void> {
  say(message);
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

const say = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

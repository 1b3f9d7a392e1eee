import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { RunReport } from '../../engine/report.ts';
import { demoCrms, startDemoTarget, type DemoCrm } from '../demo/targets.ts';
import { writeUsageCsv } from '../demo/write-usage.ts';
import { EXIT } from '../exit-codes.ts';
import { renderTop } from '../render.ts';
import { ScoringConfigSchema } from '../../scoring/config.ts';

const CLI = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface DemoOptions {
  readonly companies: string;
  readonly crm?: DemoCrm;
  readonly keepRunning?: boolean;
}

export async function demoCommand(options: DemoOptions): Promise<number> {
  // The registry's first CRM with a demo when none is asked for.
  const crm = options.crm ?? demoCrms()[0] ?? '';
  const dir = path.resolve('.data', 'demo');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const asOf = new Date().toISOString().slice(0, 10);
  const count = Number(options.companies);
  const target = await startDemoTarget(crm, { companies: count, asOf });
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
    if (options.keepRunning)
      await waitForSignal(`\nThe emulator keeps running at ${target.url}. Press Ctrl+C to stop.`);
    return first === EXIT.ok && second === EXIT.ok ? EXIT.ok : Math.max(first, second);
  } finally {
    await target.stop();
  }
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

import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startHubspotEmulator } from '../../../connectors/hubspot/emulator/index.ts';
import type { RunReport } from '../../engine/report.ts';
import { demoSeed } from '../demo/hubspot-seed.ts';
import { writeUsageCsv } from '../demo/write-usage.ts';
import { EXIT } from '../exit-codes.ts';
import { renderTop } from '../render.ts';

const CLI = fileURLToPath(new URL('../main.ts', import.meta.url));
const MAPPINGS = fileURLToPath(new URL('../../../mappings/', import.meta.url));

export interface DemoOptions { readonly companies: string; readonly keepRunning?: boolean }

export async function demoCommand(options: DemoOptions): Promise<number> {
  const dir = path.resolve('.data', 'demo');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const asOf = new Date().toISOString().slice(0, 10);
  const count = Number(options.companies);
  say(`Seeding a HubSpot emulator with ${count} companies and 90 days of product usage...`);
  const { seed, companies } = demoSeed({ companies: count, asOf });
  const emulator = await startHubspotEmulator({ port: 0, seed });
  try {
    const rows = await writeUsageCsv({ path: path.join(dir, 'usage.csv'), companies, portfolio: { companies: count, days: 90, asOf } });
    const configPath = path.join(dir, 'config.json');
    await writeFile(configPath, `${JSON.stringify(demoConfig(emulator.url), null, 2)}\n`);
    say(`Emulator at ${emulator.url}; usage file ${path.join(dir, 'usage.csv')} (${rows} rows); config ${configPath}\n`);
    const env = { ...process.env, HUBSPOT_TOKEN: emulator.token };
    say('First sync (creates properties, scores every company, writes deals and notes):');
    const first = await runCli(['sync', '--config', configPath, '--as-of', asOf, '--report-file', path.join(dir, 'run-1.json'), '--no-top', '--log-level', 'warn'], env);
    say('\nSecond sync on the same inputs (must make zero write calls):');
    const second = await runCli(['sync', '--config', configPath, '--as-of', asOf, '--report-file', path.join(dir, 'run-2.json'), '--no-top', '--log-level', 'warn'], env);
    const report = JSON.parse(await readFile(path.join(dir, 'run-1.json'), 'utf8')) as RunReport;
    say(`\nTop ${report.top.length} opportunities:\n${renderTop(report)}\n`);
    say(lookAround(emulator.url, emulator.token, emulator.writes()));
    if (options.keepRunning) await waitForSignal(`\nThe emulator keeps running at ${emulator.url}. Press Ctrl+C to stop.`);
    return first === EXIT.ok && second === EXIT.ok ? EXIT.ok : Math.max(first, second);
  } finally {
    await emulator.stop();
  }
}

function demoConfig(basePath: string): object {
  return {
    name: 'demo',
    dataDir: '.',
    crm: { hubspot: { token: { env: 'HUBSPOT_TOKEN' }, basePath, mappings: { companies: path.join(MAPPINGS, 'hubspot.companies.yaml'), deals: path.join(MAPPINGS, 'hubspot.deals.yaml') } } },
    usage: { source: 'file', path: 'usage.csv', joinOn: 'domain' },
  };
}

function lookAround(url: string, token: string, writes: number): string {
  const auth = `-H "Authorization: Bearer ${token}"`;
  return [
    `The emulator received ${writes} write calls in total. To look at what the sync created, rerun with --keep-running and try:`,
    `  curl -s ${auth} "${url}/crm/v3/objects/deals?limit=5&properties=dealname,amount,dealstage,expansion_key&associations=companies"`,
    `  curl -s ${auth} "${url}/crm/v3/objects/notes?limit=2&properties=hs_note_body"`,
    `  curl -s ${auth} "${url}/crm/v3/objects/companies?limit=5&properties=name,es_score,es_health,es_timing,es_potential_arr"`,
    `Run reports: .data/demo/run-1.json and run-2.json; state store: .data/demo/state.db`,
  ].join('\n');
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

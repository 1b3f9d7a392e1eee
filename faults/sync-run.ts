import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { RunReport } from '../src/engine/report.ts';
import { writeUsageCsv } from '../src/cli/demo/write-usage.ts';
import type { CrmTarget } from './crm.ts';

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/** The settings every trial's config carries: small retries and a capacity the book fills. */
export interface TrialSettings {
  readonly capacityPerOwner: number;
  readonly maxRetries: number;
}

/** A trial's working folder: config, one usage file per asOf, the state store. */
export interface Workspace {
  readonly dir: string;
  readonly configPath: string;
  readonly dataDir: string;
  usageFor(asOf: string): Promise<string>;
}

export async function makeWorkspace(
  dir: string,
  target: CrmTarget,
  settings: TrialSettings,
  days: number,
): Promise<Workspace> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const dataDir = path.join(dir, 'state');
  const usage = new Map<string, string>();
  const usageFor = async (asOf: string): Promise<string> => {
    const known = usage.get(asOf);
    if (known !== undefined) return known;
    const file = path.join(dir, `usage-${asOf}.csv`);
    await writeUsageCsv({
      path: file,
      companies: target.companies,
      portfolio: { companies: target.companies.length, days, asOf },
    });
    usage.set(asOf, file);
    return file;
  };
  return { dir, configPath: path.join(dir, 'config.json'), dataDir, usageFor };
}

/** Writes the config for a run on `asOf`: the usage file of that date, the CRM behind the proxy. */
export async function writeConfig(
  ws: Workspace,
  target: CrmTarget,
  settings: TrialSettings,
  asOf: string,
): Promise<void> {
  const config = {
    name: 'faults',
    dataDir: ws.dataDir,
    crm: target.crmConfig(),
    usage: { source: 'file', path: await ws.usageFor(asOf), joinOn: 'domain' },
    writeBack: { maxRetries: settings.maxRetries },
    scoring: { priority: { capacityPerOwner: settings.capacityPerOwner } },
  };
  await writeFile(ws.configPath, `${JSON.stringify(config, null, 2)}\n`);
}

export interface SyncResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly report: RunReport | undefined;
  readonly ms: number;
  readonly stderrTail: string;
  /** Data-changing requests the proxy saw during this run. */
  readonly writes: number;
}

export interface SyncControl {
  /** Called once the child is spawned, for kills on a timer. */
  readonly onSpawn?: (child: ChildProcess) => void;
}

let runCounter = 0;

/** One `expansion-sync sync` through the real CLI, in a child process. */
export async function runSync(
  ws: Workspace,
  target: CrmTarget,
  settings: TrialSettings,
  asOf: string,
  control: SyncControl = {},
): Promise<SyncResult> {
  await writeConfig(ws, target, settings, asOf);
  runCounter += 1;
  const reportFile = path.join(ws.dir, `report-${runCounter}.json`);
  await rm(reportFile, { force: true });
  const writesBefore = target.proxy.writes();
  const start = Date.now();
  const child = spawn(
    process.execPath,
    [CLI, 'sync', '--config', ws.configPath, '--as-of', asOf, '--report-file', reportFile, '--log-level', 'error'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...target.env(), NO_COLOR: '1' } },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  control.onSpawn?.(child);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c, s) => resolve({ code: c, signal: s }));
    },
  );
  let report: RunReport | undefined;
  try {
    report = JSON.parse(await readFile(reportFile, 'utf8')) as RunReport;
  } catch {
    report = undefined;
  }
  return {
    code,
    signal,
    report,
    ms: Date.now() - start,
    stderrTail: stderr.trim().split('\n').slice(-5).join('\n'),
    writes: target.proxy.writes() - writesBefore,
  };
}

/** Nothing planned: no account, deal or note write left to make. */
export function nothingPlanned(report: RunReport | undefined): boolean {
  if (report === undefined) return false;
  const p = report.planned;
  return p.accountUpdates + p.opportunityCreates + p.opportunityUpdates + p.notes === 0;
}

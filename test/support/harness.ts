import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createCrmConnector } from '../../connectors/index.ts';
import { runOptionsFrom } from '../../src/cli/run-options.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { RunMode, RunReport } from '../../src/engine/report.ts';
import { runSync } from '../../src/engine/run.ts';
import { silentLogger } from '../../src/logger.ts';
import type { UsageDay } from '../../src/model/usage.ts';
import type { StateStore } from '../../src/state/store.ts';
import { AS_OF, COMPANIES, defaultUsage, type TestCompany } from './companies.ts';
import { storeIn } from './store.ts';
import { toCsv } from './usage.ts';

/** The shipped RevOps mapping files. */
export const SHIPPED_MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));

export interface RunOptions {
  readonly asOf?: string;
  readonly now?: () => Date;
  readonly fullRead?: boolean;
  /** `state rebuild` (run with mode 'shadow'). */
  readonly rebuild?: boolean;
}

/**
 * One product run in a temp dir, against whichever CRM emulator: the same code path the CLI's `sync` takes
 * (config file, connector, state store, engine). What differs per CRM lives in a `CrmHarnessSpec`.
 */
export interface CrmHarness<E> {
  readonly dir: string;
  readonly configPath: string;
  readonly emulator: E;
  /** Waits the client was asked to make, in ms (the emulator's clock moves instead of real time). */
  readonly waits: number[];
  run(mode?: RunMode, options?: RunOptions): Promise<RunReport>;
  /** Moves the emulator's clock (record timestamps) forward. */
  advance(ms: number): void;
  /** The emulator's clock (ms since the epoch): the time it stamps records with. */
  clock(): number;
  writeUsage(days: readonly UsageDay[]): Promise<void>;
  /** Writes a file next to the config (a usage file in another shape, say). */
  writeFile(name: string, text: string): Promise<void>;
  /** Merges top-level settings into the config file, as a user edits theirs between runs. */
  editConfig(changes: Readonly<Record<string, unknown>>): Promise<void>;
  withStore<T>(fn: (store: StateStore) => Promise<T>): Promise<T>;
  /** The CRM id of the seeded account with this domain ('' when there is none). */
  accountId(domain: string): string;
  close(): Promise<void>;
}

/** What one CRM contributes to the harness: its emulator, its config block and its secrets. */
export interface CrmHarnessSpec<E> {
  /** The config key under `crm` (`hubspot`, `salesforce`). */
  readonly key: string;
  start(options: { readonly now: () => number; readonly companies: readonly TestCompany[] }): Promise<E>;
  /** The CRM's config block, before `crm` overrides are merged in. */
  config(emulator: E): Readonly<Record<string, unknown>>;
  /** The environment the config's secret references read. */
  env(emulator: E): Readonly<Record<string, string>>;
  /** Seeded account ids by domain. */
  accountIds(emulator: E): ReadonlyMap<string, string>;
  stop(emulator: E): Promise<void>;
}

export interface CrmHarnessOptions {
  readonly companies?: readonly TestCompany[];
  readonly usage?: readonly UsageDay[];
  /** Top-level config keys (`scoring`, `usage`, ...). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Keys merged into the CRM's own config block (`mappings`, `notes`, ...). */
  readonly crm?: Readonly<Record<string, unknown>>;
}

export async function startCrmHarness<E>(
  spec: CrmHarnessSpec<E>,
  options: CrmHarnessOptions = {},
): Promise<CrmHarness<E>> {
  const dir = await mkdtemp(path.join(tmpdir(), `expansion-sync-${spec.key}-`));
  let clock = Date.parse(`${AS_OF}T12:00:00Z`);
  const waits: number[] = [];
  const emulator = await spec.start({ now: () => clock, companies: options.companies ?? COMPANIES });
  const configPath = path.join(dir, 'config.json');
  const config = {
    name: 'test',
    dataDir: '.',
    crm: { [spec.key]: { ...spec.config(emulator), ...options.crm } },
    usage: { source: 'file', path: 'usage.csv' },
    ...options.config,
  };
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const writeUsage = (days: readonly UsageDay[]): Promise<void> => writeFile(path.join(dir, 'usage.csv'), toCsv(days));
  await writeUsage(options.usage ?? defaultUsage());
  // Retry waits advance the emulator's clock instead of sleeping, so rate-limit tests take no real time.
  const sleep = async (ms: number): Promise<void> => {
    waits.push(ms);
    clock += ms;
  };
  const withStore = storeIn(dir);
  const ids = spec.accountIds(emulator);
  return {
    dir,
    configPath,
    emulator,
    waits,
    writeUsage,
    withStore,
    writeFile: (name, text) => writeFile(path.join(dir, name), text),
    editConfig: async (changes) => {
      const current = z.record(z.string(), z.unknown()).parse(JSON.parse(await readFile(configPath, 'utf8')));
      await writeFile(configPath, JSON.stringify({ ...current, ...changes }, null, 2));
    },
    accountId: (domain) => ids.get(domain) ?? '',
    advance: (ms) => {
      clock += ms;
    },
    clock: () => clock,
    run: (mode = 'live', runOptions = {}) =>
      runOnce({ configPath, env: spec.env(emulator), withStore, sleep, mode, options: runOptions }),
    close: async () => {
      await spec.stop(emulator);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One `sync` as the CLI runs it: load the config, make the connector, run, close. */
async function runOnce(input: {
  readonly configPath: string;
  readonly env: Readonly<Record<string, string>>;
  readonly withStore: <T>(fn: (store: StateStore) => Promise<T>) => Promise<T>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly mode: RunMode;
  readonly options: RunOptions;
}): Promise<RunReport> {
  const { options } = input;
  const loaded = await loadConfig(input.configPath, { env: input.env });
  const log = silentLogger();
  const crm = await createCrmConnector({ loaded, log, sleep: input.sleep });
  try {
    return await input.withStore((store) => {
      const asOf = options.asOf ?? AS_OF;
      const { mode } = input;
      const base = runOptionsFrom({ loaded, crm, store, log, mode, asOf, fullRead: options.fullRead === true });
      return runSync({
        ...base,
        ...(options.now ? { now: options.now } : {}),
        ...(options.rebuild ? { rebuild: true } : {}),
      });
    });
  } finally {
    await crm.close();
  }
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCrmConnector } from '../../connectors/index.ts';
import { startHubspotEmulator, type HubspotEmulator, type HubspotEmulatorOptions } from '../../connectors/hubspot/emulator/index.ts';
import { runOptionsFrom } from '../../src/cli/run-options.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { RunMode, RunReport } from '../../src/engine/report.ts';
import { runSync } from '../../src/engine/run.ts';
import { silentLogger } from '../../src/logger.ts';
import type { UsageDay } from '../../src/model/usage.ts';
import type { StateStore } from '../../src/state/store.ts';
import { storeIn } from './store.ts';
import { toCsv, usageSeries } from './usage.ts';

export const AS_OF = '2026-11-20';
const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));

export interface TestCompany {
  readonly name: string;
  readonly domain: string;
  readonly seats: number;
  readonly plan: string;
  readonly renewalDate: string;
  readonly ownerId: string;
}

/** Five companies, one per situation in seed 000: seat pressure, flat, declining, renewal window, seat pressure. */
export const COMPANIES: readonly TestCompany[] = [
  { name: 'Acme Analytics', domain: 'acme.example', seats: 50, plan: 'growth', renewalDate: '2027-08-01', ownerId: '2001' },
  { name: 'Birch Logistics', domain: 'birch.example', seats: 40, plan: 'growth', renewalDate: '2027-06-01', ownerId: '2001' },
  { name: 'Cobalt Health', domain: 'cobalt.example', seats: 60, plan: 'enterprise', renewalDate: '2027-05-01', ownerId: '2002' },
  { name: 'Delta Freight', domain: 'delta.example', seats: 20, plan: 'starter', renewalDate: '2026-12-10', ownerId: '2002' },
  { name: 'Ember Retail', domain: 'ember.example', seats: 100, plan: 'enterprise', renewalDate: '2027-09-15', ownerId: '2001' },
];

/** 88% seats for 60 days; flat 75%; a sharp decline; 95% but renewing in 20 days; 90% for 60 days. */
export function defaultUsage(asOf = AS_OF): UsageDay[] {
  const flat = (activeUsers: number, seatsUsed: number) => () => ({ activeUsers, seatsUsed });
  return [
    ...usageSeries({ key: 'acme.example', asOf, days: 60, shape: flat(42, 44) }),
    ...usageSeries({ key: 'birch.example', asOf, days: 60, shape: flat(28, 30) }),
    ...usageSeries({ key: 'cobalt.example', asOf, days: 60, shape: (i) => (i < 30 ? { activeUsers: 50, seatsUsed: 52 } : { activeUsers: 20, seatsUsed: 24 }) }),
    ...usageSeries({ key: 'delta.example', asOf, days: 60, shape: flat(18, 19) }),
    ...usageSeries({ key: 'ember.example', asOf, days: 60, shape: flat(85, 90) }),
  ];
}

export interface Harness {
  readonly dir: string;
  readonly configPath: string;
  readonly emulator: HubspotEmulator;
  /** Waits the client was asked to make, in ms (the emulator's clock moves instead of real time). */
  readonly waits: number[];
  run(mode?: RunMode, options?: { readonly asOf?: string; readonly now?: () => Date }): Promise<RunReport>;
  writeUsage(days: readonly UsageDay[]): Promise<void>;
  withStore<T>(fn: (store: StateStore) => Promise<T>): Promise<T>;
  companyId(domain: string): string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly companies?: readonly TestCompany[];
  readonly usage?: readonly UsageDay[];
  readonly emulator?: Omit<HubspotEmulatorOptions, 'seed' | 'now'>;
  readonly config?: Readonly<Record<string, unknown>>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-'));
  const companies = options.companies ?? COMPANIES;
  let clock = Date.parse(`${AS_OF}T12:00:00Z`);
  const waits: number[] = [];
  const emulator = await startHubspotEmulator({ port: 0, now: () => clock, ...options.emulator, seed: seedFor(companies) });
  const configPath = path.join(dir, 'config.json');
  const config = {
    name: 'test',
    dataDir: '.',
    crm: { hubspot: { token: { env: 'HUBSPOT_TOKEN' }, basePath: emulator.url, rateLimit: { perTenSeconds: 1000 }, mappings: { companies: path.join(MAPPINGS, 'hubspot.companies.yaml'), deals: path.join(MAPPINGS, 'hubspot.deals.yaml') } } },
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
  const ids = new Map(emulator.listObjects('companies').map((c) => [c.properties['domain'] ?? '', c.id]));
  return {
    dir,
    configPath,
    emulator,
    waits,
    writeUsage,
    withStore,
    companyId: (domain) => ids.get(domain) ?? '',
    run: async (mode = 'live', runOptions = {}) => {
      const loaded = await loadConfig(configPath, { env: { HUBSPOT_TOKEN: emulator.token } });
      const log = silentLogger();
      const crm = await createCrmConnector({ loaded, log, sleep });
      try {
        return await withStore((store) => runSync({ ...runOptionsFrom({ loaded, crm, store, log, mode, asOf: runOptions.asOf ?? AS_OF }), ...(runOptions.now ? { now: runOptions.now } : {}) }));
      } finally {
        await crm.close();
      }
    },
    close: async () => {
      await emulator.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function seedFor(companies: readonly TestCompany[]) {
  return {
    owners: [
      { id: '2001', email: 'dana.ae@example.com', firstName: 'Dana', lastName: 'Reyes' },
      { id: '2002', email: 'sam.csm@example.com', firstName: 'Sam', lastName: 'Okafor' },
    ],
    properties: {
      companies: [
        { name: 'arr', label: 'ARR', type: 'number', fieldType: 'number', groupName: 'companyinformation' },
        { name: 'licensed_seats', label: 'Licensed seats', type: 'string', fieldType: 'text', groupName: 'companyinformation' }, // text, as many portals keep it
        { name: 'plan_tier', label: 'Plan', type: 'string', fieldType: 'text', groupName: 'companyinformation' },
        { name: 'modules_owned', label: 'Modules owned', type: 'string', fieldType: 'text', groupName: 'companyinformation' },
        { name: 'renewal_date', label: 'Renewal date', type: 'date', fieldType: 'date', groupName: 'companyinformation' },
      ],
    },
    objects: {
      companies: companies.map((c) => ({
        properties: { name: c.name, domain: c.domain, hubspot_owner_id: c.ownerId, arr: String(c.seats * 600), licensed_seats: String(c.seats), plan_tier: c.plan, modules_owned: 'core', renewal_date: c.renewalDate, numberofemployees: String(c.seats * 4) },
      })),
    },
  };
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCrmConnector } from '../../connectors/index.ts';
import { seededUserId, startSalesforceEmulator, type SalesforceEmulator, type SalesforceEmulatorOptions } from '../../connectors/salesforce/emulator/index.ts';
import { runOptionsFrom } from '../../src/cli/run-options.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { RunMode, RunReport } from '../../src/engine/report.ts';
import { runSync } from '../../src/engine/run.ts';
import { silentLogger } from '../../src/logger.ts';
import type { UsageDay } from '../../src/model/usage.ts';
import type { StateStore } from '../../src/state/store.ts';
import { AS_OF, COMPANIES, defaultUsage, type TestCompany } from './hubspot-harness.ts';
import './salesforce-emulator.ts';
import { storeIn } from './store.ts';
import { toCsv } from './usage.ts';

export { AS_OF, defaultUsage };
const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));

export interface SalesforceHarness {
  readonly dir: string;
  readonly configPath: string;
  readonly emulator: SalesforceEmulator;
  run(mode?: RunMode, options?: { readonly fullRead?: boolean }): Promise<RunReport>;
  /** Moves the emulator's clock (record timestamps) forward. */
  advance(ms: number): void;
  writeUsage(days: readonly UsageDay[]): Promise<void>;
  withStore<T>(fn: (store: StateStore) => Promise<T>): Promise<T>;
  accountId(domain: string): string;
  /** Opportunities on the account, as the emulator holds them. */
  opportunitiesOf(domain: string): ReturnType<SalesforceEmulator['listRecords']>;
  close(): Promise<void>;
}

/** The same five companies as the HubSpot tests, as Salesforce Accounts with the custom fields RevOps keep. */
export async function startSalesforceHarness(options: { readonly companies?: readonly TestCompany[]; readonly emulator?: SalesforceEmulatorOptions; readonly salesforce?: Readonly<Record<string, unknown>> } = {}): Promise<SalesforceHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-sf-'));
  let clock = Date.parse(`${AS_OF}T12:00:00Z`);
  const companies = options.companies ?? COMPANIES;
  const emulator = await startSalesforceEmulator({ now: () => clock, ...options.emulator, seed: seedFor(companies) });
  const config = {
    name: 'test',
    dataDir: '.',
    crm: { salesforce: { loginUrl: emulator.url, auth: { flow: 'client_credentials', clientId: emulator.clientId, clientSecret: { env: 'SALESFORCE_CLIENT_SECRET' } }, mappings: { accounts: path.join(MAPPINGS, 'salesforce.accounts.yaml'), opportunities: path.join(MAPPINGS, 'salesforce.opportunities.yaml') }, ...options.salesforce } },
    usage: { source: 'file', path: 'usage.csv' },
  };
  const configPath = path.join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const writeUsage = (days: readonly UsageDay[]): Promise<void> => writeFile(path.join(dir, 'usage.csv'), toCsv(days));
  await writeUsage(defaultUsage());
  const sleep = async (ms: number): Promise<void> => {
    clock += ms;
  };
  const withStore = storeIn(dir);
  const ids = new Map(emulator.listRecords('Account').map((a) => [String(a['Website'] ?? ''), a.Id]));
  return {
    dir,
    configPath,
    emulator,
    writeUsage,
    withStore,
    accountId: (domain) => ids.get(domain) ?? '',
    opportunitiesOf: (domain) => emulator.listRecords('Opportunity').filter((o) => o['AccountId'] === ids.get(domain)),
    advance: (ms) => {
      clock += ms;
    },
    run: async (mode = 'live', runOptions = {}) => {
      const loaded = await loadConfig(configPath, { env: { SALESFORCE_CLIENT_SECRET: emulator.clientSecret } });
      const log = silentLogger();
      const crm = await createCrmConnector({ loaded, log, sleep });
      try {
        return await withStore((store) => runSync(runOptionsFrom({ loaded, crm, store, log, mode, asOf: AS_OF, fullRead: runOptions.fullRead === true })));
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
  const owners = ['2001', '2002'];
  return {
    users: [
      { Username: 'integration@vendor.example', FirstName: 'Integration', LastName: 'User', Email: 'integration@vendor.example' },
      { Username: 'dana.ae@vendor.example', FirstName: 'Dana', LastName: 'Reyes', Email: 'dana.ae@vendor.example' },
      { Username: 'sam.csm@vendor.example', FirstName: 'Sam', LastName: 'Okafor', Email: 'sam.csm@vendor.example' },
    ],
    fields: {
      Account: [
        { name: 'ARR__c', type: 'currency' as const, precision: 18, scale: 2 },
        { name: 'Licensed_Seats__c', type: 'double' as const, precision: 18, scale: 0 },
        { name: 'Plan__c', type: 'string' as const, length: 40 },
        { name: 'Modules_Owned__c', type: 'string' as const, length: 255 },
        { name: 'Renewal_Date__c', type: 'date' as const },
      ],
    },
    accounts: companies.map((c) => ({
      Name: c.name,
      Website: c.domain,
      OwnerId: seededUserId(owners.indexOf(c.ownerId) + 1),
      ARR__c: c.seats * 600,
      Licensed_Seats__c: c.seats,
      Plan__c: c.plan,
      Modules_Owned__c: 'core',
      Renewal_Date__c: c.renewalDate,
      NumberOfEmployees: c.seats * 4,
    })),
  };
}

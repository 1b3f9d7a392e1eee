import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmConnector } from '../../connectors/index.ts';
import { crmIds, registerCrm } from '../../connectors/crm-registry.ts';
import { runOptionsFrom } from '../../src/cli/run-options.ts';
import { configSystem, loadConfig } from '../../src/config/load.ts';
import type { RunReport } from '../../src/engine/report.ts';
import { runSync } from '../../src/engine/run.ts';
import { ConfigError } from '../../src/errors.ts';
import { silentLogger } from '../../src/logger.ts';
import { storeIn } from '../support/store.ts';
import { toCsv, usageSeries } from '../support/usage.ts';
import { memoryCrmEntry, memoryState, type MemoryCrmState } from './memory-crm.ts';

/**
 * The must-show of one seam per CRM: a third CRM, in memory, joins through the registry from the test
 * folder, and a full sync runs on it through the product's own entry points. Nothing in src/ knows it.
 */

const AS_OF = '2026-11-20';

const ACCOUNTS_YAML = `version: 1
system: memory
object: accounts
entity: account
read:
  - { field: name, to: name }
  - { field: domain, to: domain, transforms: [trim, lowercase] }
  - { field: owner, to: ownerId }
  - { field: arr, to: arr, transforms: [number] }
  - { field: seats, to: licensedSeats, transforms: [integer] }
  - { field: plan, to: plan, transforms: [lowercase] }
  - { field: renewal, to: renewalDate, transforms: [date] }
write:
  - { from: score, field: x_score }
  - { from: health, field: x_health }
  - { from: timing, field: x_timing }
  - { from: potentialArr, field: x_potential_arr }
  - { from: reasons, field: x_reasons }
`;

const OPPORTUNITIES_YAML = `version: 1
system: memory
object: opportunities
entity: opportunity
read:
  - { field: expansion_key, to: expansionKey }
  - { field: x_motion, to: motion }
  - { field: title, to: name }
  - { field: stage, to: stage }
write:
  - { from: name, field: title, policy: create-only }
  - { from: amount, field: amount }
  - { from: stage, field: stage, policy: create-only }
  - { from: expansionKey, field: expansion_key, policy: create-only }
  - { from: motion, field: x_motion, policy: create-only }
  - { from: probability, field: x_probability }
`;

const account = (name: string, domain: string, seats: number, renewal: string) => ({
  name,
  domain,
  owner: 'u1',
  arr: String(seats * 600),
  seats: String(seats),
  plan: 'growth',
  renewal,
});

let dir = '';
let state: MemoryCrmState;
let unregister: () => void = () => {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-memory-'));
  state = memoryState({
    owners: [{ id: 'u1', name: 'Dana Reyes', email: 'dana@example.com', active: true }],
    accounts: [
      account('Acme Analytics', 'acme.example', 50, '2027-08-01'),
      account('Birch Logistics', 'birch.example', 40, '2027-06-01'),
      account('Ember Retail', 'ember.example', 100, '2027-09-15'),
    ],
  });
  unregister = registerCrm(memoryCrmEntry(state));
  await writeFile(path.join(dir, 'memory.accounts.yaml'), ACCOUNTS_YAML);
  await writeFile(path.join(dir, 'memory.opportunities.yaml'), OPPORTUNITIES_YAML);
  const flat = (activeUsers: number, seatsUsed: number) => () => ({ activeUsers, seatsUsed });
  const usage = [
    ...usageSeries({ key: 'acme.example', asOf: AS_OF, days: 60, shape: flat(42, 44) }),
    ...usageSeries({ key: 'birch.example', asOf: AS_OF, days: 60, shape: flat(28, 30) }),
    ...usageSeries({ key: 'ember.example', asOf: AS_OF, days: 60, shape: flat(85, 90) }),
  ];
  await writeFile(path.join(dir, 'usage.csv'), toCsv(usage));
  const crm = { memory: { mappings: { account: 'memory.accounts.yaml', opportunity: 'memory.opportunities.yaml' } } };
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ name: 'memory', dataDir: '.', crm, usage: { source: 'file', path: 'usage.csv' } }),
  );
});

afterAll(async () => {
  unregister();
  await rm(dir, { recursive: true, force: true });
});

/** One sync the way the CLI runs it: load the config, create the connector through the registry, run. */
async function sync(): Promise<RunReport> {
  const loaded = await loadConfig(path.join(dir, 'config.json'), { env: {} });
  const log = silentLogger();
  const crm = await createCrmConnector({ loaded, log });
  try {
    return await storeIn(dir)((store) =>
      runSync(runOptionsFrom({ loaded, crm, store, log, mode: 'live', asOf: AS_OF })),
    );
  } finally {
    await crm.close();
  }
}

describe('a third CRM, registered from the test folder', () => {
  it('is known to the registry and the config loader once registered', async () => {
    expect(crmIds()).toEqual(['hubspot', 'salesforce', 'memory']);
    const loaded = await loadConfig(path.join(dir, 'config.json'), { env: {} });
    expect(configSystem(loaded)).toBe('memory');
  });

  it('rejects a CRM key no entry owns, and a registered CRM block that does not fit its schema', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'bad',
        crm: { memory: { mappings: { account: 'a.yaml' } }, memry: {} },
        usage: { source: 'file', path: 'u.csv' },
      }),
    );
    const error = await loadConfig(file, { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).issues.map((i) => i.path);
    expect(paths).toContain('crm.memry');
    expect(paths).toContain('crm.memory.mappings.opportunity');
  });

  it('runs a full sync: reads and scores the accounts, writes score fields, deals and notes', async () => {
    const report = await sync();
    expect(report.status).toBe('succeeded');
    expect(report.system).toBe('memory');
    expect(report.read.accounts).toBe(3);
    expect(report.scored).toBe(3);
    expect(report.schema.disabled).toEqual([]);
    expect(report.writes.account.updated).toBe(3);
    expect(report.writes.opportunity.created).toBeGreaterThan(0);
    expect(report.writes.note.created).toBe(report.writes.opportunity.created);
    // What the CRM now holds, in its own raw fields.
    const acme = [...state.accounts.values()].find((a) => a['domain'] === 'acme.example');
    expect(Number(acme?.['x_score'])).toBeGreaterThan(0);
    expect(acme?.['x_health']).toMatch(/^(green|yellow|red)$/);
    const deals = [...state.opportunities.values()];
    expect(deals).toHaveLength(report.writes.opportunity.created);
    for (const deal of deals) {
      expect(deal.values['expansion_key']).toBeTruthy();
      expect(deal.values['stage']).toBe('new');
      expect(state.notes.filter((n) => n.opportunityId === deal.id)).toHaveLength(1);
    }
    expect(state.fields.opportunity.get('expansion_key')?.unique).toBe(true);
  });

  it('a rerun on the same inputs makes zero write calls and creates nothing twice', async () => {
    const calls = state.writeCalls;
    const deals = state.opportunities.size;
    const notes = state.notes.length;
    const report = await sync();
    expect(report.status).toBe('succeeded');
    expect(report.writes).toEqual({
      account: { created: 0, updated: 0, failed: 0 },
      opportunity: { created: 0, updated: 0, failed: 0 },
      note: { created: 0, updated: 0, failed: 0 },
    });
    expect(state.writeCalls).toBe(calls);
    expect(state.opportunities.size).toBe(deals);
    expect(state.notes.length).toBe(notes);
    // Each opportunity was written once, when the first sync created it.
    expect([...state.opportunityWrites.values()]).toEqual([...state.opportunities.keys()].map(() => 1));
  });
});

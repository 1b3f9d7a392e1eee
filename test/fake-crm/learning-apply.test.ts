import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmConnector } from '../../connectors/index.ts';
import { registerCrm } from '../../connectors/crm-registry.ts';
import { runOptionsFrom } from '../../src/cli/run-options.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { RunMode, RunReport } from '../../src/engine/report.ts';
import { runSync } from '../../src/engine/run.ts';
import { silentLogger } from '../../src/logger.ts';
import type { LearningRecord } from '../../src/outcomes/types.ts';
import { defaultScoringConfig } from '../../src/scoring/config.ts';
import { storeIn } from '../support/store.ts';
import { toCsv, usageSeries } from '../support/usage.ts';
import { memoryCrmEntry, memoryState } from './memory-crm.ts';

/**
 * An applied recalibration scores the next run (learning.mode apply): its weights move the score and its
 * Platt calibration every win probability; under report mode the configured weights stay. A live run
 * recalibrates at its end, once per scoring date.
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

/** Seat utilization learned worthless, probabilities learned a logit lower. */
const LEARNED: LearningRecord = {
  system: 'memory',
  id: 'learned-1',
  at: '2026-11-01T06:00:00.000Z',
  asOf: '2026-11-01',
  mode: 'apply',
  data: { won: 240, lost: 260, from: '2026-06-01', to: '2026-10-31' },
  before: { signalWeights: defaultScoringConfig().score.signalWeights, platt: { a: 1, b: 0 } },
  after: {
    signalWeights: { ...defaultScoringConfig().score.signalWeights, seat_utilization: 0 },
    platt: { a: 1, b: -1 },
  },
  backtest: {
    splitAt: '2026-09-15',
    train: 350,
    test: 150,
    aucBefore: 0.6,
    aucAfter: 0.7,
    calibrationErrorBefore: 0.12,
    calibrationErrorAfter: 0.05,
  },
  decision: 'applied',
  message: 'applied',
};

let dir = '';
let unregister: () => void = () => {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-learning-'));
  const account = (name: string, domain: string, seats: number) => ({
    name,
    domain,
    owner: 'u1',
    arr: String(seats * 600),
    seats: String(seats),
    plan: 'growth',
    renewal: '2027-08-01',
  });
  const state = memoryState({
    owners: [{ id: 'u1', name: 'Dana Reyes', email: 'dana@example.com', active: true }],
    accounts: [account('Acme Analytics', 'acme.example', 50), account('Ember Retail', 'ember.example', 100)],
  });
  unregister = registerCrm(memoryCrmEntry(state));
  await writeFile(path.join(dir, 'memory.accounts.yaml'), ACCOUNTS_YAML);
  await writeFile(path.join(dir, 'memory.opportunities.yaml'), OPPORTUNITIES_YAML);
  const flat = (activeUsers: number, seatsUsed: number) => () => ({ activeUsers, seatsUsed });
  const usage = [
    ...usageSeries({ key: 'acme.example', asOf: AS_OF, days: 60, shape: flat(42, 46) }),
    ...usageSeries({ key: 'ember.example', asOf: AS_OF, days: 60, shape: flat(85, 92) }),
  ];
  await writeFile(path.join(dir, 'usage.csv'), toCsv(usage));
  await storeIn(dir)((store) => store.saveLearning(LEARNED));
});

afterAll(async () => {
  unregister();
  await rm(dir, { recursive: true, force: true });
});

async function sync(mode: 'report' | 'apply' | 'off', runMode: RunMode): Promise<RunReport> {
  const crm = { memory: { mappings: { account: 'memory.accounts.yaml', opportunity: 'memory.opportunities.yaml' } } };
  const file = path.join(dir, `config-${mode}.json`);
  await writeFile(
    file,
    JSON.stringify({
      name: 'memory',
      dataDir: '.',
      crm,
      usage: { source: 'file', path: 'usage.csv' },
      learning: { mode, holdoutShare: 0 },
    }),
  );
  const loaded = await loadConfig(file, { env: {} });
  const log = silentLogger();
  const connector = await createCrmConnector({ loaded, log });
  try {
    return await storeIn(dir)((store) =>
      runSync(runOptionsFrom({ loaded, crm: connector, store, log, mode: runMode, asOf: AS_OF })),
    );
  } finally {
    await connector.close();
  }
}

const acme = (report: RunReport) => {
  const row = report.top.find((t) => t.accountName === 'Acme Analytics' && t.motion === 'seat_add');
  expect(row, 'Acme has a seat add').toBeDefined();
  return row!;
};

describe('an applied recalibration in the engine', () => {
  it('scores with the learned weights and calibrated probabilities under learning.mode apply only', async () => {
    const configured = acme(await sync('report', 'dry-run'));
    const learned = acme(await sync('apply', 'dry-run'));
    expect(learned.score).toBeLessThan(configured.score);
    const p = configured.probability;
    const calibrated = 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) - 1)));
    expect(learned.probability).toBe(Math.round(calibrated * 100) / 100);
    expect(acme(await sync('off', 'dry-run'))).toEqual(configured);
  });

  it('a live run recalibrates at its end once per scoring date, and not at all with learning off', async () => {
    const count = () => storeIn(dir)(async (store) => (await store.listLearning('memory')).length);
    await sync('off', 'live');
    expect(await count()).toBe(1);
    await sync('apply', 'live');
    const records = await storeIn(dir)((store) => store.listLearning('memory'));
    expect(records).toHaveLength(2);
    const latest = records.find((r) => r.asOf === AS_OF);
    // No closed outcomes yet: below the gate, and the applied weights stay in force.
    expect(latest?.decision).toBe('below_gate');
    expect(latest?.before).toEqual(LEARNED.after);
    await sync('apply', 'live');
    expect(await count()).toBe(2);
  });
});

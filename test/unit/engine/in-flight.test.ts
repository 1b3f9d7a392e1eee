import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyConnector } from '../../../src/engine/apply.ts';
import type { AccountUpdate, WriteOutcome } from '../../../src/engine/crm.ts';
import { IN_FLIGHT_STREAM, reconcileInFlight } from '../../../src/engine/in-flight.ts';
import { planWrites } from '../../../src/engine/plan.ts';
import { defaultNormalize } from '../../../src/engine/plan-fields.ts';
import { silentLogger } from '../../../src/logger.ts';
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';
import type { StateStore } from '../../../src/state/store.ts';
import { account, assessment, opportunity, planInput, WRITTEN_ACCOUNT } from './plan-fixtures.ts';

let dir = '';
let store: StateStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-in-flight-'));
  store = await openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const SYNC = 'acme';
const NOW = () => new Date('2026-12-07T06:00:00Z');

describe('a write batch in flight when the run is killed', () => {
  it('is kept in the store from just before the CRM call until its outcomes are recorded', async () => {
    let during: unknown;
    const crm: ApplyConnector = {
      system: 'hubspot',
      objects: { account: 'companies', opportunity: 'deals', note: 'notes' },
      maxBatchSize: 100,
      updateAccounts: async (updates: readonly AccountUpdate[]) => {
        during = await store.getCheckpoint(SYNC, IN_FLIGHT_STREAM);
        return updates.map((u): WriteOutcome => ({ ref: u.accountId, status: 'updated', crmId: u.accountId }));
      },
      upsertOpportunities: async () => [],
      createNotes: async () => [],
      findNotes: async () => new Map(),
    };
    const fields = { es_score: '75', es_scored_at: '2026-12-07' };
    await applyPlan({
      plan: {
        accountUpdates: [{ accountId: '1', accountName: 'Acme', fields, diffs: [] }],
        opportunities: [],
        notes: [],
        skips: [],
        adopt: [],
      },
      crm,
      store,
      runId: 'run-2',
      now: NOW,
      log: silentLogger(),
      sync: SYNC,
    });
    expect(during).toEqual({ runId: 'run-2', object: 'companies', records: [{ key: '1', fields }] });
    expect(await store.getCheckpoint(SYNC, IN_FLIGHT_STREAM)).toBeUndefined();
  });

  it("the next run takes as ours only the fields the CRM holds as sent: a person's clear made before it stays theirs", async () => {
    // Our last recorded write, then a person cleared health; the killed run sent a new score and stamp
    // (health was a conflict, so not sent), and the CRM saved them before the kill.
    const ours = { system: 'hubspot', objectType: 'companies', recordKey: '1', runId: 'run-1' };
    await store.recordWrite({ ...ours, fields: WRITTEN_ACCOUNT, at: '2026-11-30T06:00:00Z' });
    const sent = { es_score: '75', es_scored_at: '2026-12-07', es_potential: '15000' };
    await store.setCheckpoint(SYNC, IN_FLIGHT_STREAM, {
      runId: 'run-2',
      object: 'companies',
      records: [{ key: '1', fields: sent }],
    });
    // The CRM: what the killed run sent landed, except es_potential, which a person changed afterwards.
    const crmValues = { ...WRITTEN_ACCOUNT, ...sent, es_health: '', es_potential: '9000' };
    const planWith = (ledger: Readonly<Record<string, string | null>>) =>
      planWrites(
        planInput(
          [{ account: account('1'), assessment: assessment('1', [opportunity()], { asOf: '2026-12-07', score: 75 }) }],
          {
            asOf: '2026-12-07',
            currentAccountValues: new Map([['1', crmValues]]),
            accountLedgers: new Map([['1', ledger]]),
          },
        ),
      );
    // Without the batch in flight, the CRM's newer stamp reads as a store left behind: the clear is taken
    // for ours and health written back (what a killed run used to cost).
    expect(planWith(await store.getLedger(ours)).accountUpdates[0]?.fields).toHaveProperty('es_health', 'green');
    const reconciled = await reconcileInFlight({
      store,
      sync: SYNC,
      system: 'hubspot',
      objects: { account: 'companies', opportunity: 'deals' },
      currentAccounts: new Map([['1', crmValues]]),
      opportunities: [],
      normalize: defaultNormalize,
      runId: 'run-3',
      now: NOW,
    });
    expect(reconciled).toBe(1);
    expect(await store.getCheckpoint(SYNC, IN_FLIGHT_STREAM)).toBeUndefined();
    const ledger = await store.getLedger(ours);
    expect(ledger).toMatchObject({ es_score: '75', es_scored_at: '2026-12-07', es_health: 'green' });
    expect(ledger['es_potential']).toBe(WRITTEN_ACCOUNT.es_potential);

    // The rerun on the same inputs: the person's clear is a conflict, never overwritten.
    const plan = planWith(ledger);
    expect(plan.accountUpdates.flatMap((u) => Object.keys(u.fields))).not.toContain('es_health');
    expect(plan.skips).toContainEqual(expect.objectContaining({ field: 'es_health', reason: 'conflict' }));
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, SHUTDOWN_CODE, type ApplyConnector, type ApplyOptions } from '../../../src/engine/apply.ts';
import type { WriteOutcome } from '../../../src/engine/crm.ts';
import { exitCodeForReport, EXIT } from '../../../src/cli/exit-codes.ts';
import type { RunReport } from '../../../src/engine/report.ts';
import {
  planWrites,
  type PlannedAccountUpdate,
  type PlannedNote,
  type PlannedOpportunity,
  type WritePlan,
} from '../../../src/engine/plan.ts';
import { SyncError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/logger.ts';
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';
import type { StateStore } from '../../../src/state/store.ts';
import { account as crmAccount, assessment, opportunity, planInput } from './plan-fixtures.ts';

let dir = '';
let store: StateStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-apply-'));
  store = await openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const account = (id: string): PlannedAccountUpdate => ({
  accountId: id,
  accountName: `Account ${id}`,
  fields: { es_score: id },
  diffs: [],
});
const deal = (key: string, create = true): PlannedOpportunity => ({
  key,
  accountId: '1',
  accountName: 'Account 1',
  create,
  fields: { amount: '1' },
  diffs: [],
  ...(create ? {} : { crmId: `crm-${key}` }),
});
const note = (key: string, extra: Partial<PlannedNote> = {}): PlannedNote => ({
  key,
  accountId: '1',
  accountName: 'Account 1',
  opportunityKey: 'k1',
  title: 't',
  body: 'b',
  pending: false,
  ...extra,
});
const plan = (extra: Partial<WritePlan>): WritePlan => ({
  accountUpdates: [],
  opportunities: [],
  notes: [],
  skips: [],
  adopt: [],
  ...extra,
});
const ok = (ref: string, status: 'created' | 'updated' = 'created'): WriteOutcome => ({
  ref,
  status,
  crmId: `crm-${ref}`,
});

type Send = (refs: readonly string[]) => Promise<readonly WriteOutcome[]>;

/** A connector that logs each call and answers with `send` (every record created by default). */
function fakeCrm(options: { send?: Send; found?: ReadonlyMap<string, string>; batch?: number } = {}) {
  const calls: string[] = [];
  const send = options.send ?? (async (refs) => refs.map((ref) => ok(ref)));
  const crm: ApplyConnector = {
    system: 'hubspot',
    objects: { account: 'companies', opportunity: 'deals', note: 'notes' },
    maxBatchSize: options.batch ?? 100,
    updateAccounts: async (updates) => (
      calls.push(`accounts ${updates.map((u) => u.accountId).join(',')}`),
      send(updates.map((u) => u.accountId))
    ),
    upsertOpportunities: async (upserts) => (
      calls.push(`deals ${upserts.map((u) => u.key).join(',')}`),
      send(upserts.map((u) => u.key))
    ),
    createNotes: async (notes) => (
      calls.push(`notes ${notes.map((n) => n.key).join(',')}`),
      send(notes.map((n) => n.key))
    ),
    findNotes: async (pending) => (
      calls.push(`find ${pending.map((n) => n.key).join(',')}`),
      options.found ?? new Map()
    ),
  };
  return { crm, calls };
}

function apply(writePlan: WritePlan, crm: ApplyConnector, extra: Partial<ApplyOptions> = {}) {
  return applyPlan({
    plan: writePlan,
    crm,
    store,
    runId: 'run-1',
    now: () => new Date('2026-11-30T06:00:00Z'),
    log: silentLogger(),
    ...extra,
  });
}

describe('applyPlan', () => {
  it("sends accounts, then deals, then notes, in the connector's batch size, recording each batch before the next", async () => {
    const seen: string[] = [];
    const { crm, calls } = fakeCrm({
      batch: 2,
      send: async (refs) => {
        // The batch before this one is already in the ledger when this one is sent.
        seen.push(`${refs[0] ?? ''}:${(await store.getArtifact('hubspot', 'k1'))?.status ?? 'none'}`);
        return refs.map((ref) => ok(ref));
      },
    });
    const progress: number[] = [];
    const result = await apply(
      plan({
        accountUpdates: [account('1')],
        opportunities: [deal('k1'), deal('k2'), deal('k3')],
        notes: [note('n1')],
      }),
      crm,
      {
        onProgress: (done) => progress.push(done),
      },
    );
    expect(calls).toEqual(['accounts 1', 'deals k1,k2', 'deals k3', 'notes n1']);
    expect(seen).toEqual(['1:none', 'k1:pending', 'k3:done', 'n1:done']);
    expect(progress).toEqual([1, 3, 4, 5]);
    expect(result).toEqual({
      writes: {
        account: { created: 1, updated: 0, failed: 0 },
        opportunity: { created: 3, updated: 0, failed: 0 },
        note: { created: 1, updated: 0, failed: 0 },
      },
      failures: [],
      updatedAccounts: ['1'],
    });
    expect(await store.getLedger({ system: 'hubspot', objectType: 'companies', recordKey: '1' })).toEqual({
      es_score: '1',
    });
    expect(await store.getArtifact('hubspot', 'n1')).toMatchObject({
      status: 'done',
      crmId: 'crm-n1',
      parentKey: 'crm-k1',
    });
  });

  it('writes ahead only what it creates: a pending key before the create, none before an update', async () => {
    const during: Record<string, string> = {};
    const { crm } = fakeCrm({
      send: async (refs) => {
        for (const ref of refs) during[ref] = (await store.getArtifact('hubspot', ref))?.status ?? 'none';
        return refs.map((ref) => ok(ref, ref === 'k2' ? 'updated' : 'created'));
      },
    });
    const result = await apply(plan({ opportunities: [deal('k1'), deal('k2', false)] }), crm);
    expect(during).toEqual({ k1: 'pending', k2: 'none' });
    expect(result.writes.opportunity).toEqual({ created: 1, updated: 1, failed: 0 });
    expect(await store.getLedger({ system: 'hubspot', objectType: 'deals', recordKey: 'k2' })).toEqual({ amount: '1' });
  });

  it("one failed record is queued with the CRM's message and does not fail its batch; a later success clears it", async () => {
    const { crm } = fakeCrm({
      send: async (refs) =>
        refs.map((ref) =>
          ref === '2'
            ? { ref, status: 'failed', code: 'INVALID', message: 'bad value', retryable: false }
            : ok(ref, 'updated'),
        ),
    });
    const result = await apply(plan({ accountUpdates: [account('1'), account('2')] }), crm);
    expect(result.updatedAccounts).toEqual(['1']);
    expect(result.failures).toEqual([
      { object: 'companies', recordKey: '2', accountName: 'Account 2', code: 'INVALID', message: 'bad value' },
    ]);
    expect(await store.listFailures({ runId: 'run-1' })).toEqual([
      expect.objectContaining({ recordKey: '2', retryable: false, payload: { es_score: '2' }, attempts: 1 }),
    ]);
    await apply(plan({ accountUpdates: [account('2')] }), fakeCrm().crm, { runId: 'run-2' });
    expect(await store.listFailures()).toEqual([]);
  });

  it.each([
    [
      'a transient failure',
      new SyncError('503 after retries', { code: 'hubspot_unavailable', kind: 'transient' }),
      true,
    ],
    ['a data failure', new SyncError('rejected', { code: 'hubspot_validation', kind: 'data' }), false],
  ])('%s of a whole call fails each record in it, and the run goes on', async (_name, error, retryable) => {
    const { crm, calls } = fakeCrm({
      send: async (refs) => (refs[0] === '1' ? Promise.reject(error) : refs.map((ref) => ok(ref))),
    });
    const result = await apply(plan({ accountUpdates: [account('1')], opportunities: [deal('k1')] }), crm);
    expect(calls).toEqual(['accounts 1', 'deals k1']);
    expect(result.writes.account.failed).toBe(1);
    expect(result.writes.opportunity.created).toBe(1);
    expect(await store.listFailures()).toEqual([
      expect.objectContaining({ recordKey: '1', code: error.code, message: error.message, retryable }),
    ]);
  });

  it('an out-of-quota call stops the run cleanly: nothing after it is sent, nothing in it is queued', async () => {
    const quota = new SyncError('daily limit reached', { code: 'hubspot_daily_limit', kind: 'quota' });
    const { crm, calls } = fakeCrm({
      send: async (refs) => (refs[0] === 'k1' ? Promise.reject(quota) : refs.map((ref) => ok(ref))),
    });
    const result = await apply(
      plan({ accountUpdates: [account('1')], opportunities: [deal('k1')], notes: [note('n1')] }),
      crm,
    );
    expect(calls).toEqual(['accounts 1', 'deals k1']);
    expect(result.stopped).toEqual({
      code: 'hubspot_daily_limit',
      message: 'daily limit reached',
      phase: 'apply',
      kind: 'quota',
    });
    expect(exitCodeForReport(stoppedReport(result.stopped))).toBe(EXIT.quota);
    expect(result.updatedAccounts).toEqual(['1']);
    expect(await store.listFailures()).toEqual([]);
    expect(await store.getArtifact('hubspot', 'k1')).toMatchObject({ status: 'pending' });
  });

  it('asked to stop, it finishes and records the batch in flight, then sends nothing more', async () => {
    const stop = new AbortController();
    const { crm, calls } = fakeCrm({ batch: 1, send: async (refs) => (stop.abort(), refs.map((ref) => ok(ref))) });
    const result = await apply(plan({ opportunities: [deal('k1'), deal('k2')] }), crm, { signal: stop.signal });
    expect(calls).toEqual(['deals k1']);
    expect(result.stopped).toEqual({
      code: SHUTDOWN_CODE,
      message: expect.stringContaining('1 of 2 writes done') as unknown,
      phase: 'apply',
    });
    expect(await store.getArtifact('hubspot', 'k1')).toMatchObject({ status: 'done', crmId: 'crm-k1' });
  });

  it('a note left pending by a crash and found in the CRM is recorded, not sent again; a note whose deal failed waits', async () => {
    const { crm, calls } = fakeCrm({
      found: new Map([['n1', 'N-77']]),
      send: async (refs) =>
        refs.map((ref): WriteOutcome =>
          ref === 'k2' ? { ref, status: 'failed', code: 'X', message: 'no', retryable: true } : ok(ref),
        ),
    });
    const notes = [
      note('n1', { pending: true, opportunityId: 'D-1' }),
      note('n2', { opportunityKey: 'k2' }),
      note('n3', { opportunityId: 'AE-9' }),
    ];
    const result = await apply(plan({ opportunities: [deal('k2')], notes }), crm);
    // n3's deal existed before this run and the store holds no confirmed note for it: it is looked up too.
    expect(calls).toEqual(['deals k2', 'find n1,n3', 'notes n3']);
    expect(result.writes.note).toEqual({ created: 1, updated: 0, failed: 0 });
    expect(await store.getArtifact('hubspot', 'n1')).toMatchObject({ status: 'done', crmId: 'N-77', parentKey: 'D-1' });
    expect(await store.getArtifact('hubspot', 'n2')).toBeUndefined();
  });

  it('adopts records whose CRM values already match into the ledger without a CRM call', async () => {
    const { crm, calls } = fakeCrm();
    await apply(plan({ adopt: [{ object: 'deals', recordKey: 'k9', fields: { amount: '5' } }] }), crm);
    expect(calls).toEqual([]);
    expect(await store.getLedger({ system: 'hubspot', objectType: 'deals', recordKey: 'k9' })).toEqual({ amount: '5' });
  });

  it('credentials rejected mid-run stop the run as auth (exit 3): nothing after it is sent, nothing is marked failed', async () => {
    const expired = new SyncError('token expired', { code: 'hubspot_auth', kind: 'auth' });
    const { crm, calls } = fakeCrm({
      batch: 1,
      send: async (refs) => (refs[0] === 'k2' ? Promise.reject(expired) : refs.map((ref) => ok(ref))),
    });
    const result = await apply(
      plan({
        accountUpdates: [account('1')],
        opportunities: [deal('k1'), deal('k2'), deal('k3')],
        notes: [note('n1')],
      }),
      crm,
    );
    expect(calls).toEqual(['accounts 1', 'deals k1', 'deals k2']);
    expect(result.stopped).toEqual({ code: 'hubspot_auth', message: 'token expired', phase: 'apply', kind: 'auth' });
    expect(result.failures).toEqual([]);
    expect(result.writes.opportunity).toEqual({ created: 1, updated: 0, failed: 0 });
    expect(await store.listFailures()).toEqual([]);
    expect(exitCodeForReport(stoppedReport(result.stopped))).toBe(EXIT.auth);
    expect(EXIT.auth).toBe(3);
  });
});

describe('applyPlan over several runs: what counts toward writeBack.maxRetries', () => {
  const items = [{ account: crmAccount('1'), assessment: assessment('1', [opportunity()]) }];
  /** Plans a run as run.ts does: from the failed-write queue the earlier runs left. */
  const planRun = async (maxRetries: number) => {
    const failures = new Map((await store.listFailures()).map((f) => [`${f.objectType}:${f.recordKey}`, f]));
    return planWrites(planInput(items, { maxRetries, failures }));
  };
  const capSkips = (p: WritePlan) => p.skips.filter((s) => s.reason === 'retry_cap').map((s) => s.recordKey);

  it('an outage (5xx after retries) for more runs than maxRetries spends no retry: the next healthy run writes every record', async () => {
    const outage = new SyncError('503 Service Unavailable after retries', {
      code: 'hubspot_unavailable',
      kind: 'transient',
    });
    const down = fakeCrm({ send: async () => Promise.reject(outage) });
    for (const runId of ['run-1', 'run-2']) {
      const result = await apply(await planRun(1), down.crm, { runId });
      expect(result.stopped).toBeUndefined();
      expect(result.writes.account.failed).toBe(1);
    }
    expect(down.calls).toEqual([
      'accounts 1',
      'deals hubspot-1-seat_add-2026q4',
      'accounts 1',
      'deals hubspot-1-seat_add-2026q4',
    ]);

    const healthy = fakeCrm();
    const third = await planRun(1);
    expect(capSkips(third)).toEqual([]);
    const result = await apply(third, healthy.crm, { runId: 'run-3' });
    expect(healthy.calls).toEqual([
      'accounts 1',
      'deals hubspot-1-seat_add-2026q4',
      `notes ${third.notes[0]?.key ?? 'a note'}`,
    ]);
    expect(result.writes).toEqual({
      account: { created: 1, updated: 0, failed: 0 },
      opportunity: { created: 1, updated: 0, failed: 0 },
      note: { created: 1, updated: 0, failed: 0 },
    });
    expect(await store.listFailures()).toEqual([]);
  });

  it('a validation failure of one record still counts: after maxRetries runs it is skipped as retry_cap', async () => {
    const { crm, calls } = fakeCrm({
      send: async (refs) =>
        refs.map((ref): WriteOutcome =>
          ref === '1'
            ? { ref, status: 'failed', code: 'INVALID_OPTION', message: 'bad value', retryable: false }
            : ok(ref),
        ),
    });
    for (const runId of ['run-1', 'run-2']) await apply(await planRun(2), crm, { runId });
    expect(calls.filter((c) => c === 'accounts 1')).toHaveLength(2);

    const third = await planRun(2);
    expect(capSkips(third)).toEqual(['1']);
    expect(third.accountUpdates).toEqual([]);
  });
});

/** The run report of a run that stopped, as the CLI maps it to an exit code. */
function stoppedReport(stopped: RunReport['stopped']): RunReport {
  return { status: 'stopped', ...(stopped ? { stopped } : {}) } as RunReport;
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyConnector } from '../../../src/engine/apply.ts';
import type { NoteCreate, PendingNote, WriteOutcome } from '../../../src/engine/crm.ts';
import type { PlannedNote, PlannedOpportunity, WritePlan } from '../../../src/engine/plan.ts';
import { SyncError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/logger.ts';
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';
import type { StateStore } from '../../../src/state/store.ts';

let dir = '';
let store: StateStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-apply-notes-'));
  store = await openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const note = (key: string, extra: Partial<PlannedNote> = {}): PlannedNote => ({
  key,
  accountId: 'A-1',
  accountName: 'Account 1',
  opportunityId: `D-${key}`,
  title: `title ${key}`,
  body: 'b',
  pending: false,
  ...extra,
});
const plan = (notes: readonly PlannedNote[], opportunities: readonly PlannedOpportunity[] = []): WritePlan => ({
  accountUpdates: [],
  opportunities,
  notes,
  skips: [],
  adopt: [],
});

/** The call policy's error after a create the CRM may have saved (a 502 or a reset after the request went out). */
const lostAnswer = (): SyncError =>
  new SyncError('hubspot notes.create failed (HTTP 502): the request may have been processed', {
    code: 'hubspot_server_error',
    kind: 'transient',
    details: { system: 'hubspot', call: 'notes.create', attempts: 1, status: 502, ambiguous: true },
  });

/**
 * An in-memory CRM holding notes by key. `lose` answers the next creates with `lostAnswer` after saving
 * (the answer lost) or before saving (`saves: false`).
 */
function memoryCrm(options: { lose?: Array<{ saves: boolean }> } = {}) {
  const saved = new Map<string, string>();
  const calls: string[] = [];
  const lose = [...(options.lose ?? [])];
  let next = 1;
  const crm: ApplyConnector = {
    system: 'hubspot',
    objects: { account: 'companies', opportunity: 'deals', note: 'notes' },
    maxBatchSize: 100,
    updateAccounts: async () => [],
    upsertOpportunities: async (upserts) => (
      calls.push(`deals ${upserts.map((u) => u.key).join(',')}`),
      upserts.map((u): WriteOutcome => ({ ref: u.key, status: 'created', crmId: `D-${u.key}` }))
    ),
    createNotes: async (notes: readonly NoteCreate[]) => {
      calls.push(`create ${notes.map((n) => n.key).join(',')}`);
      const fault = lose.shift();
      if (fault && !fault.saves) throw lostAnswer();
      const outcomes = notes.map((n): WriteOutcome => {
        const id = `N-${next++}`;
        saved.set(`${id}`, n.key);
        return { ref: n.key, status: 'created', crmId: id };
      });
      if (fault) throw lostAnswer();
      return outcomes;
    },
    findNotes: async (pending: readonly PendingNote[]) => {
      calls.push(`find ${pending.map((n) => n.key).join(',')}`);
      const found = new Map<string, string>();
      for (const [id, key] of saved) if (pending.some((p) => p.key === key)) found.set(key, id);
      return found;
    },
  };
  return { crm, calls, saved };
}

function apply(writePlan: WritePlan, crm: ApplyConnector) {
  return applyPlan({
    plan: writePlan,
    crm,
    store,
    runId: 'run-1',
    now: () => new Date('2026-11-30T06:00:00Z'),
    log: silentLogger(),
  });
}

/** Notes on deals created in this run: nothing to look up before the create. */
const onNewDeals = (keys: readonly string[]) => ({
  notes: keys.map((k): PlannedNote => {
    const { opportunityId: _known, ...rest } = note(k);
    return { ...rest, opportunityKey: `k-${k}` };
  }),
  deals: keys.map((k): PlannedOpportunity => ({
    key: `k-${k}`,
    accountId: 'A-1',
    accountName: 'Account 1',
    create: true,
    fields: {},
    diffs: [],
  })),
});

describe('note creates whose answer was lost', () => {
  it('the CRM saved the batch and the answer was lost: the notes are found by reference, counted once, never sent again', async () => {
    const { crm, calls, saved } = memoryCrm({ lose: [{ saves: true }] });
    const { notes, deals } = onNewDeals(['n1', 'n2', 'n3']);
    const result = await apply(plan(notes, deals), crm);
    expect(calls).toEqual(['deals k-n1,k-n2,k-n3', 'create n1,n2,n3', 'find n1,n2,n3']);
    expect(saved.size).toBe(3);
    expect(result.writes.note).toEqual({ created: 3, updated: 0, failed: 0 });
    expect(result.failures).toEqual([]);
    for (const key of ['n1', 'n2', 'n3'])
      expect(await store.getArtifact('hubspot', key)).toMatchObject({ status: 'done', crmId: expect.any(String) });
  });

  it('the CRM saved nothing before the failure: the lookup finds nothing and the notes are sent again, once', async () => {
    const { crm, calls, saved } = memoryCrm({ lose: [{ saves: false }] });
    const { notes, deals } = onNewDeals(['n1', 'n2']);
    const result = await apply(plan(notes, deals), crm);
    expect(calls).toEqual(['deals k-n1,k-n2', 'create n1,n2', 'find n1,n2', 'create n1,n2']);
    expect(saved.size).toBe(2);
    expect(result.writes.note).toEqual({ created: 2, updated: 0, failed: 0 });
  });

  it('every attempt is unconfirmed: the notes found count as created, the rest fail (retryable) and stay pending', async () => {
    const { crm, saved } = memoryCrm({ lose: [{ saves: false }, { saves: false }, { saves: false }] });
    const { notes, deals } = onNewDeals(['n1']);
    const result = await apply(plan(notes, deals), crm);
    expect(saved.size).toBe(0);
    expect(result.writes.note).toEqual({ created: 0, updated: 0, failed: 1 });
    expect(await store.getArtifact('hubspot', 'n1')).toMatchObject({ status: 'pending' });
    expect(await store.listFailures()).toEqual([expect.objectContaining({ recordKey: 'n1', retryable: true })]);
  });
});

describe('notes the store has no confirmed record of', () => {
  it('a note on a deal that existed before this run (store lost or restored) is looked up first and not created twice', async () => {
    const { crm, calls, saved } = memoryCrm();
    saved.set('N-OLD', 'n1');
    const result = await apply(plan([note('n1'), note('n2')]), crm);
    expect(calls).toEqual(['find n1,n2', 'create n2']);
    expect(result.writes.note).toEqual({ created: 1, updated: 0, failed: 0 });
    expect(await store.getArtifact('hubspot', 'n1')).toMatchObject({ status: 'done', crmId: 'N-OLD' });
    expect([...saved.values()].sort()).toEqual(['n1', 'n2']);
  });

  it('a note on a deal created in this run is created without a lookup', async () => {
    const { crm, calls } = memoryCrm();
    const { notes, deals } = onNewDeals(['n1']);
    await apply(plan(notes, deals), crm);
    expect(calls).toEqual(['deals k-n1', 'create n1']);
  });
});

describe('a note lookup refused for credentials', () => {
  it('stops the run as auth, like any call mid-run: nothing marked failed, the next run resumes', async () => {
    const { crm } = memoryCrm();
    const expired = new SyncError('hubspot notes.find: the access token expired', {
      code: 'hubspot_token_expired',
      kind: 'auth',
    });
    const result = await apply(plan([note('n1')]), {
      ...crm,
      findNotes: () => Promise.reject(expired),
    });
    expect(result.stopped).toMatchObject({ kind: 'auth', code: 'hubspot_token_expired' });
    expect(result.failures).toEqual([]);
    expect(result.writes.note).toEqual({ created: 0, updated: 0, failed: 0 });
  });
});

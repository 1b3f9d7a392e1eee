import { describe, expect, it } from 'vitest';
import type { Artifact, FailureInput } from '../../../src/state/store.ts';
import { useTempDirs } from './temp-dirs.ts';

const { openStore } = useTempDirs();

describe('write ledger', () => {
  it('merges the fields of successive writes and keeps cleared values as null', async () => {
    const store = await openStore();
    const ref = { system: 'hubspot', objectType: 'companies', recordKey: '1001' } as const;
    await store.recordWrite({
      ...ref,
      fields: { es_score: '61', es_tier: 'B' },
      runId: 'run-1',
      at: '2025-03-01T06:00:00.000Z',
    });
    await store.recordWrite({
      ...ref,
      fields: { es_score: '74', es_reason: null },
      runId: 'run-2',
      at: '2025-03-02T06:00:00.000Z',
    });

    expect(await store.getLedger(ref)).toEqual({ es_score: '74', es_tier: 'B', es_reason: null });
    expect(await store.getLedger({ ...ref, objectType: 'deals' })).toEqual({});
    expect(await store.getLedger({ ...ref, system: 'salesforce' })).toEqual({});
  });

  it('reads the ledgers of 3,000 records at once, keyed by record', async () => {
    const store = await openStore();
    for (let i = 0; i < 3_000; i += 1) {
      await store.recordWrite({
        system: 'hubspot',
        objectType: 'companies',
        recordKey: `c-${i}`,
        fields: { es_score: String(i % 100) },
        runId: 'run-1',
        at: '2025-03-01T06:00:00.000Z',
      });
    }
    await store.recordWrite({
      system: 'hubspot',
      objectType: 'deals',
      recordKey: 'c-7',
      fields: { amount: '1200' },
      runId: 'run-1',
      at: '2025-03-01T06:00:00.000Z',
    });
    const keys = [...Array.from({ length: 3_000 }, (_, i) => `c-${i}`), 'c-unknown'];

    const ledgers = await store.getLedgers('hubspot', 'companies', keys);
    expect(ledgers.size).toBe(3_000);
    expect(ledgers.get('c-2999')).toEqual({ es_score: '99' });
    expect(ledgers.get('c-7')).toEqual({ es_score: '7' });
    expect(ledgers.has('c-unknown')).toBe(false);
    expect((await store.getLedgers('hubspot', 'companies', [])).size).toBe(0);
  });
});

describe('artifacts', () => {
  const pending: Artifact = {
    system: 'hubspot',
    key: 'exp:1001:seat_add:2025Q1',
    kind: 'opportunity',
    status: 'pending',
    accountId: '1001',
    runId: 'run-1',
    updatedAt: '2025-03-01T06:00:00.000Z',
  };

  it('moves from pending to done and lists by kind and status', async () => {
    const store = await openStore();
    await store.putArtifact(pending);
    await store.putArtifact({
      system: 'hubspot',
      key: 'note:1',
      kind: 'note',
      status: 'pending',
      accountId: '1001',
      parentKey: pending.key,
      runId: 'run-1',
      updatedAt: '2025-03-01T06:00:00.000Z',
    });
    expect((await store.listArtifacts('hubspot', { status: 'pending' })).map((a) => a.key)).toEqual([
      pending.key,
      'note:1',
    ]);

    await store.putArtifact({
      ...pending,
      status: 'done',
      crmId: 'deal-77',
      runId: 'run-1',
      updatedAt: '2025-03-01T06:00:01.000Z',
    });
    expect(await store.getArtifact('hubspot', pending.key)).toEqual({
      ...pending,
      status: 'done',
      crmId: 'deal-77',
      updatedAt: '2025-03-01T06:00:01.000Z',
    });
    expect((await store.listArtifacts('hubspot', { kind: 'opportunity', status: 'pending' })).length).toBe(0);
    expect((await store.listArtifacts('hubspot', { kind: 'note' }))[0]).toMatchObject({
      key: 'note:1',
      parentKey: pending.key,
    });
    expect(await store.listArtifacts('salesforce')).toEqual([]);
  });

  it('never forgets a known CRM id when the artifact is marked pending again', async () => {
    const store = await openStore();
    await store.putArtifact({ ...pending, status: 'done', crmId: 'deal-77' });
    await store.putArtifact({ ...pending, runId: 'run-2' });
    expect(await store.getArtifact('hubspot', pending.key)).toMatchObject({
      status: 'pending',
      crmId: 'deal-77',
      runId: 'run-2',
    });
  });
});

describe('failed writes', () => {
  const failure: FailureInput = {
    system: 'hubspot',
    objectType: 'deals',
    recordKey: 'exp:1001:seat_add:2025Q1',
    runId: 'run-1',
    code: 'VALIDATION_ERROR',
    message: 'Property values were not valid: amount',
    retryable: false,
    payload: { properties: { amount: 'abc' } },
    at: '2025-03-01T06:00:00.000Z',
  };

  it('counts attempts, keeps the first failure time and clears', async () => {
    const store = await openStore();
    expect(await store.recordFailure(failure)).toEqual({ ...failure, attempts: 1, firstFailedAt: failure.at });
    const again = await store.recordFailure({
      ...failure,
      runId: 'run-2',
      message: 'still invalid',
      at: '2025-03-02T06:00:00.000Z',
    });
    expect(again).toMatchObject({
      attempts: 2,
      firstFailedAt: '2025-03-01T06:00:00.000Z',
      at: '2025-03-02T06:00:00.000Z',
      runId: 'run-2',
      message: 'still invalid',
    });
    expect(again.payload).toEqual(failure.payload);

    await store.clearFailure(failure);
    expect(await store.listFailures()).toEqual([]);
    expect((await store.recordFailure({ ...failure, at: '2025-03-03T06:00:00.000Z' })).attempts).toBe(1);
  });

  it('lists failures by system and by run', async () => {
    const store = await openStore();
    await store.recordFailure(failure);
    await store.recordFailure({ ...failure, recordKey: 'other', runId: 'run-2', retryable: true, payload: undefined });
    await store.recordFailure({ ...failure, system: 'salesforce', objectType: 'Opportunity', runId: 'run-2' });

    expect((await store.listFailures({ system: 'hubspot' })).map((f) => f.recordKey)).toEqual([
      failure.recordKey,
      'other',
    ]);
    expect((await store.listFailures({ runId: 'run-2' })).map((f) => f.system)).toEqual(['hubspot', 'salesforce']);
    const { payload: _payload, ...withoutPayload } = failure;
    expect(await store.listFailures({ system: 'hubspot', runId: 'run-2' })).toEqual([
      {
        ...withoutPayload,
        recordKey: 'other',
        runId: 'run-2',
        retryable: true,
        attempts: 1,
        firstFailedAt: failure.at,
      },
    ]);
  });
});

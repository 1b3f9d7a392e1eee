import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { StoredAssessment } from '../../../src/state/store.ts';
import { useTempDirs } from './temp-dirs.ts';

const { openStore } = useTempDirs();

describe('runs', () => {
  it('records a run from start to finish with its summary', async () => {
    const store = await openStore();
    await store.startRun({ id: 'run-1', sync: 'hubspot', startedAt: '2025-03-01T06:00:00.000Z', mode: 'shadow' });
    expect(await store.getRun('run-1')).toEqual({
      id: 'run-1',
      sync: 'hubspot',
      startedAt: '2025-03-01T06:00:00.000Z',
      mode: 'shadow',
      status: 'running',
    });

    const summary = { accounts: 120, writes: { planned: 14, failed: 1 }, failures: [{ code: 'VALIDATION_ERROR' }] };
    await store.finishRun('run-1', { status: 'partial', finishedAt: '2025-03-01T06:02:00.000Z', summary });
    expect(await store.getRun('run-1')).toEqual({
      id: 'run-1',
      sync: 'hubspot',
      startedAt: '2025-03-01T06:00:00.000Z',
      mode: 'shadow',
      status: 'partial',
      finishedAt: '2025-03-01T06:02:00.000Z',
      summary,
    });
    expect(await store.getRun('run-404')).toBeUndefined();
  });

  it('refuses to finish a run it never started', async () => {
    const store = await openStore();
    await expect(
      store.finishRun('run-404', { status: 'failed', finishedAt: '2025-03-01T06:00:00.000Z', summary: {} }),
    ).rejects.toMatchObject({ code: 'state_run_unknown' });
  });

  it('lists runs newest first, per sync, with a limit', async () => {
    const store = await openStore();
    const starts = [
      '2025-03-02T06:00:00.000Z',
      '2025-03-01T06:00:00.000Z',
      '2025-03-04T06:00:00.000Z',
      '2025-03-03T06:00:00.000Z',
    ];
    for (const [i, startedAt] of starts.entries()) {
      await store.startRun({
        id: `run-${startedAt.slice(8, 10)}`,
        sync: i % 2 === 0 ? 'hubspot' : 'salesforce',
        startedAt,
        mode: 'live',
      });
    }
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['run-04', 'run-03', 'run-02', 'run-01']);
    expect((await store.listRuns({ limit: 2 })).map((r) => r.id)).toEqual(['run-04', 'run-03']);
    expect((await store.listRuns({ sync: 'salesforce' })).map((r) => r.id)).toEqual(['run-03', 'run-01']);
    expect((await store.listRuns({ sync: 'hubspot', limit: 1 })).map((r) => r.id)).toEqual(['run-04']);
    expect(await store.listRuns({ limit: 0 })).toEqual([]);
  });
});

describe('checkpoints', () => {
  it('round-trips JSON per sync and stream, and clears one stream or the whole sync', async () => {
    const store = await openStore();
    const cursor = { modifiedAfter: '2025-03-01T05:55:00.000Z', lastId: '0015g00000XyZ', page: 3 };
    await store.setCheckpoint('hubspot', 'companies', cursor);
    await store.setCheckpoint('hubspot', 'deals', { after: '42' });
    await store.setCheckpoint('salesforce', 'companies', 'x');
    expect(await store.getCheckpoint('hubspot', 'companies')).toEqual(cursor);
    expect(await store.getCheckpoint('hubspot', 'owners')).toBeUndefined();

    await store.setCheckpoint('hubspot', 'deals', { after: '43' });
    expect(await store.getCheckpoint('hubspot', 'deals')).toEqual({ after: '43' });

    await store.clearCheckpoint('hubspot', 'deals');
    expect(await store.getCheckpoint('hubspot', 'deals')).toBeUndefined();
    expect(await store.getCheckpoint('hubspot', 'companies')).toEqual(cursor);

    await store.clearCheckpoint('hubspot');
    expect(await store.getCheckpoint('hubspot', 'companies')).toBeUndefined();
    expect(await store.getCheckpoint('salesforce', 'companies')).toBe('x');
  });

  it('reads a corrupted checkpoint as absent instead of failing', async () => {
    const store = await openStore();
    await store.setCheckpoint('hubspot', 'companies', { after: '2025-03-01' });
    const db = new DatabaseSync(store.file);
    db.prepare("UPDATE checkpoints SET value = '{\"after\": \"2025-03' WHERE sync = 'hubspot'").run();
    db.close();

    expect(await store.getCheckpoint('hubspot', 'companies')).toBeUndefined();
    await store.setCheckpoint('hubspot', 'companies', { after: '2025-03-02' });
    expect(await store.getCheckpoint('hubspot', 'companies')).toEqual({ after: '2025-03-02' });
  });
});

describe('assessments', () => {
  const assessment = (accountId: string, runId: string, asOf: string, score: number): StoredAssessment => ({
    system: 'hubspot',
    accountId,
    accountName: `Account ${accountId}`,
    ownerId: 'owner-9',
    runId,
    asOf,
    assessment: { score, signals: [{ id: 'seat_pressure', value: score / 100 }] },
  });

  it('keeps the latest assessment per account', async () => {
    const store = await openStore();
    await store.saveAssessments('run-1', [
      assessment('1001', 'run-1', '2025-03-01', 40),
      assessment('1002', 'run-1', '2025-03-01', 55),
    ]);
    await store.saveAssessments('run-2', [assessment('1001', 'run-2', '2025-03-02', 72)]);

    expect(await store.getAssessment('hubspot', '1001')).toEqual(assessment('1001', 'run-2', '2025-03-02', 72));
    expect(await store.getAssessment('hubspot', '1002')).toEqual(assessment('1002', 'run-1', '2025-03-01', 55));
    expect(await store.getAssessment('salesforce', '1001')).toBeUndefined();
    expect((await store.listAssessments()).map((a) => [a.accountId, a.runId])).toEqual([
      ['1001', 'run-2'],
      ['1002', 'run-1'],
    ]);
  });

  it('lists assessments by system, without an owner when none was known', async () => {
    const store = await openStore();
    const { ownerId: _ownerId, ...unowned } = assessment('001A', 'run-1', '2025-03-01', 10);
    await store.saveAssessments('run-1', [
      { ...unowned, system: 'salesforce' },
      assessment('1001', 'run-1', '2025-03-01', 30),
    ]);
    expect(await store.listAssessments('salesforce')).toEqual([{ ...unowned, system: 'salesforce' }]);
  });
});

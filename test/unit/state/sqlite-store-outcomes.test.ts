import { describe, expect, it } from 'vitest';
import type { DealOutcome, LearningRecord, PitchSnapshot } from '../../../src/outcomes/types.ts';
import { useTempDirs } from './temp-dirs.ts';

const { makeDir, openStore } = useTempDirs();

const outcome = (crmId: string, patch: Partial<DealOutcome> = {}): DealOutcome => ({
  system: 'hubspot',
  crmId,
  accountId: 'A1',
  ownerId: 'O1',
  motion: 'seat_add',
  label: 'organic',
  status: 'open',
  amount: 12_000,
  createdAt: '2026-10-01T10:00:00.000Z',
  firstSeenAt: '2026-10-02T00:00:00.000Z',
  reopened: 0,
  updatedAt: '2026-10-02T00:00:00.000Z',
  ...patch,
});

const pitch = (key: string, patch: Partial<PitchSnapshot> = {}): PitchSnapshot => ({
  system: 'hubspot',
  key,
  accountId: 'A1',
  motion: 'seat_add',
  runId: 'run-1',
  asOf: '2026-10-01',
  pitchedAt: '2026-10-01T08:00:00.000Z',
  signals: [{ id: 'seat_utilization', strength: 0.8 }],
  score: 72,
  probability: 0.4,
  timing: 'now',
  health: 'green',
  potentialArr: 18_000,
  narrativeVersion: 'abc123',
  propensity: 1,
  ...patch,
});

describe('outcome store', () => {
  it('upserts deal outcomes idempotently: a rerun inserts 0 and changes 0, a real change counts once', async () => {
    const store = await openStore();
    const first = [outcome('D1'), outcome('D2', { label: 'created', expansionKey: 'hubspot-A1-seat_add-2026Q4' })];
    expect(await store.upsertOutcomes(first)).toEqual({ inserted: 2, changed: 0 });
    // The same deals read again on a later run: only the bookkeeping time differs.
    const again = first.map((o) => ({ ...o, updatedAt: '2026-10-09T00:00:00.000Z' }));
    expect(await store.upsertOutcomes(again)).toEqual({ inserted: 0, changed: 0 });
    const won = outcome('D1', { status: 'won', closeDate: '2026-10-20', updatedAt: '2026-10-21T00:00:00.000Z' });
    expect(await store.upsertOutcomes([won])).toEqual({ inserted: 0, changed: 1 });
    const stored = await store.listOutcomes('hubspot');
    expect(stored.find((o) => o.crmId === 'D1')).toEqual(won);
    expect(stored.find((o) => o.crmId === 'D2')).toEqual(first[1]);
    expect(await store.listOutcomes('salesforce')).toEqual([]);
  });

  it('keeps the first pitch snapshot of a key', async () => {
    const store = await openStore();
    await store.savePitches([pitch('K1')]);
    await store.savePitches([pitch('K1', { score: 10, runId: 'run-2' }), pitch('K2')]);
    const pitches = await store.listPitches('hubspot');
    expect(pitches.map((p) => [p.key, p.score, p.runId])).toEqual([
      ['K1', 72, 'run-1'],
      ['K2', 72, 'run-1'],
    ]);
    expect(pitches[0]).toEqual(pitch('K1'));
  });

  it('widens signal sightings: earliest first date, latest last date, strongest strength', async () => {
    const store = await openStore();
    const base = { system: 'hubspot', accountId: 'A1', signalId: 'seat_utilization' };
    await store.recordSignalSightings([{ ...base, firstAsOf: '2026-10-08', lastAsOf: '2026-10-08', strength: 0.6 }]);
    await store.recordSignalSightings([{ ...base, firstAsOf: '2026-10-15', lastAsOf: '2026-10-15', strength: 0.4 }]);
    await store.recordSignalSightings([{ ...base, firstAsOf: '2026-10-01', lastAsOf: '2026-10-01', strength: 0.9 }]);
    expect(await store.listSignalSightings('hubspot')).toEqual([
      { ...base, firstAsOf: '2026-10-01', lastAsOf: '2026-10-15', strength: 0.9 },
    ]);
  });

  it('lists learning records newest first, and keeps everything across a reopen', async () => {
    const dir = await makeDir();
    const store = await openStore(dir);
    const model = { signalWeights: { seat_utilization: 20 }, platt: { a: 1, b: 0 } };
    const learning = (id: string, at: string): LearningRecord => ({
      system: 'hubspot',
      id,
      at,
      mode: 'report',
      data: { won: 3, lost: 4, from: '2026-01-01', to: '2026-06-30' },
      before: model,
      after: model,
      backtest: {
        splitAt: '2026-05-01',
        train: 5,
        test: 2,
        aucBefore: 0.5,
        aucAfter: 0.5,
        calibrationErrorBefore: 0.1,
        calibrationErrorAfter: 0.1,
      },
      decision: 'below_gate',
      message: '43 closed outcomes short of the gate',
    });
    await store.saveLearning(learning('L1', '2026-07-01T00:00:00.000Z'));
    await store.saveLearning(learning('L2', '2026-07-08T00:00:00.000Z'));
    await store.upsertOutcomes([outcome('D1')]);
    await store.close();
    const reopened = await openStore(dir);
    expect((await reopened.listLearning('hubspot')).map((l) => l.id)).toEqual(['L2', 'L1']);
    expect(await reopened.listOutcomes()).toEqual([outcome('D1')]);
  });
});

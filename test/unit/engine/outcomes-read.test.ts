import { describe, expect, it } from 'vitest';
import { readOutcomes } from '../../../src/engine/outcomes-read.ts';
import type { CrmOpportunity } from '../../../src/model/account.ts';
import type { PitchSnapshot } from '../../../src/outcomes/types.ts';
import type { SqliteStateStore } from '../../../src/state/sqlite-store.ts';
import { useTempDirs } from '../state/temp-dirs.ts';

const { openStore } = useTempDirs();

const PITCHED_AT = '2026-09-01T10:00:00.000Z';

const pitch = (patch: Partial<PitchSnapshot> = {}): PitchSnapshot => ({
  system: 'hubspot',
  key: 'hubspot-A1-seat_add-2026Q3',
  accountId: 'A1',
  motion: 'seat_add',
  runId: 'run-1',
  asOf: '2026-09-01',
  pitchedAt: PITCHED_AT,
  signals: [{ id: 'seat_utilization', strength: 0.9 }],
  score: 80,
  probability: 0.5,
  timing: 'now',
  health: 'green',
  potentialArr: 10_000,
  narrativeVersion: 'v1',
  propensity: 1,
  ...patch,
});

const deal = (id: string, patch: Partial<CrmOpportunity> = {}): CrmOpportunity => ({
  id,
  accountId: 'A1',
  closed: false,
  won: false,
  values: {},
  ...patch,
});

async function read(store: SqliteStateStore, opportunities: readonly CrmOpportunity[], at = '2026-10-01T00:00:00Z') {
  return readOutcomes({
    system: 'hubspot',
    store,
    opportunities,
    influenceDays: 90,
    now: () => new Date(at),
  });
}

describe('reading outcomes', () => {
  it('counts an AE deal as influenced only when created after a pitch of its motion and within influenceDays', async () => {
    const store = await openStore();
    await store.savePitches([pitch()]);
    const report = await read(store, [
      deal('in-window', { motion: 'seat_add', createdAt: '2026-10-15T00:00:00.000Z' }),
      deal('too-late', { motion: 'seat_add', createdAt: '2026-12-15T00:00:00.000Z' }),
      deal('before-pitch', { motion: 'seat_add', createdAt: '2026-08-01T00:00:00.000Z' }),
      deal('other-motion', { motion: 'tier_upgrade', createdAt: '2026-09-15T00:00:00.000Z' }),
      deal('by-deal-type', { dealType: 'expansion', createdAt: '2026-09-15T00:00:00.000Z' }),
      deal('other-account', { accountId: 'A2', motion: 'seat_add', createdAt: '2026-09-15T00:00:00.000Z' }),
      // Neither our key, nor a motion, nor the CRM's expansion type: not an expansion deal.
      deal('new-business', { createdAt: '2026-09-15T00:00:00.000Z' }),
    ]);
    expect(report).toMatchObject({ read: 6, new: 6, byLabel: { influenced: 2, organic: 4 } });
    const labels = Object.fromEntries((await store.listOutcomes('hubspot')).map((o) => [o.crmId, o.label]));
    expect(labels).toEqual({
      'in-window': 'influenced',
      'too-late': 'organic',
      'before-pitch': 'organic',
      'other-motion': 'organic',
      'by-deal-type': 'influenced',
      'other-account': 'organic',
    });
    const influenced = (await store.listOutcomes('hubspot')).find((o) => o.crmId === 'by-deal-type');
    expect(influenced).toMatchObject({ pitchKey: pitch().key, pitchRunId: 'run-1', motion: 'seat_add' });
  });

  it('counts each reopening once, keeps when a deal was first seen, and a rerun changes nothing', async () => {
    const store = await openStore();
    const open = deal('D1', { motion: 'seat_add', amount: 5000 });
    await read(store, [open], '2026-10-01T00:00:00Z');
    await read(store, [{ ...open, closed: true, won: false }], '2026-10-08T00:00:00Z');
    const reopening = await read(store, [open], '2026-10-15T00:00:00Z');
    expect(reopening).toMatchObject({ changed: 1, reopened: 1 });
    expect(await read(store, [open], '2026-10-22T00:00:00Z')).toMatchObject({ new: 0, changed: 0, reopened: 0 });
    const won = await read(store, [{ ...open, closed: true, won: true }], '2026-10-29T00:00:00Z');
    expect(won).toMatchObject({ changed: 1, byStatus: { won: 1 } });
    expect((await store.listOutcomes())[0]).toMatchObject({
      status: 'won',
      reopened: 1,
      firstSeenAt: '2026-10-01T00:00:00.000Z',
      closedSeenAt: '2026-10-29T00:00:00.000Z',
    });
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomesCommand, type OutcomesCommandOptions } from '../../../src/cli/commands/outcomes.ts';
import { EXIT } from '../../../src/cli/exit-codes.ts';
import type { LearningRecord } from '../../../src/outcomes/types.ts';
import { assessment, stored } from '../alerts/fixtures.ts';
import { scenario } from '../outcomes/stats-fixtures.ts';
import { storeIn } from '../../support/store.ts';
import { runCommand } from './in-process.ts';

let dir = '';
let config = '';
const NOW = new Date('2026-03-04T12:00:00.000Z');

const RECORD: LearningRecord = {
  system: 'hubspot',
  id: 'learn-1',
  at: '2026-03-04T06:05:00.000Z',
  mode: 'report',
  data: { won: 3, lost: 3, from: '2026-01-31', to: '2026-03-02' },
  before: { signalWeights: { seat_utilization: 5 }, platt: { a: 1, b: 0 } },
  after: { signalWeights: { seat_utilization: 5 }, platt: { a: 1, b: 0 } },
  backtest: {
    splitAt: '2026-02-20',
    train: 0,
    test: 0,
    aucBefore: 0.5,
    aucAfter: 0.5,
    calibrationErrorBefore: 0,
    calibrationErrorAfter: 0,
  },
  decision: 'below_gate',
  message: 'Below the data gate: nothing changed.',
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-outcomes-'));
  config = path.join(dir, 'config.json');
  await writeFile(
    config,
    JSON.stringify({
      name: 'acme',
      dataDir: 'state',
      crm: { hubspot: { token: { env: 'ES_TEST_UNSET_TOKEN' } } },
      usage: { source: 'file', path: 'usage.csv' },
      // D and H hash below 0.15: they are the holdout among the ready accounts.
      learning: { holdoutShare: 0.15 },
    }),
  );
  const { outcomes, pitches, sightings } = scenario();
  const owned = (id: string, ownerId: string, ownerName: string) =>
    stored({ accountId: id, accountName: `Co ${id}`, ownerId, ownerName, assessment: assessment({ accountId: id }) });
  await storeIn(path.join(dir, 'state'))(async (store) => {
    await store.saveAssessments('run-1', [
      owned('A', '77', 'Dana Reyes'),
      owned('B', '77', 'Dana Reyes'),
      owned('C', '77', 'Dana Reyes'),
      owned('D', '88', '=Lee Park'),
      owned('E', '88', '=Lee Park'),
      owned('H', '88', '=Lee Park'),
    ]);
    await store.savePitches(pitches);
    await store.upsertOutcomes(outcomes);
    await store.recordSignalSightings(sightings);
    await store.saveLearning(RECORD);
  });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const run = (options: Partial<OutcomesCommandOptions> = {}) =>
  runCommand(() => outcomesCommand({ config, now: NOW, ...options }));

describe('expansion-sync outcomes (from the state store alone)', () => {
  it('totals by label, per-signal rates with 90% intervals, by motion and owner by name, holdout uplift, the gate', async () => {
    const { status, stdout, stderr } = await run();
    expect(stderr).toBe('');
    expect(status).toBe(EXIT.ok);
    expect(stdout).toMatch(/organic\s+0\s+2\s+3\s+\$0\s+\$7,000/);
    expect(stdout).toMatch(/total\s+1\s+3\s+3\s+\$7,000\s+\$17,000/);
    // Seat utilization: 2 won of 3 closed under its configured prior (0.75 x 10): Beta(9.5, 3.5).
    expect(stdout).toMatch(/Seat utilization\s+\S.*\s73% \(90% CI 52–90%\), n=3\s+0\s+35 days\s+2\.71x/);
    const byMotion = stdout.slice(stdout.indexOf('By motion'), stdout.indexOf('By owner'));
    expect(byMotion).toContain('Seat expansion');
    expect(byMotion).toContain('Tier upgrade');
    const byOwner = stdout.slice(stdout.indexOf('By owner'), stdout.indexOf('Holdout uplift'));
    expect(byOwner).toContain('Dana Reyes');
    expect(byOwner).toContain('=Lee Park');
    expect(byOwner).not.toMatch(/\s(77|88)\s/);
    expect(stdout).toContain('Holdout uplift (learning.holdoutShare 15%)');
    expect(stdout).toMatch(/pitched\s+75% \(90% CI \d+–\d+%\), n=1/);
    expect(stdout).toMatch(/holdout\s+17% \(90% CI \d+–\d+%\), n=2/);
    expect(stdout).toContain('uplift   +58 points (raw +100 points)');
    expect(stdout).toContain(
      // Only the closed deals attributed to a pitch count: what recalibration can learn from.
      'Data gate not met: 1 closed (1 won, 0 lost) of 50 closed with at least 20 won and 20 lost: 49 more closed outcomes needed (19 won, 20 lost more).',
    );
  });

  it('--json carries every rate with its interval and prior', async () => {
    const { status, stdout } = await run({ json: true });
    expect(status).toBe(EXIT.ok);
    const json = JSON.parse(stdout) as {
      signals: {
        signalId: string;
        group: { kind: string; name: string };
        closeRate: { mean: number; trials: number };
      }[];
      gate: { needClosed: number; met: boolean };
      holdout: { uplift: number };
      learning?: unknown;
    };
    const all = json.signals.find((s) => s.signalId === 'seat_utilization' && s.group.kind === 'all');
    expect(all?.closeRate.trials).toBe(3);
    expect(all?.closeRate.mean).toBeCloseTo(9.5 / 13, 12);
    expect(json.signals.some((s) => s.group.kind === 'owner' && s.group.name === 'Dana Reyes')).toBe(true);
    expect(json.gate).toMatchObject({ needClosed: 49, met: false });
    expect(json.holdout.uplift).toBeCloseTo(1.5 / 2 - 0.5 / 3, 12);
    expect(json.learning).toBeUndefined();
  });

  it('--csv: one row per signal and group, owner names guarded against formulas', async () => {
    const { status, stdout } = await run({ csv: true });
    expect(status).toBe(EXIT.ok);
    const rows = parse(stdout, { columns: true }) as Record<string, string>[];
    const lee = rows.find(
      (r) => r['signal_id'] === 'seat_utilization' && r['group'] === 'owner' && r['owner']?.includes('Lee'),
    );
    expect(lee?.['owner']).toBe("'=Lee Park");
    const all = rows.find((r) => r['signal_id'] === 'seat_utilization' && r['group'] === 'all');
    expect(all).toMatchObject({ won: '2', closed: '3', close_rate_raw: '0.6667', median_days_to_close: '35' });
    expect(new Set(rows.map((r) => r['group']))).toEqual(new Set(['all', 'motion', 'owner']));
  });

  it('--weeks 1 keeps only what happened in the last week', async () => {
    const { stdout } = await run({ json: true, weeks: 1 });
    const json = JSON.parse(stdout) as {
      from: string;
      totals: Record<string, { open: number; won: number; lost: number }>;
    };
    expect(json.from).toBe('2026-02-26');
    // C closed (lost) on 2026-03-02 and H was created on 2026-03-03: nothing else.
    expect(json.totals['organic']).toMatchObject({ open: 0, won: 0, lost: 1 });
    expect(json.totals['influenced']).toMatchObject({ open: 1 });
    expect(json.totals['created']).toMatchObject({ won: 0 });
  });

  it('--explain adds every recalibration record', async () => {
    const { status, stdout } = await run({ explain: true });
    expect(status).toBe(EXIT.ok);
    expect(stdout).toContain('Recalibration');
    expect(stdout).toContain('learning.mode report');
    expect(stdout).toContain('Below the data gate: nothing changed.');
  });
});

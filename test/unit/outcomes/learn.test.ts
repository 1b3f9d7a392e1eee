import { describe, expect, it } from 'vitest';
import {
  calibrationOf,
  recalibrateAfterRun,
  scoringInForce,
  scoringWith,
} from '../../../src/outcomes/apply-learned.ts';
import { renderLearning } from '../../../src/outcomes/explain.ts';
import { auc, calibrationError, recalibrate, type LearningSettings } from '../../../src/outcomes/learn.ts';
import { simulateQuarter, type SimulatedHistory } from '../../../src/outcomes/simulate.ts';
import type { DealOutcome, LearningRecord, OutcomeStore } from '../../../src/outcomes/types.ts';
import { defaultScoringConfig } from '../../../src/scoring/config.ts';
import { seatAddProbability } from '../../../src/scoring/probability.ts';
import { scoreAccount } from '../../../src/scoring/score.ts';

const scoring = defaultScoringConfig();
const GATE = { minClosed: 50, minEach: 20, fullReplaceEach: 200 } as const;
const APPLY: LearningSettings = { ...GATE, mode: 'apply' };
const AT = '2026-04-01T06:00:00.000Z';

const learn = (history: SimulatedHistory, learning: LearningSettings = APPLY, past: LearningRecord[] = []) =>
  recalibrate({
    system: 'hubspot',
    id: 'rec-1',
    at: AT,
    asOf: '2026-04-01',
    scoring,
    learning,
    pitches: history.pitches,
    outcomes: history.outcomes,
    history: past,
  });

/** Distance of learned weights from the configured ones (sum of absolute differences, score units). */
const drift = (record: LearningRecord): number =>
  Object.entries(scoring.score.signalWeights).reduce(
    (sum, [key, w]) => sum + Math.abs((record.after.signalWeights[key] ?? w) - w),
    0,
  );

describe('recalibration on a simulated quarter with wrong configured weights', () => {
  it('raises AUC on the later time split by at least 0.05 and lowers calibration error, seed after seed', () => {
    for (let seed = 1; seed <= 10; seed += 1) {
      const record = learn(simulateQuarter({ seed, accounts: 1000 }));
      expect(record.decision, `seed ${seed}`).toBe('applied');
      const { backtest } = record;
      expect(backtest.aucAfter - backtest.aucBefore, `seed ${seed}`).toBeGreaterThanOrEqual(0.05);
      expect(backtest.calibrationErrorAfter, `seed ${seed}`).toBeLessThan(backtest.calibrationErrorBefore);
      // Later split: every test outcome closed on or after the split date, every train one before it.
      expect(backtest.test).toBeGreaterThan(0.25 * (backtest.train + backtest.test));
    }
  });

  it('moves the weights toward the true process: seat utilization down, renewal and executive engagement up', () => {
    const record = learn(simulateQuarter({ seed: 3, accounts: 1000 }));
    const { signalWeights } = record.after;
    expect(signalWeights['seat_utilization']).toBeLessThan(scoring.score.signalWeights['seat_utilization']!);
    expect(signalWeights['renewal_window']).toBeGreaterThan(scoring.score.signalWeights['renewal_window']! * 2);
    expect(signalWeights['executive_engagement']).toBeGreaterThan(scoring.score.signalWeights['executive_engagement']!);
    expect(record.before.signalWeights).toEqual(scoring.score.signalWeights);
    // The configured probabilities run high; the calibration pulls them down.
    expect(record.after.platt.b).toBeLessThan(0);
  });

  it('keeps learned weights shrunk toward the configured ones until fullReplaceEach won and lost', () => {
    const history = simulateQuarter({ seed: 4, accounts: 1000 });
    const full = learn(history);
    expect(full.data.won).toBeGreaterThanOrEqual(200);
    expect(full.data.lost).toBeGreaterThanOrEqual(200);
    const shrunk = learn(history, { ...APPLY, fullReplaceEach: 1000 });
    expect(drift(shrunk)).toBeLessThan(drift(full) * 0.8);
    expect(shrunk.message).toContain('shrunk toward the configured');
    expect(full.message).toContain('replace the configured');
  });

  it('is deterministic for a seed: the same history and the same record', () => {
    const first = simulateQuarter({ seed: 11, accounts: 300 });
    expect(simulateQuarter({ seed: 11, accounts: 300 })).toEqual(first);
    expect(simulateQuarter({ seed: 12, accounts: 300 }).outcomes).not.toEqual(first.outcomes);
    expect(learn(simulateQuarter({ seed: 11, accounts: 300 }))).toEqual(learn(first));
  });
});

describe('the gates', () => {
  it('below the data gate nothing is fitted or changed, and the message says how far off it is', () => {
    const history = simulateQuarter({ seed: 5, accounts: 40 });
    const record = learn(history);
    expect(record.decision).toBe('below_gate');
    expect(record.data.won + record.data.lost).toBeLessThan(50);
    expect(record.after).toEqual(record.before);
    expect(record.backtest.train).toBe(0);
    const missing = 50 - record.data.won - record.data.lost;
    expect(record.message).toContain(`${missing} more closed`);
    expect(record.message).toContain(`${20 - record.data.won} more won`);
    expect(scoringWith(scoring, record)).toEqual(scoring);
  });

  it('counts only closed outcomes attributed to a pitch against the gate', () => {
    const history = simulateQuarter({ seed: 6, accounts: 400 });
    const organic = history.outcomes.map((o): DealOutcome => {
      const { pitchKey: _dropped, ...rest } = o;
      return { ...rest, label: 'organic' };
    });
    const record = learn({ ...history, outcomes: organic });
    expect(record.decision).toBe('below_gate');
    expect(record.data).toMatchObject({ won: 0, lost: 0 });
  });

  it('refuses a change that worsens the backtest: outcomes that reverse after the split', () => {
    const history = simulateQuarter({ seed: 2, accounts: 1000 });
    const honest = learn(history);
    // Every deal closing from the split date on goes the other way: what the earlier data teach now ranks worse.
    const reversed = history.outcomes.map((o): DealOutcome =>
      o.status !== 'open' && (o.closeDate ?? '') >= honest.backtest.splitAt
        ? { ...o, status: o.status === 'won' ? 'lost' : 'won' }
        : o,
    );
    const record = learn({ ...history, outcomes: reversed });
    expect(record.backtest.aucAfter).toBeLessThan(record.backtest.aucBefore);
    expect(record.decision).toBe('no_improvement');
    expect(record.message).toContain('not applied');
    expect(scoringWith(scoring, record)).toEqual(scoring);
  });

  it('in report mode fits and records but applies nothing', async () => {
    const record = learn(simulateQuarter({ seed: 1, accounts: 1000 }), { ...APPLY, mode: 'report' });
    expect(record.decision).toBe('report_only');
    expect(record.after.signalWeights).not.toEqual(record.before.signalWeights);
    const store = { listLearning: async () => [record] };
    expect(await scoringInForce({ store, system: 'hubspot', scoring, learning: { mode: 'report' } })).toBe(scoring);
    expect(await scoringInForce({ store, system: 'hubspot', scoring, learning: { mode: 'apply' } })).toEqual(scoring);
  });
});

describe('applying a recalibration', () => {
  const applied = learn(simulateQuarter({ seed: 3, accounts: 1000 }));

  it('scores with the learned weights and calibrates every win probability', () => {
    const config = scoringWith(scoring, applied);
    expect(config.score.signalWeights).toEqual(applied.after.signalWeights);
    const signals = [{ id: 'renewal_window', kind: 'expansion' as const, strength: 1 }];
    const score = (c: typeof scoring) =>
      scoreAccount({ signals: signals as never, utilization: undefined, health: 'green', config: c });
    expect(score(config)).toBeGreaterThan(score(scoring));
    const input = { seatStrength: 0.8, growing: false, supporting: 0, health: 'green' as const };
    const raw = seatAddProbability({ ...input, config: scoring });
    const calibrated = seatAddProbability({ ...input, config });
    expect(calibrated).toBe(Math.round(calibrationOf(applied)(raw) * 100) / 100);
    expect(calibrated).toBeLessThan(raw);
  });

  it('the run uses the newest applied record under learning.mode apply, the configured weights otherwise', async () => {
    const older = { ...applied, id: 'old', at: '2026-01-01T00:00:00.000Z' };
    const refused: LearningRecord = {
      ...applied,
      id: 'new',
      at: '2026-05-01T00:00:00.000Z',
      decision: 'no_improvement',
    };
    const store = { listLearning: async () => [refused, applied, older] };
    const inForce = await scoringInForce({ store, system: 'hubspot', scoring, learning: { mode: 'apply' } });
    expect(inForce).toEqual(scoringWith(scoring, applied));
    expect(await scoringInForce({ store, system: 'hubspot', scoring, learning: { mode: 'off' } })).toBe(scoring);
  });

  it('recalibrates at the end of a run at most once per scoring date, and never with learning off', async () => {
    const history = simulateQuarter({ seed: 3, accounts: 400 });
    const saved: LearningRecord[] = [];
    const store: Pick<OutcomeStore, 'listLearning' | 'listPitches' | 'listOutcomes' | 'saveLearning'> = {
      listLearning: async () => [...saved].reverse(),
      listPitches: async () => history.pitches,
      listOutcomes: async () => history.outcomes,
      saveLearning: async (record) => {
        saved.push(record);
      },
    };
    const learning = { ...GATE, mode: 'off' as const, holdoutShare: 0.05, explorationShare: 0, influenceDays: 90 };
    const run = (asOf: string, mode: 'off' | 'report' | 'apply') =>
      recalibrateAfterRun({
        store,
        system: 'hubspot',
        scoring,
        learning: { ...learning, mode },
        asOf,
        at: `${asOf}T06:00:00.000Z`,
        id: `run-${asOf}`,
      });
    expect(await run('2026-04-01', 'off')).toBeUndefined();
    expect(saved).toHaveLength(0);
    expect((await run('2026-04-01', 'apply'))?.decision).toBe('applied');
    expect(await run('2026-04-01', 'apply')).toBeUndefined();
    expect(saved).toHaveLength(1);
    const next = await run('2026-04-02', 'apply');
    expect(next?.before).toEqual(saved[0]?.after);
    expect(saved).toHaveLength(2);
  });
});

describe('outcomes --explain', () => {
  it('shows each recalibration: data, weights before -> after, Platt a/b, backtest and decision', () => {
    const applied = learn(simulateQuarter({ seed: 3, accounts: 1000 }));
    const below = { ...learn(simulateQuarter({ seed: 5, accounts: 40 })), at: '2026-03-01T06:00:00.000Z' };
    const text = renderLearning([below, applied], { ...GATE, mode: 'apply' });
    const fmt = (n: number) => n.toFixed(3);
    expect(text).toContain('data gate: 50 closed outcomes with at least 20 won and 20 lost');
    expect(text).toContain(`${applied.data.won} won, ${applied.data.lost} lost`);
    expect(text).toContain(
      `AUC                ${fmt(applied.backtest.aucBefore)} -> ${fmt(applied.backtest.aucAfter)}`,
    );
    expect(text).toMatch(
      new RegExp(`seat_utilization\\s+5\\.00 -> \\s*${applied.after.signalWeights['seat_utilization']!.toFixed(2)}`),
    );
    expect(text).toContain(`a 1.000 -> ${applied.after.platt.a.toFixed(3)}`);
    expect(text).toContain('applied: the learned weights');
    expect(text).toContain('not fitted: below the data gate');
    // Newest first.
    expect(text.indexOf('applied: the learned')).toBeLessThan(text.indexOf('not fitted'));
  });
});

describe('the metrics', () => {
  it('AUC is rank-based with ties counted half; calibration error is the 10-bin ECE', () => {
    expect(auc([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(auc([0.4, 0.3, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(calibrationError([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBe(0);
    expect(calibrationError([0.9, 0.9], [0, 0])).toBeCloseTo(0.9);
  });
});

import type { Config } from '../config/schema.ts';
import { FLAT_PRIOR_SD, STRONG_PRIOR_SD, TRAIN_SHARE } from './learn.ts';
import type { LearningRecord } from './types.ts';

/** The data gates as `outcomes --explain` states them. */
export type LearningGate = Pick<Config['learning'], 'mode' | 'minClosed' | 'minEach' | 'fullReplaceEach'>;

const DECISIONS: Readonly<Record<LearningRecord['decision'], string>> = {
  applied: 'applied: the learned weights and calibration score every run from now on',
  below_gate: 'not fitted: below the data gate',
  no_improvement: 'not applied: the backtest did not improve',
  report_only: 'reported only (learning.mode report): the weights in force did not change',
};

const n3 = (value: number): string => value.toFixed(3);
const signed = (value: number): string => (value >= 0 ? `+${value.toFixed(2)}` : value.toFixed(2));
const weight = (value: number | undefined): string => (value === undefined ? '-' : value.toFixed(2));

function weightsTable(record: LearningRecord): string[] {
  const keys = [
    ...new Set([...Object.keys(record.before.signalWeights), ...Object.keys(record.after.signalWeights)]),
  ].sort();
  const width = Math.max(6, ...keys.map((k) => k.length));
  const lines = [`    ${'signal'.padEnd(width)}  before ->  after   change`];
  for (const key of keys) {
    const before = record.before.signalWeights[key];
    const after = record.after.signalWeights[key];
    const change = before !== undefined && after !== undefined ? signed(after - before) : '';
    lines.push(`    ${key.padEnd(width)}  ${weight(before).padStart(6)} -> ${weight(after).padStart(6)}   ${change}`);
  }
  return lines;
}

function renderRecord(record: LearningRecord): string[] {
  const { data, backtest, before, after } = record;
  const lines = [
    `${record.at}${record.asOf ? ` (scoring date ${record.asOf})` : ''}, mode ${record.mode}: ${DECISIONS[record.decision]}`,
    `  data: ${data.won + data.lost} closed outcomes attributed to a pitch (${data.won} won, ${data.lost} lost)` +
      (data.from ? `, closed ${data.from} .. ${data.to}` : ''),
  ];
  if (record.decision !== 'below_gate') {
    lines.push(
      `  backtest: trained on ${backtest.train} closed before ${backtest.splitAt}, tested on the ${backtest.test} closed from then on`,
      `    AUC                ${n3(backtest.aucBefore)} -> ${n3(backtest.aucAfter)}   (higher ranks winners better)`,
      `    calibration error  ${n3(backtest.calibrationErrorBefore)} -> ${n3(backtest.calibrationErrorAfter)}   (expected calibration error, 10 bins; lower is better)`,
      `  signal weights (score units):`,
      ...weightsTable(record),
      `  win-probability calibration (Platt): a ${before.platt.a.toFixed(3)} -> ${after.platt.a.toFixed(3)}, b ${before.platt.b.toFixed(3)} -> ${after.platt.b.toFixed(3)}`,
    );
  }
  lines.push(`  ${record.message}`);
  return lines;
}

/**
 * What `outcomes --explain` prints: how recalibration works and its gates, then every recalibration, newest
 * first, with the data it used, the weights before and after, the Platt calibration, the backtest and the
 * decision.
 */
export function renderLearning(records: readonly LearningRecord[], gate: LearningGate): string {
  const header = [
    'Recalibration',
    `  learning.mode ${gate.mode}` +
      (gate.mode === 'off'
        ? ': nothing is fitted; the configured weights are in force.'
        : gate.mode === 'report'
          ? ': fitted and backtested each day, never applied; the configured weights stay in force.'
          : ': a recalibration that passes the data gate and improves the backtest is applied.'),
    `  data gate: ${gate.minClosed} closed outcomes with at least ${gate.minEach} won and ${gate.minEach} lost; ` +
      `learned weights fully replace the configured ones only past ${gate.fullReplaceEach} won and ${gate.fullReplaceEach} lost.`,
    `  model: logistic regression on the signal strengths each pitch showed, prior centred on the configured weights`,
    `    (weight / score.scale logit units per unit of strength; prior sd ${STRONG_PRIOR_SD} below the full-replace gate, ${FLAT_PRIOR_SD} past it),`,
    `    and Platt scaling of the win probability. Backtest: the earliest ${Math.round(TRAIN_SHARE * 100)}% of closed outcomes by close date`,
    `    train, the later ${Math.round((1 - TRAIN_SHARE) * 100)}% test; applied only if AUC rises and calibration error does not.`,
    '',
  ];
  if (records.length === 0)
    return [...header, 'No recalibration yet: one runs at the end of each live run.', ''].join('\n');
  const sorted = [...records].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return [...header, ...sorted.flatMap((record) => [...renderRecord(record), '']), ''].join('\n').replace(/\n+$/, '\n');
}

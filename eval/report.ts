import type { Assessment } from '../src/model/assessment.ts';
import {
  mismatches,
  MOTIONS,
  pitchedKeys,
  precision,
  recall,
  seatAddOf,
  type Score,
  type ScoredRow,
} from './metrics.ts';

/** Plain console output for `npm run eval`, a CLI script: its output is the point. */
export function print(line = ''): void {
  console.log(line);
}

export const pct = (value: number | undefined): string =>
  value === undefined ? '  n/a' : `${(value * 100).toFixed(1).padStart(5)}%`;
export const ratio = (hits: number, total: number): string =>
  `${pct(total === 0 ? undefined : hits / total)}  (${hits}/${total})`;

export function heading(text: string): void {
  print(`\n== ${text}`);
}

const cells = (values: readonly (string | number)[], width: number): string =>
  values.map((v) => String(v).padStart(width)).join('');

export function printMotionScores(scores: ReadonlyMap<string, Score>): void {
  print(`${'motion'.padEnd(20)}${cells(['precision', 'recall', 'tp', 'fp', 'fn'], 10)}`);
  for (const name of [...MOTIONS, 'overall']) {
    const s = scores.get(name) ?? { tp: 0, fp: 0, fn: 0 };
    print(`${name.padEnd(20)}${cells([pct(precision(s)), pct(recall(s)), s.tp, s.fp, s.fn], 10)}`);
  }
}

/** Rows: label; columns: what the scorer said. */
export function printConfusion<T extends string>(
  title: string,
  categories: readonly T[],
  table: ReadonlyMap<T, ReadonlyMap<T, number>>,
): void {
  let correct = 0;
  let total = 0;
  for (const [label, line] of table) {
    for (const [got, n] of line) {
      total += n;
      if (got === label) correct += n;
    }
  }
  print(`${title} accuracy ${ratio(correct, total)}`);
  print(`  ${'label \\ got'.padEnd(12)}${cells(categories, 8)}`);
  for (const label of categories) {
    const line = table.get(label);
    print(
      `  ${label.padEnd(12)}${cells(
        categories.map((c) => line?.get(c) ?? 0),
        8,
      )}`,
    );
  }
}

const describe = (health: string, timing: string, keys: readonly string[], seats: string): string =>
  `${health}/${timing} [${keys.join(', ') || '-'}]${seats}`;

function withheldNote(a: Assessment): string {
  const withheld = a.opportunities
    .filter((o) => o.withheld !== undefined)
    .map((o) => `${o.module ?? o.motion}:${o.withheld}`);
  return withheld.length === 0 ? '' : `  withheld ${withheld.join(', ')}`;
}

export function printMisclassified(rows: readonly ScoredRow[], limit: number): void {
  const wrong = rows.map((r) => ({ r, what: mismatches(r) })).filter((x) => x.what.length > 0);
  const shown = wrong.length > limit ? `; the first ${limit}` : '';
  print(`${wrong.length} of ${rows.length} accounts differ from their label${shown}:`);
  for (const { r, what } of wrong.slice(0, limit)) {
    const x = r.entry.expected;
    const range = x.seatRange === undefined ? '' : ` seats ${x.seatRange[0]}-${x.seatRange[1]}`;
    const seat = seatAddOf(r.got)?.seatsToAdd;
    const gotSeats = seat === undefined ? '' : ` seats ${seat}`;
    print(`- ${r.entry.scenario.id} (${what.join(', ')})`);
    print(`    label ${describe(x.health, x.timing, x.pitches, range)}`);
    print(`    got   ${describe(r.got.health, r.got.timing, pitchedKeys(r.got), gotSeats)}${withheldNote(r.got)}`);
    print(`    why   ${x.rationale}`);
  }
}

/** Exact-match share per archetype, worst first: where to look. */
export function printArchetypes(rows: readonly ScoredRow[]): void {
  const groups = new Map<string, { n: number; ok: number }>();
  for (const r of rows) {
    const g = groups.get(r.entry.scenario.archetype) ?? { n: 0, ok: 0 };
    groups.set(r.entry.scenario.archetype, { n: g.n + 1, ok: g.ok + (mismatches(r).length === 0 ? 1 : 0) });
  }
  const sorted = [...groups].sort(([a, x], [b, y]) => x.ok / x.n - y.ok / y.n || a.localeCompare(b));
  for (const [name, g] of sorted) print(`  ${name.padEnd(46)} ${ratio(g.ok, g.n)}`);
}

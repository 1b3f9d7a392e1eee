import type { Assessment, ExpansionOpportunity, Narrative } from '../src/model/assessment.ts';
import type { Entry } from './book.ts';
import type { PitchKey } from './label.ts';

/** One book account with what the scorer said about it (or why it could not say). */
export interface Row {
  readonly entry: Entry;
  readonly got?: Assessment;
  readonly error?: string;
}
export type ScoredRow = Row & { readonly got: Assessment };
export const scored = (rows: readonly Row[]): ScoredRow[] => rows.filter((r): r is ScoredRow => r.got !== undefined);

export const keyOf = (o: ExpansionOpportunity): PitchKey =>
  o.motion === 'module_cross_sell' ? `module_cross_sell:${o.module ?? '?'}` : o.motion;
/** Only these become CRM deals: identified but withheld opportunities are not pitches. */
export const pitched = (a: Assessment): ExpansionOpportunity[] =>
  a.opportunities.filter((o) => o.withheld === undefined);
export const pitchedKeys = (a: Assessment): PitchKey[] => [...new Set(pitched(a).map(keyOf))].sort();
export const MOTIONS = ['seat_add', 'tier_upgrade', 'module_cross_sell'] as const;
const familyOf = (key: PitchKey): string => key.split(':')[0] ?? key;

export interface Score {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}
export interface Tally {
  readonly hits: number;
  readonly total: number;
}
export const precision = (s: Score): number | undefined => (s.tp + s.fp === 0 ? undefined : s.tp / (s.tp + s.fp));
export const recall = (s: Score): number | undefined => (s.tp + s.fn === 0 ? undefined : s.tp / (s.tp + s.fn));

/** Precision and recall of pitched motions per motion and overall; a cross-sell counts only for its module. */
export function motionScores(rows: readonly ScoredRow[]): Map<string, Score> {
  const scores = new Map<string, Score>([...MOTIONS, 'overall'].map((m) => [m, { tp: 0, fp: 0, fn: 0 }]));
  const add = (family: string, field: keyof Score): void => {
    for (const name of [family, 'overall']) {
      const s = scores.get(name) ?? { tp: 0, fp: 0, fn: 0 };
      scores.set(name, { ...s, [field]: s[field] + 1 });
    }
  };
  for (const row of rows) {
    const expected = new Set(row.entry.expected.pitches);
    const got = new Set(pitchedKeys(row.got));
    for (const key of got) add(familyOf(key), expected.has(key) ? 'tp' : 'fp');
    for (const key of expected) if (!got.has(key)) add(familyOf(key), 'fn');
  }
  return scores;
}

/** counts[label][got] */
export function confusion<T extends string>(
  rows: readonly ScoredRow[],
  label: (r: ScoredRow) => T,
  got: (r: ScoredRow) => T,
): Map<T, Map<T, number>> {
  const table = new Map<T, Map<T, number>>();
  for (const row of rows) {
    const line = table.get(label(row)) ?? new Map<T, number>();
    line.set(got(row), (line.get(got(row)) ?? 0) + 1);
    table.set(label(row), line);
  }
  return table;
}

export interface Safety {
  readonly redPitches: number;
  readonly redAccountsPitched: number;
  readonly nowNonGreen: number;
  readonly nowLabelNonGreen: number;
}

export function safety(rows: readonly ScoredRow[]): Safety {
  const red = rows.filter((r) => r.entry.expected.health === 'red' || r.got.health === 'red');
  const pitchesOnRed = red.map((r) => pitched(r.got).length);
  const now = rows.filter((r) => r.got.timing === 'now');
  return {
    redPitches: pitchesOnRed.reduce((s, n) => s + n, 0),
    redAccountsPitched: pitchesOnRed.filter((n) => n > 0).length,
    nowNonGreen: now.filter((r) => r.got.health !== 'green').length,
    nowLabelNonGreen: now.filter((r) => r.entry.expected.health !== 'green').length,
  };
}

export const seatAddOf = (a: Assessment | undefined, pitchedOnly = true): ExpansionOpportunity | undefined =>
  a?.opportunities.find((o) => o.motion === 'seat_add' && (!pitchedOnly || o.withheld === undefined));

const inRange = (seats: number | undefined, range: readonly [number, number]): boolean =>
  seats !== undefined && seats >= range[0] && seats <= range[1];

/** Over accounts that expect a seat add and got one pitched: the size lies in the labelled range. */
export function seatRangeHits(rows: readonly ScoredRow[]): Tally {
  const both = rows.flatMap((row) => {
    const range = row.entry.expected.seatRange;
    const seat = seatAddOf(row.got);
    return range === undefined || seat === undefined ? [] : [inRange(seat.seatsToAdd, range)];
  });
  return { hits: both.filter(Boolean).length, total: both.length };
}

/** Of the `n` pitched opportunities with the highest expected value, how many the labels expect. */
export function topPrecision(rows: readonly ScoredRow[], n: number): Tally {
  const all = rows.flatMap((r) => pitched(r.got).map((o) => ({ o, row: r })));
  const id = (t: { row: ScoredRow }): string => t.row.entry.scenario.id;
  all.sort((a, b) => b.o.expectedValue - a.o.expectedValue || id(a).localeCompare(id(b)));
  const top = all.slice(0, n);
  return { hits: top.filter((t) => t.row.entry.expected.pitches.includes(keyOf(t.o))).length, total: top.length };
}

export interface Stability {
  readonly accounts: number;
  readonly timingSame: number;
  readonly seatAccounts: number;
  readonly seatSame: number;
  readonly both: number;
}

/** Day-over-day: the same usage scored a day later with the first assessment as `previous`. */
export function stability(first: readonly ScoredRow[], second: ReadonlyMap<string, Assessment>): Stability {
  const band = 0.15;
  let [accounts, timingSame, seatAccounts, seatSame, both] = [0, 0, 0, 0, 0];
  for (const row of first) {
    const next = second.get(row.got.accountId);
    if (next === undefined) continue;
    accounts += 1;
    const sameTiming = next.timing === row.got.timing;
    const before = seatAddOf(row.got, false)?.seatsToAdd;
    const after = seatAddOf(next, false)?.seatsToAdd;
    const sameSeats = before === undefined || (after !== undefined && Math.abs(after - before) <= band * before);
    if (before !== undefined) seatAccounts += 1;
    if (before !== undefined && sameSeats) seatSame += 1;
    if (sameTiming) timingSame += 1;
    if (sameTiming && sameSeats) both += 1;
  }
  return { accounts, timingSame, seatAccounts, seatSame, both };
}

const MARKERS: Readonly<Record<string, readonly RegExp[]>> = {
  USD: [/\$/, /\bUSD\b/],
  EUR: [/€/, /\bEUR\b/],
  GBP: [/£/, /\bGBP\b/],
};
const ALL_MARKERS = Object.values(MARKERS).flat();
const textOf = (n: Narrative): string => `${n.title}\n${n.body}`;
const showsMoney = (n: Narrative): boolean =>
  n.evidence.some((e) => e.unit === 'money' || e.unit === 'usd') || ALL_MARKERS.some((m) => m.test(textOf(n)));

/** Notes whose money is shown in `currency` and in no other, over the notes that show money at all. */
export function currencyShare(assessments: readonly Assessment[], currency: string, pitchedOnly: boolean): Tally {
  const own = MARKERS[currency] ?? [new RegExp(`\\b${currency}\\b`)];
  const foreign = ALL_MARKERS.filter((m) => !own.includes(m));
  const notes = assessments
    .flatMap((a) => (pitchedOnly ? pitched(a) : a.opportunities))
    .map((o) => o.narrative)
    .filter(showsMoney);
  const right = notes.filter((n) => own.some((m) => m.test(textOf(n))) && !foreign.some((m) => m.test(textOf(n))));
  return { hits: right.length, total: notes.length };
}

/** Where an assessment departs from its label; empty when it matches. */
export function mismatches(row: ScoredRow): string[] {
  const x = row.entry.expected;
  const out: string[] = [];
  if (x.health !== row.got.health) out.push('health');
  if (x.timing !== row.got.timing) out.push('timing');
  if (x.pitches.join(',') !== pitchedKeys(row.got).join(',')) out.push('pitches');
  const seat = seatAddOf(row.got);
  if (x.seatRange !== undefined && seat !== undefined && !inRange(seat.seatsToAdd, x.seatRange)) out.push('seat size');
  return out;
}

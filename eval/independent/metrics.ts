import type { Assessment, ExpansionOpportunity } from '../../src/model/assessment.ts';
import type { Case, MotionKey } from './case.ts';

export interface Row {
  readonly item: Case;
  readonly result: Assessment;
}

export const keyOf = (opportunity: ExpansionOpportunity): string =>
  opportunity.motion === 'module_cross_sell' ? `module_cross_sell:${opportunity.module ?? '?'}` : opportunity.motion;

/** Pitched means no `withheld`: only those become CRM deals. */
export const pitched = (result: Assessment): Set<string> =>
  new Set(result.opportunities.filter((o) => o.withheld === undefined).map(keyOf));

export const seatAddOf = (result: Assessment): ExpansionOpportunity | undefined =>
  result.opportunities.find((o) => o.motion === 'seat_add' && o.withheld === undefined);

/** What the product said about motions, withheld ones included, e.g. `seat_add(12) tier_upgrade[watch]`. */
export function describeMotions(result: Assessment): string {
  if (result.opportunities.length === 0) return 'none';
  return result.opportunities
    .map((o) => {
      const size = o.seatsToAdd === undefined ? '' : `(${o.seatsToAdd})`;
      return `${keyOf(o)}${size}${o.withheld ? `[${o.withheld}]` : ''}`;
    })
    .join(' ');
}

export interface Score {
  readonly name: string;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

export const precision = (s: Score): number => (s.tp + s.fp === 0 ? NaN : s.tp / (s.tp + s.fp));
export const recall = (s: Score): number => (s.tp + s.fn === 0 ? NaN : s.tp / (s.tp + s.fn));

/** Precision/recall per motion family; a cross-sell counts as right only for the right module. */
export function motionScores(rows: readonly Row[]): Score[] {
  const families: readonly [string, (key: string) => boolean][] = [
    ['seat_add', (k) => k === 'seat_add'],
    ['tier_upgrade', (k) => k === 'tier_upgrade'],
    ['module_cross_sell', (k) => k.startsWith('module_cross_sell:')],
    ...['reporting', 'automation', 'integrations', 'api'].map((m): [string, (key: string) => boolean] => [
      `  :${m}`,
      (k) => k === `module_cross_sell:${m}`,
    ]),
    ['all motions', () => true],
  ];
  return families.map(([name, inFamily]) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const { item, result } of rows) {
      const want = new Set<string>(item.label.motions.filter(inFamily));
      const got = [...pitched(result)].filter(inFamily);
      tp += got.filter((k) => want.has(k)).length;
      fp += got.filter((k) => !want.has(k)).length;
      fn += [...want].filter((k) => !got.includes(k)).length;
    }
    return { name, tp, fp, fn };
  });
}

export function confusion<T extends string>(
  rows: readonly Row[],
  values: readonly T[],
  labelOf: (row: Row) => T,
  resultOf: (row: Row) => T,
): { readonly table: number[][]; readonly accuracy: number } {
  const table = values.map(() => values.map(() => 0));
  let hits = 0;
  for (const row of rows) {
    const i = values.indexOf(labelOf(row));
    const j = values.indexOf(resultOf(row));
    const line = table[i];
    if (line !== undefined && j >= 0) line[j] = (line[j] ?? 0) + 1;
    if (i === j) hits += 1;
  }
  return { table, accuracy: rows.length === 0 ? NaN : hits / rows.length };
}

export interface Safety {
  readonly pitchesToProductRed: number;
  readonly pitchesToLabelRed: number;
  readonly nowOnProductNonGreen: number;
  readonly nowOnLabelNonGreen: number;
}

export function safety(rows: readonly Row[]): Safety {
  const count = (test: (row: Row) => boolean): number => rows.filter(test).length;
  return {
    pitchesToProductRed: rows.reduce((n, r) => n + (r.result.health === 'red' ? pitched(r.result).size : 0), 0),
    pitchesToLabelRed: rows.reduce((n, r) => n + (r.item.label.health === 'red' ? pitched(r.result).size : 0), 0),
    nowOnProductNonGreen: count((r) => r.result.timing === 'now' && r.result.health !== 'green'),
    nowOnLabelNonGreen: count((r) => r.result.timing === 'now' && r.item.label.health !== 'green'),
  };
}

export interface SeatFit {
  readonly compared: number;
  readonly inRange: number;
  readonly misses: readonly string[];
}

/** Seat adds both sides expect: is the product's size inside the labelled range? */
export function seatFit(rows: readonly Row[]): SeatFit {
  const misses: string[] = [];
  let compared = 0;
  for (const { item, result } of rows) {
    const range = item.label.seats;
    const size = seatAddOf(result)?.seatsToAdd;
    if (range === undefined || size === undefined) continue;
    compared += 1;
    if (size < range[0] || size > range[1]) misses.push(`${item.id}: ${size} seats, range ${range[0]}..${range[1]}`);
  }
  return { compared, inRange: compared - misses.length, misses };
}

export interface Disagreement {
  readonly id: string;
  readonly field: 'health' | 'timing' | 'motions' | 'seats';
  readonly mine: string;
  readonly product: string;
  readonly why: string;
  readonly debatable?: string;
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean =>
  a.size === b.size && [...a].every((k) => b.has(k));
const motionText = (keys: readonly MotionKey[]): string => (keys.length === 0 ? 'none' : keys.join(' '));

/** Every field where the product differs from the label, with the label's rationale for that field. */
export function disagreements(rows: readonly Row[]): Disagreement[] {
  const out: Disagreement[] = [];
  for (const { item, result } of rows) {
    const { label } = item;
    const base = { id: item.id, ...(label.debatable === undefined ? {} : { debatable: label.debatable }) };
    if (label.health !== result.health) {
      out.push({ ...base, field: 'health', mine: label.health, product: result.health, why: label.why.health });
    }
    if (label.timing !== result.timing) {
      out.push({ ...base, field: 'timing', mine: label.timing, product: result.timing, why: label.why.timing });
    }
    if (!sameSet(new Set(label.motions), pitched(result))) {
      const product = describeMotions(result);
      out.push({ ...base, field: 'motions', mine: motionText(label.motions), product, why: label.why.motions });
    }
    const size = seatAddOf(result)?.seatsToAdd;
    if (label.seats !== undefined && size !== undefined && (size < label.seats[0] || size > label.seats[1])) {
      out.push({
        ...base,
        field: 'seats',
        mine: `${label.seats[0]}..${label.seats[1]}`,
        product: String(size),
        why: label.why.seats ?? '',
      });
    }
  }
  return out;
}

import type { Evidence } from '../model/assessment.ts';
import { money } from '../format.ts';

/**
 * Evidence values are stored already rounded to the precision the text shows them with, so a number
 * read back out of a narrative equals the value it cites, with no tolerance games.
 */
export const wholePercent = (ratio: number): number => Math.round(ratio * 100);
export const oneDecimal = (value: number): number => Math.round(value * 10) / 10;
/** Whole units of the configured currency (the name predates `money`; amounts are not always dollars). */
export const wholeDollars = (value: number): number => Math.round(value);

/** The currency a text is written in when none is configured: the scoring config's default. */
export const DEFAULT_CURRENCY = 'USD';

/** Units that count things (people, seats, events, days): a text never shows a fraction of one. */
const WHOLE_UNITS: ReadonlySet<Evidence['unit']> = new Set<Evidence['unit']>([
  'count',
  'seats',
  'users',
  'events',
  'days',
  'weeks',
  'percent',
  'money',
  'usd',
]);

/** `1234567.5` -> `1,234,567.5`; fixed `en-US` grouping by hand so output never depends on the host's locale data. */
export function groupThousands(value: number): string {
  const [whole = '0', fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * The evidence at the precision its text shows: counts, seats, users, days, percents and amounts whole.
 * A narrative cites this copy, so the evidence it keeps holds exactly the number a reader sees.
 */
export function shownEvidence(evidence: Evidence): Evidence {
  if (!WHOLE_UNITS.has(evidence.unit) || Number.isInteger(evidence.value)) return evidence;
  return { ...evidence, value: Math.round(evidence.value) };
}

/**
 * How an evidence value reads in text. Signs are left to the words around it ("up 24%", "fell 35%"),
 * so percents and amounts render as magnitudes. Amounts (`money`, and the legacy `usd`) are whole units
 * of `currency`, in `en-US` conventions: `$14,400`, `€14,400`.
 */
export function formatEvidence(evidence: Evidence, currency: string = DEFAULT_CURRENCY): string {
  switch (evidence.unit) {
    case 'percent':
      return `${groupThousands(evidence.value)}%`;
    case 'money':
    case 'usd':
      return money(Math.abs(evidence.value), currency);
    default:
      return groupThousands(evidence.value);
  }
}

/** Every number written in a text, as values: `$14,400` -> 14400, `88%` -> 88, `2026-11-20` -> 2026, 11, 20. */
export function numbersIn(text: string): number[] {
  const found = text.match(/\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g) ?? [];
  return found.map((token) => Number(token.replaceAll(',', '')));
}

/** Numbers in `text` that none of the evidence values account for (compared as magnitudes). */
export function untracedNumbers(text: string, evidence: readonly Evidence[]): number[] {
  const known = new Set(evidence.map((e) => Math.abs(e.value)));
  return numbersIn(text).filter((n) => !known.has(n));
}

/**
 * Collects the evidence a text cites while the text is written: `cite` returns the value formatted
 * for the text and records the evidence, so a number can only reach the text through its evidence.
 */
export interface Citations {
  cite(evidence: Evidence): string;
  readonly evidence: readonly Evidence[];
}

export interface CitationOptions {
  /** ISO 4217 code amounts are written in: the scoring config's `pricing.currency`. */
  readonly currency?: string | undefined;
  /**
   * Cite counts, seats, users, days, percents and amounts as whole numbers (see `shownEvidence`), and
   * record the rounded copy. The talking points, QBR agenda and email ask for it; signal summaries keep
   * the precision their own evidence holds, so a summary and its evidence always agree.
   */
  readonly whole?: boolean | undefined;
}

export function citations(options: CitationOptions = {}): Citations {
  const currency = options.currency ?? DEFAULT_CURRENCY;
  const cited = new Map<string, Evidence>();
  return {
    cite(evidence) {
      const shown = options.whole === true ? shownEvidence(evidence) : evidence;
      const key = `${shown.metric}|${shown.value}`;
      if (!cited.has(key)) cited.set(key, shown);
      return formatEvidence(shown, currency);
    },
    get evidence() {
      return [...cited.values()];
    },
  };
}

/** `1 seat`, `12 seats`: the count is cited, the noun follows it. */
export function plural(count: string, value: number, noun: string): string {
  return `${count} ${noun}${Math.abs(value) === 1 ? '' : 's'}`;
}

export const upperFirst = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
export const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

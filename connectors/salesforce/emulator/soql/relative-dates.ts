/**
 * Relative date literals (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm).
 * Each denotes a range of whole days starting at 00:00:00; `=` matches inside it, `<` before its start and
 * `>` after its end. The emulator resolves ranges in UTC with the en_US locale: weeks start on Sunday, and
 * quarters and years are calendar ones (the standard fiscal year starts in January).
 */
export interface DateRange {
  /** Inclusive start, epoch milliseconds. */
  readonly start: number;
  /** Exclusive end, epoch milliseconds. */
  readonly end: number;
}

const DAY_MS = 86_400_000;

/** Literals that take `:n`, e.g. `LAST_N_DAYS:7`. */
export const RELATIVE_WITH_N = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS']);

const FIXED = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_QUARTER',
  'LAST_QUARTER',
  'NEXT_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
]);

/** True for a relative literal name that stands alone (no `:n`). */
export function isRelativeLiteral(name: string): boolean {
  return FIXED.has(name.toUpperCase());
}

function days(from: number, count: number): DateRange {
  return { start: from, end: from + count * DAY_MS };
}

function months(year: number, month: number, count: number): DateRange {
  return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + count, 1) };
}

function dayRange(name: string, today: number, n: number): DateRange | undefined {
  switch (name) {
    case 'YESTERDAY':
      return days(today - DAY_MS, 1);
    case 'TODAY':
      return days(today, 1);
    case 'TOMORROW':
      return days(today + DAY_MS, 1);
    // "LAST_90_DAYS ... includes the current day", so it spans 91 days; LAST_N_DAYS:1 is yesterday and today.
    case 'LAST_90_DAYS':
      return { start: today - 90 * DAY_MS, end: today + DAY_MS };
    case 'LAST_N_DAYS':
      return { start: today - n * DAY_MS, end: today + DAY_MS };
    // NEXT_90_DAYS / NEXT_N_DAYS:n start at 00:00:00 of the next day and do not include today.
    case 'NEXT_90_DAYS':
      return days(today + DAY_MS, 90);
    case 'NEXT_N_DAYS':
      return days(today + DAY_MS, n);
    default:
      return undefined;
  }
}

function weekRange(name: string, today: number): DateRange | undefined {
  const sunday = today - new Date(today).getUTCDay() * DAY_MS;
  switch (name) {
    case 'LAST_WEEK':
      return days(sunday - 7 * DAY_MS, 7);
    case 'THIS_WEEK':
      return days(sunday, 7);
    case 'NEXT_WEEK':
      return days(sunday + 7 * DAY_MS, 7);
    default:
      return undefined;
  }
}

function calendarRange(name: string, now: Date): DateRange | undefined {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const quarter = month - (month % 3);
  switch (name) {
    case 'LAST_MONTH':
      return months(year, month - 1, 1);
    case 'THIS_MONTH':
      return months(year, month, 1);
    case 'NEXT_MONTH':
      return months(year, month + 1, 1);
    case 'LAST_QUARTER':
      return months(year, quarter - 3, 3);
    case 'THIS_QUARTER':
      return months(year, quarter, 3);
    case 'NEXT_QUARTER':
      return months(year, quarter + 3, 3);
    case 'LAST_YEAR':
      return months(year - 1, 0, 12);
    case 'THIS_YEAR':
      return months(year, 0, 12);
    case 'NEXT_YEAR':
      return months(year + 1, 0, 12);
    default:
      return undefined;
  }
}

/** The range a relative literal denotes at `now` (UTC); `n` is the `:n` of the `_N_` forms. */
export function relativeRange(name: string, now: Date, n = 0): DateRange {
  const upper = name.toUpperCase();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const range = dayRange(upper, today, n) ?? weekRange(upper, today) ?? calendarRange(upper, now);
  if (!range) throw new RangeError(`Unknown relative date literal ${name}`);
  return range;
}

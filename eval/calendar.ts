/** The book's clock: every scenario is built relative to one asOf, so labels never depend on today. */
export const AS_OF = '2026-11-20';

const DAY_MS = 86_400_000;

export function shiftDate(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The date `days` before the book's asOf (0 = asOf itself). */
export const daysAgo = (days: number): string => shiftDate(AS_OF, -days);

/** The date `days` after the book's asOf. */
export const daysAhead = (days: number): string => shiftDate(AS_OF, days);

/** Whole days from `from` to `to` (positive when `to` is later). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export function isWeekend(iso: string): boolean {
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

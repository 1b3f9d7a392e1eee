/**
 * The hour ranges an Export API pull asks for. The API takes `start` and `end` as inclusive UTC hours
 * formatted YYYYMMDDTHH, counts them by upload time, exports an hour about two hours after it ends, and
 * allows at most 365 days a call (https://amplitude.com/docs/apis/analytics/export, "Considerations").
 */

const HOUR_MS = 3_600_000;
/** "Data sent between 8 and 9 PM ... is available through the Export API at 11 PM": two hours after the hour. */
export const EXPORT_LAG_MS = 2 * HOUR_MS;
/** "The maximum period you can query at once is 365 days." */
export const MAX_RANGE_HOURS = 365 * 24;

/** An inclusive range of whole UTC hours, as ms since the epoch of each hour's start. */
export interface HourRange {
  readonly start: number;
  readonly end: number;
}

/** 20260201T05 for 2026-02-01 05:00 UTC. */
export function formatHour(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}`;
}

/** The start of the hour 20260201T05, or undefined when the text is not such an hour. */
export function parseHour(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  const ms = Date.UTC(year, month - 1, day, hour);
  const back = new Date(ms);
  const valid = back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day;
  return valid && hour < 24 ? ms : undefined;
}

/** The last hour whose export is complete at `now`: the hour ended at least EXPORT_LAG_MS ago. */
export function lastExportedHour(now: number): number {
  return Math.floor((now - EXPORT_LAG_MS) / HOUR_MS) * HOUR_MS - HOUR_MS;
}

/**
 * The hours to pull for the days `from`..`to` (YYYY-MM-DD, inclusive) at `now`: from the first hour of
 * `from` to the last hour of `to`, but never an hour not yet exported. Undefined when nothing is exported yet.
 */
export function exportRange(from: string, to: string, now: number): HourRange | undefined {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Math.min(Date.parse(`${to}T23:00:00Z`), lastExportedHour(now));
  return end < start ? undefined : { start, end };
}

/** The range cut into calls of at most `maxHours` hours each, oldest first. */
export function splitRange(range: HourRange, maxHours = MAX_RANGE_HOURS): HourRange[] {
  const parts: HourRange[] = [];
  for (let start = range.start; start <= range.end; start += maxHours * HOUR_MS)
    parts.push({ start, end: Math.min(range.end, start + (maxHours - 1) * HOUR_MS) });
  return parts;
}

/** Two halves of a range longer than one hour (for a range whose export is over the size limit). */
export function halves(range: HourRange): readonly [HourRange, HourRange] | undefined {
  const hours = hoursIn(range);
  if (hours < 2) return undefined;
  const middle = range.start + Math.floor(hours / 2) * HOUR_MS;
  return [
    { start: range.start, end: middle - HOUR_MS },
    { start: middle, end: range.end },
  ];
}

export function hoursIn(range: HourRange): number {
  return (range.end - range.start) / HOUR_MS + 1;
}

import type { UsageDay } from '../../src/model/usage.ts';

/** One row's fields before validation, whichever format they came from. */
export interface RawUsageRow {
  readonly date: unknown;
  readonly accountKey: unknown;
  /** A missing, null or empty count means "not collected that day" and is left out of the day. */
  readonly activeUsers: unknown;
  readonly seatsUsed: unknown;
  /** [feature, count] pairs; a missing or empty count means "no count" and is left out. */
  readonly events: ReadonlyArray<readonly [string, unknown]>;
}

/** How the row's fields are named in the file, so messages use the user's names. */
export interface FieldLabels {
  readonly date: string;
  readonly accountKey: string;
  readonly activeUsers: string;
  readonly seatsUsed: string;
  readonly event: (feature: string) => string;
  /** Where the event counts are, for the message about a row without any count. */
  readonly events: string;
}

export type RowResult = { readonly ok: true; readonly day: UsageDay } | { readonly ok: false; readonly message: string; readonly accountKey?: string };

/** No product has ten million active users or seats on one account; such a number is a unit or join mistake. */
export const MAX_USERS = 10_000_000;
/** Per-feature events per account per day beyond this are an export bug, not usage. */
export const MAX_EVENTS = 1_000_000_000_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DIGITS = /^\d{1,15}$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Validates one row. Every bad field is named in the one message, with its value cut to 40 characters,
 * so a person can fix the row in one pass. Keys are trimmed and lowercased: the join to CRM accounts is
 * case-insensitive (domains), and the engine lowercases the account side the same way. An empty count
 * is "not collected" and left out of the day, never read as zero; a row needs at least one count.
 */
export function toUsageDay(row: RawUsageRow, labels: FieldLabels): RowResult {
  const problems: string[] = [];
  const accountKey = typeof row.accountKey === 'string' ? row.accountKey.trim().toLowerCase() : '';
  // A double quote in a key is a CSV quoting slip ("acme".example), never part of a domain or an id.
  if (accountKey.includes('"')) problems.push(`${labels.accountKey} ${show(row.accountKey)} contains a double quote; quote whole values only, e.g. "acme.example"`);
  if (accountKey === '') {
    const notText = `${labels.accountKey} must be text, got ${show(row.accountKey)}`;
    problems.push(isBlank(row.accountKey) ? `${labels.accountKey} is empty` : notText);
  }
  const date = typeof row.date === 'string' ? row.date.trim() : '';
  if (!isIsoDate(date)) problems.push(row.date === undefined || row.date === '' ? `${labels.date} is empty` : `${labels.date} ${show(row.date)} is not a valid YYYY-MM-DD date`);
  const users = (value: unknown, label: string): number | undefined =>
    isBlank(value) ? undefined : count(value, { label, max: MAX_USERS, problems });
  const activeUsers = users(row.activeUsers, labels.activeUsers);
  const seatsUsed = users(row.seatsUsed, labels.seatsUsed);
  const events: Record<string, number> = {};
  let filled = isBlank(row.activeUsers) && isBlank(row.seatsUsed) ? 0 : 1;
  for (const [feature, value] of row.events) {
    if (isBlank(value)) continue;
    filled += 1;
    const n = count(value, { label: labels.event(feature), max: MAX_EVENTS, problems });
    if (n !== undefined) events[feature] = n;
  }
  if (filled === 0) {
    const counts = `${labels.activeUsers}, ${labels.seatsUsed} and ${labels.events}`;
    problems.push(`the row has no count (${counts} are empty); fill in what was collected that day, or leave the day out`);
  }
  if (problems.length > 0) return { ok: false, message: problems.join('; '), ...(accountKey === '' ? {} : { accountKey }) };
  const day: UsageDay = { accountKey, date, events };
  if (activeUsers !== undefined) day.activeUsers = activeUsers;
  if (seatsUsed !== undefined) day.seatsUsed = seatsUsed;
  return { ok: true, day };
}

/** Empty in either format: a missing NDJSON key, JSON null, or a CSV cell with nothing but spaces. */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function count(value: unknown, options: { readonly label: string; readonly max: number; readonly problems: string[] }): number | undefined {
  // The common case, plain digits, skips the general checks below.
  if (typeof value === 'string' && DIGITS.test(value)) {
    const n = Number(value);
    return n <= options.max ? n : fail(options.problems, `${options.label} ${show(value)} is implausibly large (more than ${options.max.toLocaleString('en-US')})`);
  }
  const { label, problems } = options;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    if (!NUMBER.test(text)) return fail(problems, `${label} ${show(value)} is not a number`);
    n = Number(text);
  } else return fail(problems, `${label} must be a number, got ${show(value)}`);
  if (!Number.isFinite(n)) return fail(problems, `${label} ${show(value)} is not a finite number`);
  if (n < 0) return fail(problems, `${label} ${show(value)} is negative`);
  if (!Number.isInteger(n)) return fail(problems, `${label} ${show(value)} is not a whole number`);
  if (n > options.max) return fail(problems, `${label} ${show(value)} is implausibly large (more than ${options.max.toLocaleString('en-US')})`);
  return n;
}

function fail(problems: string[], message: string): undefined {
  problems.push(message);
  return undefined;
}

/** Dates already checked: a usage file repeats a few hundred dates across every account. */
const validDates = new Set<string>();

export function isIsoDate(text: string): boolean {
  if (validDates.has(text)) return true;
  const parts = DATE.exec(text);
  if (!parts) return false;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (valid && validDates.size < 100_000) validDates.add(text);
  return valid;
}

/** A value as a message shows it: quoted, cut to 40 characters. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}

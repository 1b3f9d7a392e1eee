import { z } from 'zod';

/**
 * One account's product usage on one day, the unit every analytics source is reduced to.
 * `events` holds per-feature event counts (feature name -> count) for the day. A count the source did
 * not collect that day is absent, which is not the same as zero: scoring skips the day for that measure.
 */
export const UsageDaySchema = z
  .object({
    accountKey: z.string().min(1),
    date: z.iso.date(),
    activeUsers: z.number().int().nonnegative().optional(),
    seatsUsed: z.number().int().nonnegative().optional(),
    events: z.record(z.string(), z.number().nonnegative()).default({}),
  })
  .strict();
export type UsageDay = z.infer<typeof UsageDaySchema>;

/** The account field a usage row's account key matches: the company domain, the CRM record id, or a custom field. */
export const JoinOnSchema = z
  .enum(['domain', 'id', 'usageKey'])
  .default('domain')
  .describe(
    "Account field the usage file's account_key matches: the company domain, the CRM record id, or a custom field mapped to usageKey.",
  );

/**
 * Where a usage row came from, for messages: a line of the source's file, or the source's own words for
 * anything else (a query's row number, an API page and index).
 */
export type UsageLocation = { readonly line: number } | { readonly location: string };

/** What any usage source yields: a valid day, or a located problem that never stops the read. */
export type UsageItem<L extends UsageLocation = UsageLocation> = L &
  (
    | { readonly ok: true; readonly day: UsageDay }
    | { readonly ok: false; readonly message: string; readonly accountKey?: string }
  );

/** One row's fields before validation, whichever source or format they came from. */
export interface RawUsageRow {
  readonly date: unknown;
  readonly accountKey: unknown;
  /** A missing, null or empty count means "not collected that day" and is left out of the day. */
  readonly activeUsers: unknown;
  readonly seatsUsed: unknown;
  /** [feature, count] pairs; a missing or empty count means "no count" and is left out. */
  readonly events: ReadonlyArray<readonly [string, unknown]>;
}

/** How the row's fields are named in the source, so messages use the user's names. */
export interface FieldLabels {
  readonly date: string;
  readonly accountKey: string;
  readonly activeUsers: string;
  readonly seatsUsed: string;
  readonly event: (feature: string) => string;
  /** Where the event counts are, for the message about a row without any count. */
  readonly events: string;
}

/** No product has ten million active users or seats on one account; such a number is a unit or join mistake. */
export const MAX_USERS = 10_000_000;
/** Per-feature events per account per day beyond this are an export bug, not usage. */
export const MAX_EVENTS = 1_000_000_000_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DIGITS = /^\d{1,15}$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

type Issues = Pick<z.RefinementCtx, 'issues'>;
const issue = (ctx: Issues, input: unknown, message: string): null => {
  ctx.issues.push({ code: 'custom', message, input });
  return null;
};

/**
 * The row schema for one set of labels: every field is checked and every bad one named, so a person
 * can fix the row in one pass. A count field is `undefined` when blank (not collected) and `null` when
 * it was filled in but bad, so the no-count rule can tell the two apart.
 */
function rowSchema(labels: FieldLabels) {
  const users = (label: string) =>
    z.unknown().transform((v, ctx) => (isBlank(v) ? undefined : count(v, { label, max: MAX_USERS, ctx })));
  return (
    z
      .object({
        accountKey: z.unknown().transform((value, ctx) => accountKeyOf(value, labels, ctx)),
        date: z.unknown().transform((value, ctx) => {
          const date = typeof value === 'string' ? value.trim() : '';
          if (isIsoDate(date)) return date;
          const empty = value === undefined || value === '';
          return issue(
            ctx,
            value,
            empty ? `${labels.date} is empty` : `${labels.date} ${show(value)} is not a valid YYYY-MM-DD date`,
          );
        }),
        activeUsers: users(labels.activeUsers),
        seatsUsed: users(labels.seatsUsed),
        events: z.unknown().transform((pairs, ctx) => {
          const counts: Record<string, number> = {};
          let filled = 0;
          // A source hands over [feature, count] pairs; anything else is that source's bug, named here.
          const list: readonly unknown[] = Array.isArray(pairs) ? pairs : [pairs];
          for (const pair of list) {
            const [feature, value]: readonly unknown[] = Array.isArray(pair) ? pair : [];
            if (typeof feature !== 'string') {
              issue(ctx, pair, `${labels.events} must hold [feature, count] pairs, got ${show(pair)}`);
              continue;
            }
            if (isBlank(value)) continue;
            filled += 1;
            const n = count(value, { label: labels.event(feature), max: MAX_EVENTS, ctx });
            if (n !== null) counts[feature] = n;
          }
          return { counts, filled };
        }),
      })
      .check(
        // Runs even when a field failed: "no count" belongs in the same message as the other problems.
        z.superRefine(
          (row, ctx) => {
            if (row.activeUsers !== undefined || row.seatsUsed !== undefined || row.events.filled > 0) return;
            const counts = `${labels.activeUsers}, ${labels.seatsUsed} and ${labels.events}`;
            const message = `the row has no count (${counts} are empty); fill in what was collected that day, or leave the day out`;
            ctx.addIssue({ code: 'custom', message });
          },
          { when: () => true },
        ),
      )
      .transform((row): z.input<typeof UsageDaySchema> => {
        // Both are strings here: a failed check returns null and fails the parse before this step.
        const { activeUsers, seatsUsed } = row;
        return {
          accountKey: row.accountKey ?? '',
          date: row.date ?? '',
          events: row.events.counts,
          ...(activeUsers === undefined || activeUsers === null ? {} : { activeUsers }),
          ...(seatsUsed === undefined || seatsUsed === null ? {} : { seatsUsed }),
        };
      })
      // The canonical schema has the last word: whatever a source's row checks let through is a UsageDay.
      .pipe(UsageDaySchema)
  );
}

/** Labels are a module constant per source format, so each gets its schema built once. */
const schemas = new WeakMap<FieldLabels, ReturnType<typeof rowSchema>>();

/**
 * The one validation of an untrusted usage row, for every source: a UsageDay, or a problem at `at`
 * naming every bad field with its value cut to 40 characters. Keys are trimmed and lowercased: the join
 * to CRM accounts is case-insensitive (domains), and the engine lowercases the account side the same
 * way. An empty count is "not collected" and left out of the day, never read as zero; a row needs at
 * least one count.
 */
export function parseUsageRow<L extends UsageLocation>(row: RawUsageRow, labels: FieldLabels, at: L): UsageItem<L> {
  let schema = schemas.get(labels);
  if (!schema) schemas.set(labels, (schema = rowSchema(labels)));
  const parsed = schema.safeParse(row);
  if (!parsed.success) {
    const accountKey = typeof row.accountKey === 'string' ? row.accountKey.trim().toLowerCase() : '';
    const message = parsed.error.issues.map((i) => i.message).join('; ');
    return { ...at, ok: false, message, ...(accountKey === '' ? {} : { accountKey }) };
  }
  return { ...at, ok: true, day: parsed.data };
}

function accountKeyOf(value: unknown, labels: FieldLabels, ctx: Issues): string | null {
  const key = typeof value === 'string' ? value.trim().toLowerCase() : '';
  // A double quote in a key is a CSV quoting slip ("acme".example), never part of a domain or an id.
  if (key.includes('"'))
    return issue(
      ctx,
      value,
      `${labels.accountKey} ${show(value)} contains a double quote; quote whole values only, e.g. "acme.example"`,
    );
  if (key !== '') return key;
  return issue(
    ctx,
    value,
    isBlank(value) ? `${labels.accountKey} is empty` : `${labels.accountKey} must be text, got ${show(value)}`,
  );
}

/** Empty in either format: a missing NDJSON key, JSON null, or a CSV cell with nothing but spaces. */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function count(
  value: unknown,
  options: { readonly label: string; readonly max: number; readonly ctx: Issues },
): number | null {
  const { label, max, ctx } = options;
  const tooLarge = () =>
    issue(ctx, value, `${label} ${show(value)} is implausibly large (more than ${max.toLocaleString('en-US')})`);
  // The common case, plain digits, skips the general checks below.
  if (typeof value === 'string' && DIGITS.test(value)) {
    const n = Number(value);
    return n <= max ? n : tooLarge();
  }
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    if (!NUMBER.test(text)) return issue(ctx, value, `${label} ${show(value)} is not a number`);
    n = Number(text);
  } else return issue(ctx, value, `${label} must be a number, got ${show(value)}`);
  if (!Number.isFinite(n)) return issue(ctx, value, `${label} ${show(value)} is not a finite number`);
  if (n < 0) return issue(ctx, value, `${label} ${show(value)} is negative`);
  if (!Number.isInteger(n)) return issue(ctx, value, `${label} ${show(value)} is not a whole number`);
  return n > max ? tooLarge() : n;
}

/** Dates already checked: a usage source repeats a few hundred dates across every account. */
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

/** Usage before this day is a default or a typo (1900-01-01, 0001-01-01), not a product's history. */
export const USAGE_DATE_FLOOR = '2000-01-01';

/**
 * Why a valid row's date cannot be a real usage day for a run as of `asOf` (both YYYY-MM-DD), or undefined:
 * a day after the as-of date has not happened yet, and one before USAGE_DATE_FLOOR is a placeholder.
 */
export function usageDateProblem(date: string, asOf: string): string | undefined {
  if (date > asOf) return `date ${date} is after the run's as-of date ${asOf}; the row was not stored`;
  if (date < USAGE_DATE_FLOOR)
    return `date ${date} is before ${USAGE_DATE_FLOOR}, too old to be usage; the row was not stored`;
  return undefined;
}

/**
 * The counts of a day, as one 31-bit number: two rows for the same account and day are duplicates when
 * their fingerprints match, and a conflict otherwise. Event order does not matter.
 */
export function usageFingerprint(day: UsageDay): number {
  const events = Object.keys(day.events)
    .sort()
    .map((k) => `${k}=${day.events[k]}`)
    .join(',');
  const text = `${day.activeUsers ?? ''}|${day.seatsUsed ?? ''}|${events}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x7fffffff;
}

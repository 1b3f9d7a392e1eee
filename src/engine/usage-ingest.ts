import { usageDateProblem, usageFingerprint, type UsageDay, type UsageItem } from '../model/usage.ts';
import type { StateStore } from '../state/store.ts';
import { locate, usageReadWindow, type UsageSource } from './usage-source.ts';

// Kept for importers of the old home; the seam is src/engine/usage-source.ts.
export type { UsageItem, UsageSource } from './usage-source.ts';

export interface UsageProblem {
  readonly where: string;
  readonly message: string;
}

export interface IngestResult {
  readonly rows: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly problems: number;
  /** The first problems, located (file:line, or the source's own location); `problems` counts them all. */
  readonly sample: readonly UsageProblem[];
  /** Where each account key was first seen (formatted by `locate`), to locate rows of unknown accounts. */
  readonly firstSeen: ReadonlyMap<string, string>;
  /** Only in dry-run: the rows, kept in memory because nothing may be written. */
  readonly memory?: ReadonlyMap<string, UsageDay[]>;
}

const BATCH = 5_000;
export const MAX_SAMPLE = 50;

/**
 * Streams the usage source into the state store's history in batches (one transaction each). In dry-run
 * the rows are kept in memory instead. Besides the rows the source itself rejects, three kinds of row are
 * reported with their location and not stored: a day after `asOf`, a day before USAGE_DATE_FLOOR, and a
 * second row for an account and day whose counts differ from the first one's (the first wins; an
 * identical repeat is no problem). Spotting those keeps about 80 bytes per account-day seen.
 */
export async function ingestUsage(options: {
  readonly source: UsageSource;
  readonly store: StateStore;
  readonly dryRun: boolean;
  /** The run's as-of date (YYYY-MM-DD): rows after it are reported, not stored. Defaults to today in UTC. */
  readonly asOf?: string;
  readonly onRows?: (rows: number) => void;
}): Promise<IngestResult> {
  const firstSeen = new Map<string, string>();
  const { label } = options.source;
  const sample: UsageProblem[] = [];
  const memory = options.dryRun ? new Map<string, UsageDay[]>() : undefined;
  let batch: UsageDay[] = [];
  const totals = { rows: 0, inserted: 0, updated: 0, unchanged: 0, problems: 0 };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    if (!memory) {
      const result = await options.store.upsertUsage(batch);
      totals.inserted += result.inserted;
      totals.updated += result.updated;
      totals.unchanged += result.unchanged;
    }
    batch = [];
    options.onRows?.(totals.rows);
  };
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  // A source that yields each account-day once needs no record of the days seen.
  const seen = options.source.uniqueDays === true ? undefined : new SeenDays();
  const problem = (item: UsageItem, message: string): void => {
    totals.problems += 1;
    if (sample.length < MAX_SAMPLE) sample.push({ where: locate(label, item), message });
  };
  const latest = options.dryRun ? undefined : await options.store.latestUsageDate();
  const window = usageReadWindow(latest, options.asOf ?? new Date().toISOString().slice(0, 10));
  for await (const item of options.source.read(window)) {
    if (!item.ok) {
      problem(item, item.message);
      continue;
    }
    const dateProblem = usageDateProblem(item.day.date, asOf);
    if (dateProblem !== undefined) {
      problem(item, `${item.day.accountKey}: ${dateProblem}`);
      continue;
    }
    const first = seen?.check(item);
    if (first !== undefined) {
      const where = typeof first === 'number' ? `${label}:${first}` : `${label} ${first}`;
      problem(
        item,
        `${item.day.accountKey} on ${item.day.date} has a second row whose counts differ from the first at ${where}; the first was kept, this row was not stored`,
      );
      continue;
    }
    totals.rows += 1;
    const key = item.day.accountKey;
    if (!firstSeen.has(key)) {
      firstSeen.set(key, locate(label, item));
    }
    if (memory) pushTo(memory, key, item.day);
    else batch.push(item.day);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return { ...totals, sample, firstSeen, ...(memory ? { memory } : {}) };
}

/**
 * Every account-day read so far, with its counts' fingerprint and where it was: per account, the day as a
 * number (20261102) mapped to a small record, so a large file costs little memory per row.
 */
class SeenDays {
  private readonly accounts = new Map<
    string,
    Map<number, { readonly fingerprint: number; readonly at: number | string }>
  >();

  /** Where the first row of a conflicting duplicate was (a line, or the source's location); undefined otherwise. */
  check(item: UsageItem & { readonly ok: true }): number | string | undefined {
    const { day } = item;
    let days = this.accounts.get(day.accountKey);
    if (!days) this.accounts.set(day.accountKey, (days = new Map()));
    const date = Number(day.date.replaceAll('-', ''));
    const fingerprint = usageFingerprint(day);
    const first = days.get(date);
    if (!first) {
      days.set(date, { fingerprint, at: 'line' in item ? item.line : item.location });
      return undefined;
    }
    return first.fingerprint === fingerprint ? undefined : first.at;
  }
}

function pushTo(map: Map<string, UsageDay[]>, key: string, day: UsageDay): void {
  const list = map.get(key);
  if (list) list.push(day);
  else map.set(key, [day]);
}

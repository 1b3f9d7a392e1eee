import type { UsageItem, UsageLocation } from '../model/usage.ts';

export type { UsageItem, UsageLocation } from '../model/usage.ts';

/**
 * The seam every product-usage source implements (a file, a warehouse query, an analytics API): one
 * pull per run that yields canonical days, each validated by `parseUsageRow` in src/model/usage.ts, or
 * located problems that never stop the read. Sources are created from the config by the usage-source
 * registry (connectors/usage-registry.ts); the engine knows only this interface.
 */
export interface UsageSource {
  /** Where the rows come from, for messages: a file path or a source name. */
  readonly label: string;
  /**
   * One pull. A source that can filter by date (a warehouse, an analytics API) reads only `window`; a file
   * is read whole and may ignore it (the ingest reports days after `to` and keeps the rest).
   */
  read(window?: UsageReadWindow): AsyncIterable<UsageItem>;
  /**
   * The source yields at most one row per account and day (a warehouse GROUP BY, an aggregate it builds
   * itself), so the ingest keeps no record per account-day to spot conflicting duplicates: memory stays flat
   * in the row count. A file, which can hold anything, leaves it unset.
   */
  readonly uniqueDays?: boolean;
}

/**
 * The days a run asks a source for, inclusive (YYYY-MM-DD): from the day after the store's latest usage day
 * less an overlap of USAGE_OVERLAP_DAYS (late data), or on a first run the USAGE_HISTORY_DAYS the signals
 * need, up to the run's as-of date.
 */
export interface UsageReadWindow {
  readonly from: string;
  readonly to: string;
  /** The store held no usage yet: this pull is the history. */
  readonly firstRun: boolean;
}

/** Days read again on every run, for rows that arrive late. */
export const USAGE_OVERLAP_DAYS = 3;
/** Days a first run reads: the longest window the signals look back over (a year for year-over-year). */
export const USAGE_HISTORY_DAYS = 365;

/** The window a run reads, from the store's latest usage day (undefined: none yet) and the run's as-of date. */
export function usageReadWindow(latest: string | undefined, asOf: string): UsageReadWindow {
  const minus = (date: string, days: number): string =>
    new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  if (latest === undefined) return { from: minus(asOf, USAGE_HISTORY_DAYS - 1), to: asOf, firstRun: true };
  const from = minus(latest < asOf ? latest : asOf, USAGE_OVERLAP_DAYS);
  return { from, to: asOf, firstRun: false };
}

/** An item's place as a message shows it: `path:line` for a file, `label location` for anything else. */
export function locate(label: string, at: UsageLocation): string {
  return 'line' in at ? `${label}:${at.line}` : `${label} ${at.location}`;
}

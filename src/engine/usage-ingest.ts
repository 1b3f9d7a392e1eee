import type { UsageDay } from '../model/usage.ts';
import type { StateStore } from '../state/store.ts';
import { locate, type UsageSource } from './usage-source.ts';

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
 * Streams the usage source into the state store's history in batches (one transaction each), so memory
 * stays flat however large the file is. In dry-run the rows are kept in memory instead.
 */
export async function ingestUsage(options: {
  readonly source: UsageSource;
  readonly store: StateStore;
  readonly dryRun: boolean;
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
  for await (const item of options.source.read()) {
    if (!item.ok) {
      totals.problems += 1;
      if (sample.length < MAX_SAMPLE) sample.push({ where: locate(label, item), message: item.message });
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

function pushTo(map: Map<string, UsageDay[]>, key: string, day: UsageDay): void {
  const list = map.get(key);
  if (list) list.push(day);
  else map.set(key, [day]);
}

import type { UsageDay } from '../model/usage.ts';
import type { StateStore } from '../state/store.ts';

/** What any usage source yields: a valid day, or a located problem that never stops the read. */
export type UsageItem =
  | { readonly ok: true; readonly line: number; readonly day: UsageDay }
  | { readonly ok: false; readonly line: number; readonly message: string; readonly accountKey?: string };

export interface UsageSource {
  /** Where the rows come from, for messages: a file path or a source name. */
  readonly label: string;
  read(): AsyncIterable<UsageItem>;
}

export interface UsageProblem { readonly where: string; readonly message: string }

export interface IngestResult {
  readonly rows: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly problems: number;
  /** The first problems, located (file:line); `problems` counts them all. */
  readonly sample: readonly UsageProblem[];
  /** First line each account key was seen on, to locate rows of unknown accounts. */
  readonly firstLine: ReadonlyMap<string, number>;
  /** Only in dry-run: the rows, kept in memory because nothing may be written. */
  readonly memory?: ReadonlyMap<string, UsageDay[]>;
}

const BATCH = 5_000;
export const MAX_SAMPLE = 50;

/**
 * Streams the usage source into the state store's history in batches (one transaction each), so memory
 * stays flat however large the file is. In dry-run the rows are kept in memory instead.
 */
export async function ingestUsage(options: { readonly source: UsageSource; readonly store: StateStore; readonly dryRun: boolean; readonly onRows?: (rows: number) => void }): Promise<IngestResult> {
  const firstLine = new Map<string, number>();
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
      if (sample.length < MAX_SAMPLE) sample.push({ where: `${options.source.label}:${item.line}`, message: item.message });
      continue;
    }
    totals.rows += 1;
    const key = item.day.accountKey;
    if (!firstLine.has(key)) firstLine.set(key, item.line);
    if (memory) pushTo(memory, key, item.day);
    else batch.push(item.day);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return { ...totals, sample, firstLine, ...(memory ? { memory } : {}) };
}

function pushTo(map: Map<string, UsageDay[]>, key: string, day: UsageDay): void {
  const list = map.get(key);
  if (list) list.push(day);
  else map.set(key, [day]);
}

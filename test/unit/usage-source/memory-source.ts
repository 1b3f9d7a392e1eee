import { z } from 'zod';
import { defineUsageSource, type UsageSourceEntry } from '../../../connectors/usage-registry.ts';
import { JoinOnSchema, parseUsageRow, type FieldLabels, type RawUsageRow } from '../../../src/model/usage.ts';

/**
 * A second usage source that lives only in the tests: rows held in memory, as a warehouse query or an
 * analytics API would hand them over (untyped values, located by row number, not by a file line). It is
 * registered through the registry's injection point; nothing in src/ names it.
 */
export const MEMORY_LABELS: FieldLabels = {
  date: 'day',
  accountKey: 'account',
  activeUsers: 'users',
  seatsUsed: 'seats',
  event: (f) => `events.${f}`,
  events: 'events',
};

export const MemoryUsageConfigSchema = z
  .object({ source: z.literal('memory'), dataset: z.string(), joinOn: JoinOnSchema })
  .strict();

export function memoryUsageSource(datasets: ReadonlyMap<string, readonly RawUsageRow[]>): UsageSourceEntry {
  return defineUsageSource({
    id: 'memory',
    label: 'in-memory rows',
    configSchema: MemoryUsageConfigSchema,
    secrets: [],
    create: ({ config }) => ({
      label: `memory:${config.dataset}`,
      async *read() {
        const rows = datasets.get(config.dataset) ?? [];
        for (const [i, row] of rows.entries()) yield parseUsageRow(row, MEMORY_LABELS, { location: `row ${i + 1}` });
      },
    }),
  });
}

import { z } from 'zod';
import type { CrmOpportunity } from '../model/account.ts';
import type { StateStore } from '../state/store.ts';
import type { Normalize } from './plan-fields.ts';

/**
 * The write batch in flight, kept in the state store from just before the CRM call until its outcomes are
 * recorded. A run killed in between leaves it behind; the next run reconciles it against what the CRM now
 * holds: a field that holds exactly what was sent was written by us, any other value is a person's.
 */
export const IN_FLIGHT_STREAM = 'writes-in-flight';

const InFlightSchema = z.object({
  runId: z.string(),
  object: z.string(),
  records: z.array(z.object({ key: z.string(), fields: z.record(z.string(), z.string().nullable()) })),
});
export type InFlight = z.infer<typeof InFlightSchema>;

export interface ReconcileOptions {
  readonly store: StateStore;
  readonly sync: string;
  readonly system: string;
  readonly objects: { readonly account: string; readonly opportunity: string };
  /** The CRM's current values of the written fields, per account id, as this run read them. */
  readonly currentAccounts: ReadonlyMap<string, Readonly<Record<string, string | null>>>;
  readonly opportunities: readonly CrmOpportunity[];
  readonly normalize: Normalize;
  readonly runId: string;
  readonly now: () => Date;
}

/**
 * Takes into the ledger the fields of a batch a killed run sent whose values the CRM holds as sent, then
 * forgets the batch. Returns how many records were reconciled. A field the CRM holds with another value stays
 * out of the ledger, so a person's edit made before the killed run is still theirs.
 */
export async function reconcileInFlight(options: ReconcileOptions): Promise<number> {
  const { store, sync } = options;
  const parsed = InFlightSchema.safeParse(await store.getCheckpoint(sync, IN_FLIGHT_STREAM));
  if (!parsed.success) return 0;
  const { object, records } = parsed.data;
  const byKey = new Map(options.opportunities.filter((o) => o.expansionKey).map((o) => [o.expansionKey, o.values]));
  const currentOf = (key: string): Readonly<Record<string, string | null>> | undefined =>
    object === options.objects.account ? options.currentAccounts.get(key) : byKey.get(key);
  let reconciled = 0;
  for (const record of records) {
    const current = currentOf(record.key);
    if (current === undefined) continue;
    const landed = Object.fromEntries(
      Object.entries(record.fields).filter(
        ([field, sent]) =>
          field in current && options.normalize(field, current[field]) === options.normalize(field, sent),
      ),
    );
    if (Object.keys(landed).length === 0) continue;
    await store.recordWrite({
      system: options.system,
      objectType: object,
      recordKey: record.key,
      fields: landed,
      runId: parsed.data.runId,
      at: options.now().toISOString(),
    });
    reconciled += 1;
  }
  await store.clearCheckpoint(sync, IN_FLIGHT_STREAM);
  return reconciled;
}

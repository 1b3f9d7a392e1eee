import type { CrmOpportunity } from '../model/account.ts';
import type { StateStore } from '../state/store.ts';
import type { CrmConnector, PendingNote } from './crm.ts';
import type { WritePlan } from './plan.ts';

/** What `state rebuild` took back from the CRM into the state store. */
export interface RebuildResult {
  /** Records whose CRM values were taken as the ledger of what we wrote (accounts and deals). */
  readonly ledgers: number;
  /** Deals carrying our key, recorded as ours. */
  readonly opportunities: number;
  /** Notes found in the CRM by their reference, recorded as written. */
  readonly notes: number;
}

interface RebuildOptions {
  readonly system: string;
  readonly store: StateStore;
  readonly runId: string;
  readonly now: () => Date;
}

/**
 * Deals in the CRM that carry our key but that the store does not hold as ours (a lost or restored store, a
 * crash between the create and its record) are recorded as ours, with their CRM id, so a deal an AE later
 * deletes is not created again this cycle. Store-only: no CRM call.
 */
export async function recordOurDeals(
  options: RebuildOptions & {
    readonly opportunities: readonly CrmOpportunity[];
    readonly artifacts: ReadonlyMap<string, { readonly status: string; readonly crmId?: string }>;
  },
): Promise<number> {
  const prefix = `${options.system}-`;
  let recorded = 0;
  for (const opp of options.opportunities) {
    const key = opp.expansionKey;
    if (key === undefined || !key.startsWith(prefix)) continue;
    const known = options.artifacts.get(key);
    if (known?.status === 'done' && known.crmId === opp.id) continue;
    await options.store.putArtifact({
      system: options.system,
      key,
      kind: 'opportunity',
      status: 'done',
      crmId: opp.id,
      accountId: opp.accountId,
      runId: options.runId,
      updatedAt: opp.createdAt ?? options.now().toISOString(),
    });
    recorded += 1;
  }
  return recorded;
}

/**
 * `state rebuild`: everything a live run would learn from the CRM, recorded without a single CRM write. The
 * plan (made with `rebuild`) already takes the CRM's values of our records as the ledger; this records them,
 * and looks up by reference every planned note whose deal already exists, recording the ones found.
 */
export async function rebuildFromCrm(
  options: RebuildOptions & {
    readonly crm: Pick<CrmConnector, 'findNotes' | 'objects'>;
    readonly plan: WritePlan;
    readonly opportunities: readonly CrmOpportunity[];
    readonly artifacts: ReadonlyMap<string, { readonly status: string; readonly crmId?: string }>;
  },
): Promise<RebuildResult> {
  const { store, crm, plan, system, runId } = options;
  const at = options.now().toISOString();
  for (const adopt of plan.adopt)
    await store.recordWrite({
      system,
      objectType: adopt.object,
      recordKey: adopt.recordKey,
      fields: adopt.fields,
      runId,
      at,
    });
  const opportunities = await recordOurDeals(options);
  const onDeals = plan.notes.filter((n): n is typeof n & { opportunityId: string } => n.opportunityId !== undefined);
  const lookups: PendingNote[] = onDeals.map((n) => pendingNote(n));
  const found = lookups.length > 0 ? await crm.findNotes(lookups) : new Map<string, string>();
  for (const note of onDeals) {
    const crmId = found.get(note.key);
    if (crmId === undefined) continue;
    await store.putArtifact({
      system,
      key: note.key,
      kind: 'note',
      status: 'done',
      crmId,
      accountId: note.accountId,
      parentKey: note.opportunityId,
      runId,
      updatedAt: at,
    });
  }
  return { ledgers: plan.adopt.length, opportunities, notes: found.size };
}

function pendingNote(note: {
  readonly key: string;
  readonly opportunityId: string;
  readonly accountId: string;
  readonly title: string;
}): PendingNote {
  const full = { key: note.key, opportunityId: note.opportunityId, accountId: note.accountId, title: note.title };
  return full;
}

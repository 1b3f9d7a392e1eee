import type { CrmSystem } from '../model/account.ts';
import { errorMessage, isSyncError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { StateStore } from '../state/store.ts';
import type { CrmConnector, NoteCreate, WriteOutcome } from './crm.ts';
import type { PlannedNote, WritePlan } from './plan.ts';

export interface WriteCounts { created: number; updated: number; failed: number }
export interface WriteFailure { readonly object: string; readonly recordKey: string; readonly accountName: string; readonly code: string; readonly message: string }

export interface ApplyResult {
  readonly writes: Record<'account' | 'opportunity' | 'note', WriteCounts>;
  readonly failures: readonly WriteFailure[];
  /** Accounts whose update the CRM confirmed, by id. */
  readonly updatedAccounts: readonly string[];
  /** Set when the run had to stop early (a daily API quota): the next run resumes from the ledger. */
  readonly stopped?: { readonly code: string; readonly message: string; readonly phase: string };
}

export interface ApplyOptions {
  readonly plan: WritePlan;
  readonly crm: CrmConnector;
  readonly store: StateStore;
  readonly runId: string;
  readonly now: () => Date;
  readonly log: Logger;
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborted (SIGTERM/SIGINT): the batch in flight finishes and its outcomes are recorded, then the run stops. */
  readonly signal?: AbortSignal;
}

/** The stop code of a run asked to stop (SIGTERM, SIGINT); the next run resumes from the ledger. */
export const SHUTDOWN_CODE = 'shutdown';

class StopRun extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface Batch<T> { readonly phase: 'account' | 'opportunity' | 'note'; readonly object: string; readonly items: readonly T[]; ref(item: T): string; name(item: T): string; payload(item: T): unknown }

/**
 * Applies a plan in CRM-sized batches. Each batch's outcomes go to the ledger before the next batch is
 * sent, so a crash or a stop re-sends at most the batch in flight, and that batch is idempotent.
 */
export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const writes = { account: zero(), opportunity: zero(), note: zero() };
  const failures: WriteFailure[] = [];
  const updatedAccounts: string[] = [];
  const total = options.plan.accountUpdates.length + options.plan.opportunities.length + options.plan.notes.length;
  let done = 0;
  const { crm, store, runId } = options;
  const at = (): string => options.now().toISOString();
  const system: CrmSystem = crm.system;

  const runBatches = async <T>(batch: Batch<T>, send: (items: readonly T[]) => Promise<readonly WriteOutcome[]>, onSuccess: (item: T, outcome: WriteOutcome & { crmId: string }) => Promise<void>): Promise<void> => {
    const size = Math.max(1, crm.batchSize?.(batch.phase, batch.items.length) ?? crm.maxBatchSize);
    for (let start = 0; start < batch.items.length; start += size) {
      if (options.signal?.aborted) throw new StopRun(SHUTDOWN_CODE, `asked to stop; ${done} of ${total} writes done, the rest follow on the next run`);
      const items = batch.items.slice(start, start + size);
      const outcomes = await sendBatch(items, batch, send);
      const byRef = new Map(items.map((item) => [batch.ref(item), item]));
      for (const outcome of outcomes) {
        const item = byRef.get(outcome.ref);
        if (item === undefined) continue;
        const recordRef = { system, objectType: batch.object, recordKey: outcome.ref };
        if (outcome.status === 'failed') {
          writes[batch.phase].failed += 1;
          failures.push({ object: batch.object, recordKey: outcome.ref, accountName: batch.name(item), code: outcome.code, message: outcome.message });
          await store.recordFailure({ ...recordRef, runId, code: outcome.code, message: outcome.message, retryable: outcome.retryable, payload: batch.payload(item), at: at() });
          continue;
        }
        writes[batch.phase][outcome.status] += 1;
        await onSuccess(item, outcome);
        await store.clearFailure(recordRef);
      }
      done += items.length;
      options.onProgress?.(done, total);
    }
  };

  const sendBatch = async <T>(items: readonly T[], batch: Batch<T>, send: (items: readonly T[]) => Promise<readonly WriteOutcome[]>): Promise<readonly WriteOutcome[]> => {
    try {
      return await send(items);
    } catch (error) {
      if (isSyncError(error) && error.kind === 'quota') throw new StopRun(error.code, error.message);
      // The whole call failed after retries: every record in it is a failed write, retried next run.
      const code = isSyncError(error) ? error.code : 'write_failed';
      const retryable = !isSyncError(error) || error.kind !== 'data';
      options.log.error({ object: batch.object, records: items.length, code }, `batch write failed: ${errorMessage(error)}`);
      return items.map((item) => ({ ref: batch.ref(item), status: 'failed' as const, code, message: errorMessage(error), retryable }));
    }
  };

  try {
    for (const adopt of options.plan.adopt) {
      await store.recordWrite({ system, objectType: adopt.object, recordKey: adopt.recordKey, fields: adopt.fields, runId, at: at() });
    }
    await runBatches(
      { phase: 'account', object: crm.objects.account, items: options.plan.accountUpdates, ref: (u) => u.accountId, name: (u) => u.accountName, payload: (u) => u.fields },
      (items) => crm.updateAccounts(items.map((u) => ({ accountId: u.accountId, fields: u.fields }))),
      async (u) => {
        updatedAccounts.push(u.accountId);
        await store.recordWrite({ system, objectType: crm.objects.account, recordKey: u.accountId, fields: u.fields, runId, at: at() });
      },
    );
    await runBatches(
      { phase: 'opportunity', object: crm.objects.opportunity, items: options.plan.opportunities, ref: (o) => o.key, name: (o) => o.accountName, payload: (o) => o.fields },
      async (items) => {
        // Write-ahead: the key is recorded before the CRM call, so a crash leaves a trace to reconcile.
        for (const o of items) if (o.create) await store.putArtifact({ system, key: o.key, kind: 'opportunity', status: 'pending', accountId: o.accountId, runId, updatedAt: at() });
        return crm.upsertOpportunities(items.map((o) => ({ key: o.key, accountId: o.accountId, create: o.create, fields: o.fields, ...(o.crmId ? { crmId: o.crmId } : {}) })));
      },
      async (o, outcome) => {
        await store.putArtifact({ system, key: o.key, kind: 'opportunity', status: 'done', crmId: outcome.crmId, accountId: o.accountId, runId, updatedAt: at() });
        await store.recordWrite({ system, objectType: crm.objects.opportunity, recordKey: o.key, fields: o.fields, runId, at: at() });
      },
    );
    const notes = await resolveNotes(options);
    await runBatches(
      { phase: 'note', object: crm.objects.note, items: notes, ref: (n) => n.key, name: (n) => n.accountName ?? n.accountId, payload: (n) => ({ title: n.title }) },
      async (items) => {
        for (const n of items) await store.putArtifact({ system, key: n.key, kind: 'note', status: 'pending', accountId: n.accountId, parentKey: n.opportunityId, runId, updatedAt: at() });
        return crm.createNotes(items);
      },
      async (n, outcome) => store.putArtifact({ system, key: n.key, kind: 'note', status: 'done', crmId: outcome.crmId, accountId: n.accountId, parentKey: n.opportunityId, runId, updatedAt: at() }),
    );
  } catch (error) {
    if (error instanceof StopRun) return { writes, failures, updatedAccounts, stopped: { code: error.code, message: error.message, phase: 'apply' } };
    throw error;
  }
  return { writes, failures, updatedAccounts };
}

type NoteToSend = NoteCreate & { readonly accountName?: string };

/** Finds each note's opportunity id and drops notes a crashed run already created. */
async function resolveNotes(options: ApplyOptions): Promise<NoteToSend[]> {
  const { store, crm } = options;
  const withIds: Array<PlannedNote & { opportunityId: string }> = [];
  for (const note of options.plan.notes) {
    const id = note.opportunityId ?? (note.opportunityKey ? (await store.getArtifact(crm.system, note.opportunityKey))?.crmId : undefined);
    // No id yet: the opportunity write failed this run. The note is planned again next run.
    if (id) withIds.push({ ...note, opportunityId: id });
  }
  const pending = withIds.filter((n) => n.pending).map((n) => ({ key: n.key, opportunityId: n.opportunityId }));
  const found = pending.length > 0 ? await crm.findNotes(pending) : new Map<string, string>();
  const at = options.now().toISOString();
  for (const [key, crmId] of found) {
    const note = withIds.find((n) => n.key === key);
    if (note) await store.putArtifact({ system: crm.system, key, kind: 'note', status: 'done', crmId, accountId: note.accountId, parentKey: note.opportunityId, runId: options.runId, updatedAt: at });
  }
  return withIds
    .filter((n) => !found.has(n.key))
    .map((n) => ({ key: n.key, accountId: n.accountId, accountName: n.accountName, opportunityId: n.opportunityId, title: n.title, body: n.body }));
}

const zero = (): WriteCounts => ({ created: 0, updated: 0, failed: 0 });

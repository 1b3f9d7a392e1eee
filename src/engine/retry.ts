import type { Artifact, FailedWrite, RunEnd, StateStore } from '../state/store.ts';
import type { WriteFailure } from './apply.ts';
import type { CrmConnector, WriteOutcome } from './crm.ts';

/**
 * `runs retry`: a live run whose writes are limited to the records that failed in an earlier run. The run
 * reads, scores and plans as usual (so conflict rules and the ledger still decide every field), but only
 * the scoped records reach the CRM; every other planned write is left for the next normal run.
 */
export interface RetryScope {
  readonly objects: CrmConnector['objects'];
  /** `${object}:${recordKey}` of every write to resend. */
  readonly refs: ReadonlySet<string>;
}

export const refOf = (object: string, recordKey: string): string => `${object}:${recordKey}`;

export interface RetryTargets {
  /** Queue rows of the run's failed records: the writes the retry resends. */
  readonly queued: readonly FailedWrite[];
  /** The run's failures no longer queued: a later run wrote them (or the record no longer fails). */
  readonly settled: readonly WriteFailure[];
}

/** The run's failed records that are still in the failed-write queue, and those a later run already settled. */
export function retryTargets(runId: string, failures: readonly WriteFailure[], queue: readonly FailedWrite[]): RetryTargets {
  const inRun = new Set(failures.map((f) => refOf(f.object, f.recordKey)));
  const queued = queue.filter((q) => q.runId === runId || inRun.has(refOf(q.objectType, q.recordKey)));
  const stillQueued = new Set(queued.map((q) => refOf(q.objectType, q.recordKey)));
  return { queued, settled: failures.filter((f) => !stillQueued.has(refOf(f.object, f.recordKey))) };
}

export function retryScope(objects: CrmConnector['objects'], queued: readonly FailedWrite[]): RetryScope {
  return { objects, refs: new Set(queued.map((q) => refOf(q.objectType, q.recordKey))) };
}

/** A note is in scope when it failed itself, or when it belongs to a scoped opportunity (its key starts with the deal's key). */
function noteInScope(scope: RetryScope, key: string): boolean {
  if (scope.refs.has(refOf(scope.objects.note, key))) return true;
  const at = key.lastIndexOf('-note-');
  return at > 0 && scope.refs.has(refOf(scope.objects.opportunity, key.slice(0, at)));
}

function artifactInScope(scope: RetryScope, artifact: Artifact): boolean {
  return artifact.kind === 'note' ? noteInScope(scope, artifact.key) : scope.refs.has(refOf(scope.objects.opportunity, artifact.key));
}

const sendOnly = <T>(items: readonly T[], send: (items: readonly T[]) => Promise<readonly WriteOutcome[]>): Promise<readonly WriteOutcome[]> =>
  items.length === 0 ? Promise.resolve([]) : send(items);

/** The connector with its write calls narrowed to the scope: an out-of-scope write is never sent and gets no outcome. */
export function scopeConnector(crm: CrmConnector, scope: RetryScope): CrmConnector {
  const { account, opportunity } = crm.objects;
  return delegate<CrmConnector>(crm, {
    updateAccounts: (updates) => sendOnly(updates.filter((u) => scope.refs.has(refOf(account, u.accountId))), (items) => crm.updateAccounts(items)),
    upsertOpportunities: (upserts) => sendOnly(upserts.filter((o) => scope.refs.has(refOf(opportunity, o.key))), (items) => crm.upsertOpportunities(items)),
    createNotes: (notes) => sendOnly(notes.filter((n) => noteInScope(scope, n.key)), (items) => crm.createNotes(items)),
  });
}

/**
 * The store as the retry run sees it: the scoped records are not held back by the retry cap (they are
 * retried because someone asked), no write-ahead record is left for a write that is not sent, the
 * stop checkpoint of a normal run is left alone, and the run's summary names the run it retried.
 */
export function scopeStore(store: StateStore, scope: RetryScope, retryOf: string): StateStore {
  return delegate<StateStore>(store, {
    listFailures: async (options) => (await store.listFailures(options)).filter((f) => !scope.refs.has(refOf(f.objectType, f.recordKey))),
    putArtifact: (artifact) => (artifact.status === 'pending' && !artifactInScope(scope, artifact) ? Promise.resolve() : store.putArtifact(artifact)),
    clearCheckpoint: (sync, stream) => (stream === 'apply' ? Promise.resolve() : store.clearCheckpoint(sync, stream)),
    finishRun: (id, end: RunEnd) => store.finishRun(id, { ...end, summary: withRetryOf(end.summary, retryOf) }),
  });
}

function withRetryOf(summary: unknown, retryOf: string): unknown {
  return typeof summary === 'object' && summary !== null ? { ...summary, retryOf } : { retryOf };
}

/** `target` with some members replaced; every other member is the target's own (methods bound to it, so private fields work). */
function delegate<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return Reflect.get(overrides, property) as unknown;
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

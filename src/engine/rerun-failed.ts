import type { FailedWrite } from '../state/store.ts';
import type { WriteFailure } from './apply.ts';
import type { CrmConnector } from './crm.ts';
import type { WritePlan } from './plan.ts';

/**
 * `runs retry <id>`: a live run whose writes are limited to the records that failed in an earlier run.
 * (Request retries are another matter: src/http/call-policy.ts.) The run reads, scores and plans as usual,
 * so conflict rules and the ledger still decide every field; the scope then filters the plan, and every
 * other planned write is left for the next normal run.
 */
export interface WriteScope {
  /** The run whose failed writes are resent; the retry run's summary names it. */
  readonly retryOf: string;
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
export function retryTargets(
  runId: string,
  failures: readonly WriteFailure[],
  queue: readonly FailedWrite[],
): RetryTargets {
  const inRun = new Set(failures.map((f) => refOf(f.object, f.recordKey)));
  const queued = queue.filter((q) => q.runId === runId || inRun.has(refOf(q.objectType, q.recordKey)));
  const stillQueued = new Set(queued.map((q) => refOf(q.objectType, q.recordKey)));
  return { queued, settled: failures.filter((f) => !stillQueued.has(refOf(f.object, f.recordKey))) };
}

export function writeScope(options: {
  readonly retryOf: string;
  readonly objects: CrmConnector['objects'];
  readonly queued: readonly FailedWrite[];
}): WriteScope {
  return {
    retryOf: options.retryOf,
    objects: options.objects,
    refs: new Set(options.queued.map((q) => refOf(q.objectType, q.recordKey))),
  };
}

/** A note is in scope when it failed itself, or belongs to a scoped deal (its key starts with the deal's key). */
export function noteInScope(scope: WriteScope, key: string): boolean {
  if (scope.refs.has(refOf(scope.objects.note, key))) return true;
  const at = key.lastIndexOf('-note-');
  return at > 0 && scope.refs.has(refOf(scope.objects.opportunity, key.slice(0, at)));
}

/**
 * Pure: the plan narrowed to the scope. Out-of-scope writes are dropped, so they are never sent, get no
 * outcome and leave no write-ahead record. Skips and adoptions stay: they write nothing to the CRM, and
 * the report still explains why a scoped record was not sent.
 */
export function scopePlan(plan: WritePlan, scope: WriteScope): WritePlan {
  const { account, opportunity } = scope.objects;
  return {
    ...plan,
    accountUpdates: plan.accountUpdates.filter((u) => scope.refs.has(refOf(account, u.accountId))),
    opportunities: plan.opportunities.filter((o) => scope.refs.has(refOf(opportunity, o.key))),
    notes: plan.notes.filter((n) => noteInScope(scope, n.key)),
  };
}

/**
 * Pure: the failed-write queue as the retry plans with it. Scoped records are retried because someone
 * asked, so the retry cap does not hold them back.
 */
export function scopeFailures<T extends ReadonlyMap<string, FailedWrite>>(
  failures: T,
  scope: WriteScope,
): Map<string, FailedWrite> {
  return new Map([...failures].filter(([, f]) => !scope.refs.has(refOf(f.objectType, f.recordKey))));
}

/** The summary a retry run stores: its report, naming the run it retried, so `runs list` shows "live (retry)". */
export function withRetryOf(summary: unknown, retryOf: string): unknown {
  return typeof summary === 'object' && summary !== null ? { ...summary, retryOf } : { retryOf };
}

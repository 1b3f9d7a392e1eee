import type { CrmSystem } from '../model/account.ts';
import type { UsageDay } from '../model/usage.ts';
import type { OutcomeStore } from '../outcomes/types.ts';

/**
 * Everything the worker remembers between runs. The embedded default is node:sqlite (sqlite-store.ts);
 * a PostgreSQL implementation comes with the scale-out work, so every method is async even though
 * node:sqlite is synchronous. Nothing stored here is a secret: tokens never reach the store.
 */
export interface StateStore extends OutcomeStore {
  // ---- runs
  startRun(run: RunStart): Promise<void>;
  finishRun(id: string, end: RunEnd): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Runs whose id starts with `prefix` (for ids shortened as git's are), newest first, at most `limit`. */
  findRunsByIdPrefix(prefix: string, limit: number): Promise<readonly RunRecord[]>;
  listRuns(options?: { readonly sync?: string; readonly limit?: number }): Promise<readonly RunRecord[]>;

  // ---- product usage history (one row per account and day; a later row for the same day replaces it)
  upsertUsage(days: readonly UsageDay[]): Promise<UsageUpsertResult>;
  /** The latest day any usage is stored for (YYYY-MM-DD), or undefined when none is. */
  latestUsageDate(): Promise<string | undefined>;
  /** Usage for the given accounts with from <= date <= to, each account's days sorted by date. */
  usageByAccount(query: UsageQuery): Promise<ReadonlyMap<string, readonly UsageDay[]>>;

  // ---- write ledger: what we last wrote, per CRM record and field
  getLedger(ref: RecordRef): Promise<Readonly<Record<string, string | null>>>;
  /** Many records at once (one query), keyed by recordKey. */
  getLedgers(
    system: CrmSystem,
    objectType: string,
    recordKeys: readonly string[],
  ): Promise<ReadonlyMap<string, Readonly<Record<string, string | null>>>>;
  recordWrite(write: LedgerWrite): Promise<void>;

  // ---- artifacts: our deterministic keys mapped to CRM ids (write-ahead: pending before the CRM call)
  getArtifact(system: CrmSystem, key: string): Promise<Artifact | undefined>;
  listArtifacts(
    system: CrmSystem,
    options?: { readonly kind?: ArtifactKind; readonly status?: ArtifactStatus },
  ): Promise<readonly Artifact[]>;
  putArtifact(artifact: Artifact): Promise<void>;

  // ---- failed writes: retried on later runs up to a cap; validation failures are reported, not retried forever
  recordFailure(failure: FailureInput): Promise<FailedWrite>;
  clearFailure(ref: RecordRef): Promise<void>;
  listFailures(options?: { readonly system?: CrmSystem; readonly runId?: string }): Promise<readonly FailedWrite[]>;

  // ---- checkpoints: opaque JSON per sync and stream; an unreadable one is treated as absent
  getCheckpoint(sync: string, stream: string): Promise<unknown>;
  setCheckpoint(sync: string, stream: string, value: unknown): Promise<void>;
  clearCheckpoint(sync: string, stream?: string): Promise<void>;

  // ---- account snapshots: each account as last read, so an incremental read can score the whole portfolio
  /** Adds or replaces these accounts; with `replace`, a full read, every other account of the sync is dropped. */
  putAccountSnapshots(
    sync: string,
    snapshots: readonly AccountSnapshot[],
    options?: { readonly replace?: boolean },
  ): Promise<void>;
  listAccountSnapshots(sync: string): Promise<readonly AccountSnapshot[]>;

  // ---- account metric history: CRM values over time that scoring compares (the employee count)
  /** Records each value for its date; a second value for the same account, metric and date replaces the first. */
  recordAccountMetrics(system: CrmSystem, values: readonly AccountMetric[]): Promise<void>;
  /** Each requested account's values of one metric, oldest first. */
  accountMetricHistory(
    system: CrmSystem,
    metric: string,
    accountIds: readonly string[],
  ): Promise<ReadonlyMap<string, ReadonlyArray<{ readonly date: string; readonly value: number }>>>;

  // ---- assessments: the latest scoring result per account, for `score --explain` and `pipeline`
  saveAssessments(runId: string, items: readonly StoredAssessment[]): Promise<void>;
  getAssessment(system: CrmSystem, accountId: string): Promise<StoredAssessment | undefined>;
  listAssessments(system?: CrmSystem): Promise<readonly StoredAssessment[]>;

  // ---- run locks: at most one run per sync at a time, across every process sharing this store
  /**
   * Takes the sync's lock, in one write transaction, when it is free, when its lease has expired (the
   * holder stopped renewing), or when its holder was a process on this host that no longer exists.
   * The same holder acquiring again just extends its lease.
   */
  acquireLock(request: LockRequest): Promise<LockAcquisition>;
  /** Extends the holder's lease to now + leaseMs. False when the lock is no longer theirs (taken over or released): the run must stop. */
  renewLock(request: LockRequest): Promise<boolean>;
  /** Drops the lock if `holder` holds it (never someone else's); true when it did. */
  releaseLock(lock: { readonly sync: string; readonly holder: string }): Promise<boolean>;
  /** The sync's lock as stored, expired or not (compare `expiresAt`), for `runs` and healthz. */
  getLock(sync: string): Promise<SyncLock | undefined>;

  close(): Promise<void>;
}

export interface LockRequest {
  readonly sync: string;
  /** Unique per run (the run id): the identity renew and release check. */
  readonly holder: string;
  /** How long the lock stays valid without a renewal; renew well within it. */
  readonly leaseMs: number;
  readonly now: Date;
}

/** Who holds a lock. pid and host are the acquiring process's, recorded by the store. */
export interface LockHolder {
  readonly holder: string;
  readonly pid?: number;
  readonly host?: string;
  readonly acquiredAt?: string;
  readonly expiresAt: string;
}

export interface SyncLock extends LockHolder {
  readonly sync: string;
}

/** A lock taken from a holder that stopped renewing (`expired`) or whose process is gone (`holder_dead`). */
export interface LockTakeover extends LockHolder {
  readonly reason: 'expired' | 'holder_dead';
}

export type LockAcquisition =
  | { readonly acquired: true; readonly takenOver?: LockTakeover }
  | { readonly acquired: false; readonly heldBy: LockHolder };

export interface AccountMetric {
  readonly accountId: string;
  readonly metric: string;
  /** YYYY-MM-DD: the scoring day the value was read on. */
  readonly date: string;
  readonly value: number;
}

export interface AccountSnapshot {
  readonly accountId: string;
  /** The canonical account, as the connector mapped it. */
  readonly account: unknown;
  /** The CRM's current values of the fields the worker writes. */
  readonly current: Readonly<Record<string, string | null>>;
}

export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'stopped';

export interface RunStart {
  readonly id: string;
  readonly sync: string;
  readonly startedAt: string;
  readonly mode: 'live' | 'dry-run' | 'shadow';
}

export interface RunEnd {
  readonly status: RunStatus;
  readonly finishedAt: string;
  /** The run report, as JSON. */
  readonly summary: unknown;
}

export interface RunRecord extends RunStart {
  readonly status: RunStatus;
  readonly finishedAt?: string;
  readonly summary?: unknown;
}

export interface UsageUpsertResult {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

export interface UsageQuery {
  readonly accountKeys: readonly string[];
  readonly from: string;
  readonly to: string;
}

export interface RecordRef {
  readonly system: CrmSystem;
  /** CRM object, e.g. `companies`, `deals`, `Account`, `Opportunity`. */
  readonly objectType: string;
  /** CRM record id, or our artifact key for records identified by key. */
  readonly recordKey: string;
}

export interface LedgerWrite extends RecordRef {
  /** Field -> value we wrote (strings as the CRM stores them; null = cleared). Merged into the ledger. */
  readonly fields: Readonly<Record<string, string | null>>;
  readonly runId: string;
  readonly at: string;
}

export type ArtifactKind = 'opportunity' | 'note';
export type ArtifactStatus = 'pending' | 'done';

export interface Artifact {
  readonly system: CrmSystem;
  readonly key: string;
  readonly kind: ArtifactKind;
  readonly status: ArtifactStatus;
  /** CRM id once known. */
  readonly crmId?: string;
  readonly accountId: string;
  /** For notes: the opportunity key (or AE opportunity id) it belongs to. */
  readonly parentKey?: string;
  readonly runId: string;
  readonly updatedAt: string;
}

export interface FailureInput extends RecordRef {
  readonly runId: string;
  readonly code: string;
  /** The CRM's own message. */
  readonly message: string;
  readonly retryable: boolean;
  /** The intent that failed, as JSON, so `runs retry` can resend it. */
  readonly payload?: unknown;
  readonly at: string;
}

export interface FailedWrite extends FailureInput {
  readonly attempts: number;
  readonly firstFailedAt: string;
}

export interface StoredAssessment {
  readonly system: CrmSystem;
  readonly accountId: string;
  readonly accountName: string;
  readonly ownerId?: string;
  /** The owner's name from the CRM's owners at the run; absent on rows stored before names were kept. */
  readonly ownerName?: string;
  readonly runId: string;
  readonly asOf: string;
  /** The full Assessment, as JSON. */
  readonly assessment: unknown;
}

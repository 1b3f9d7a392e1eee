import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { SyncError } from '../errors.ts';
import type { CrmSystem } from '../model/account.ts';
import type { UsageDay } from '../model/usage.ts';
import type { DealOutcome, LearningRecord, PitchSnapshot, SignalSighting } from '../outcomes/types.ts';
import { applyMigrations } from './migrations.ts';
import { isBusy, openConnection, stateError, type SqliteConnection } from './sqlite-connection.ts';
import {
  artifactFromRow,
  assessmentFromRow,
  failureFromRow,
  optionalText,
  readJson,
  runFromRow,
  text,
  writeJson,
} from './sqlite-rows.ts';
import * as sql from './sqlite-sql.ts';
import { acquireSyncLock, getSyncLock, releaseSyncLock, renewSyncLock } from './sqlite-lock.ts';
import { accountMetricHistory, recordAccountMetrics } from './sqlite-metrics.ts';
import { latestUsageDay, upsertUsageDays, usageForAccounts } from './sqlite-usage.ts';
import * as outcomes from './sqlite-outcomes.ts';
import type {
  AccountMetric,
  AccountSnapshot,
  Artifact,
  ArtifactKind,
  ArtifactStatus,
  FailedWrite,
  FailureInput,
  LedgerWrite,
  LockAcquisition,
  LockRequest,
  RecordRef,
  RunEnd,
  RunRecord,
  RunStart,
  StateStore,
  StoredAssessment,
  SyncLock,
  UsageQuery,
  UsageUpsertResult,
} from './store.ts';

export interface OpenSqliteStoreOptions {
  /** Directory holding the database; created if missing. */
  readonly dataDir: string;
  /** Database file name inside dataDir. Default `state.db`. */
  readonly fileName?: string;
}

type Ledger = Readonly<Record<string, string | null>>;

/** Opens the state database in `dataDir`, creating it and applying migrations as needed. */
export async function openSqliteStore(options: OpenSqliteStoreOptions): Promise<SqliteStateStore> {
  const file = path.join(options.dataDir, options.fileName ?? 'state.db');
  try {
    await mkdir(options.dataDir, { recursive: true });
  } catch (error) {
    throw new SyncError(
      `Cannot create the data directory ${options.dataDir}: ${error instanceof Error ? error.message : 'unknown error'}. Set dataDir to a writable directory.`,
      {
        code: 'state_open_failed',
        kind: 'system',
        details: { file },
        cause: error,
      },
    );
  }
  // A busy database at open (another process creating it or migrating) is retried briefly, with jitter,
  // rather than failing a worker that happened to start at the same moment as another.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return new SqliteStateStore(openAndMigrate(file));
    } catch (error) {
      if (!isBusy(error) || attempt >= OPEN_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.floor(Math.random() * 50)));
    }
  }
}

const OPEN_ATTEMPTS = 10;

function openAndMigrate(file: string): SqliteConnection {
  const connection = openConnection(file);
  try {
    applyMigrations(connection);
    return connection;
  } catch (error) {
    connection.close();
    throw stateError('migration', file, error);
  }
}

/**
 * The embedded StateStore on node:sqlite. node:sqlite is synchronous; the methods are async only to honour
 * the interface shared with the PostgreSQL store. Bulk methods run in one transaction each.
 */
export class SqliteStateStore implements StateStore {
  readonly #connection: SqliteConnection;
  #closed = false;

  constructor(connection: SqliteConnection) {
    this.#connection = connection;
  }

  /** The database file, for messages and `doctor`-style output. */
  get file(): string {
    return this.#connection.file;
  }

  // ---- runs

  startRun(run: RunStart): Promise<void> {
    return this.#use('startRun', (c) => void c.run(sql.INSERT_RUN, run.id, run.sync, run.mode, run.startedAt));
  }

  finishRun(id: string, end: RunEnd): Promise<void> {
    return this.#use('finishRun', (c) => {
      if (c.run(sql.FINISH_RUN, end.status, end.finishedAt, writeJson(end.summary), id) === 0) {
        throw new SyncError(`Run ${id} is not in the state store; it cannot be finished.`, {
          code: 'state_run_unknown',
          kind: 'system',
          details: { runId: id },
        });
      }
    });
  }

  getRun(id: string): Promise<RunRecord | undefined> {
    return this.#use('getRun', (c) => {
      const row = c.statement(sql.GET_RUN).get(id);
      return row === undefined ? undefined : runFromRow(row);
    });
  }

  findRunsByIdPrefix(prefix: string, limit: number): Promise<readonly RunRecord[]> {
    return this.#use('findRunsByIdPrefix', (c) =>
      c
        .statement(sql.FIND_RUNS_BY_ID_PREFIX)
        .all(prefix, Math.max(0, Math.floor(limit)))
        .map(runFromRow),
    );
  }

  listRuns(options: { readonly sync?: string; readonly limit?: number } = {}): Promise<readonly RunRecord[]> {
    // LIMIT -1 is SQLite for "no limit".
    const limit =
      options.limit === undefined || !Number.isFinite(options.limit) ? -1 : Math.max(0, Math.floor(options.limit));
    return this.#use('listRuns', (c) =>
      c
        .statement(sql.LIST_RUNS)
        .all(options.sync ?? null, limit)
        .map(runFromRow),
    );
  }

  // ---- usage history

  upsertUsage(days: readonly UsageDay[]): Promise<UsageUpsertResult> {
    return this.#use('upsertUsage', (c) => upsertUsageDays(c, days));
  }

  latestUsageDate(): Promise<string | undefined> {
    return this.#use('latestUsageDate', (c) => latestUsageDay(c));
  }

  usageByAccount(query: UsageQuery): Promise<ReadonlyMap<string, readonly UsageDay[]>> {
    return this.#use('usageByAccount', (c) => usageForAccounts(c, query));
  }

  // ---- write ledger

  getLedger(ref: RecordRef): Promise<Ledger> {
    return this.#use('getLedger', (c) => {
      const ledger: Record<string, string | null> = {};
      for (const row of c.statement(sql.GET_LEDGER).iterate(ref.system, ref.objectType, ref.recordKey)) {
        ledger[text(row, 'field')] = optionalText(row, 'value') ?? null;
      }
      return ledger;
    });
  }

  getLedgers(
    system: CrmSystem,
    objectType: string,
    recordKeys: readonly string[],
  ): Promise<ReadonlyMap<string, Ledger>> {
    return this.#use('getLedgers', (c) => {
      const ledgers = new Map<string, Record<string, string | null>>();
      if (recordKeys.length === 0) return ledgers;
      for (const row of c.statement(sql.GET_LEDGERS).iterate(system, objectType, JSON.stringify(recordKeys))) {
        const key = text(row, 'record_key');
        let ledger = ledgers.get(key);
        if (ledger === undefined) ledgers.set(key, (ledger = {}));
        ledger[text(row, 'field')] = optionalText(row, 'value') ?? null;
      }
      return ledgers;
    });
  }

  recordWrite(write: LedgerWrite): Promise<void> {
    return this.#use('recordWrite', (c) => {
      const upsert = c.statement(sql.UPSERT_LEDGER);
      c.transaction(() => {
        for (const [field, value] of Object.entries(write.fields)) {
          upsert.run(write.system, write.objectType, write.recordKey, field, value, write.runId, write.at);
        }
      });
    });
  }

  // ---- artifacts

  getArtifact(system: CrmSystem, key: string): Promise<Artifact | undefined> {
    return this.#use('getArtifact', (c) => {
      const row = c.statement(sql.GET_ARTIFACT).get(system, key);
      return row === undefined ? undefined : artifactFromRow(row);
    });
  }

  listArtifacts(
    system: CrmSystem,
    options: { readonly kind?: ArtifactKind; readonly status?: ArtifactStatus } = {},
  ): Promise<readonly Artifact[]> {
    return this.#use('listArtifacts', (c) =>
      c
        .statement(sql.LIST_ARTIFACTS)
        .all(system, options.kind ?? null, options.status ?? null)
        .map(artifactFromRow),
    );
  }

  putArtifact(a: Artifact): Promise<void> {
    return this.#use(
      'putArtifact',
      (c) =>
        void c.run(
          sql.UPSERT_ARTIFACT,
          a.system,
          a.key,
          a.kind,
          a.status,
          a.crmId ?? null,
          a.accountId,
          a.parentKey ?? null,
          a.runId,
          a.updatedAt,
        ),
    );
  }

  // ---- failed writes

  recordFailure(f: FailureInput): Promise<FailedWrite> {
    return this.#use('recordFailure', (c) => {
      const row = c
        .statement(sql.UPSERT_FAILURE)
        .get(
          f.system,
          f.objectType,
          f.recordKey,
          f.runId,
          f.code,
          f.message,
          f.retryable ? 1 : 0,
          writeJson(f.payload),
          f.at,
        );
      if (row === undefined) throw new Error('the failure upsert returned no row');
      return failureFromRow(row);
    });
  }

  clearFailure(ref: RecordRef): Promise<void> {
    return this.#use('clearFailure', (c) => void c.run(sql.DELETE_FAILURE, ref.system, ref.objectType, ref.recordKey));
  }

  listFailures(
    options: { readonly system?: CrmSystem; readonly runId?: string } = {},
  ): Promise<readonly FailedWrite[]> {
    return this.#use('listFailures', (c) =>
      c
        .statement(sql.LIST_FAILURES)
        .all(options.system ?? null, options.runId ?? null)
        .map(failureFromRow),
    );
  }

  // ---- checkpoints

  getCheckpoint(sync: string, stream: string): Promise<unknown> {
    // readJson turns a damaged value into undefined: the engine then does a logged full read, not a crash.
    return this.#use('getCheckpoint', (c) => readJson(c.statement(sql.GET_CHECKPOINT).get(sync, stream)?.['value']));
  }

  setCheckpoint(sync: string, stream: string, value: unknown): Promise<void> {
    return this.#use('setCheckpoint', (c) => {
      const json = writeJson(value);
      if (json === null) c.run(sql.DELETE_CHECKPOINT, sync, stream);
      else c.run(sql.UPSERT_CHECKPOINT, sync, stream, json);
    });
  }

  clearCheckpoint(sync: string, stream?: string): Promise<void> {
    return this.#use('clearCheckpoint', (c) => {
      if (stream === undefined) c.run(sql.DELETE_CHECKPOINTS, sync);
      else c.run(sql.DELETE_CHECKPOINT, sync, stream);
    });
  }

  // ---- account snapshots

  putAccountSnapshots(
    sync: string,
    snapshots: readonly AccountSnapshot[],
    options: { readonly replace?: boolean } = {},
  ): Promise<void> {
    return this.#use('putAccountSnapshots', (c) => {
      const upsert = c.statement(sql.UPSERT_SNAPSHOT);
      c.transaction(() => {
        if (options.replace) c.run(sql.DELETE_SNAPSHOTS, sync);
        for (const s of snapshots)
          upsert.run(sync, s.accountId, writeJson(s.account) ?? 'null', writeJson(s.current) ?? '{}');
      });
    });
  }

  listAccountSnapshots(sync: string): Promise<readonly AccountSnapshot[]> {
    return this.#use('listAccountSnapshots', (c) =>
      c
        .statement(sql.LIST_SNAPSHOTS)
        .all(sync)
        .map((row) => ({
          accountId: text(row, 'account_id'),
          account: readJson(row['account']),
          current: (readJson(row['current_values']) ?? {}) as Record<string, string | null>,
        })),
    );
  }

  // ---- account metric history

  recordAccountMetrics(system: CrmSystem, values: readonly AccountMetric[]): Promise<void> {
    return this.#use('recordAccountMetrics', (c) => recordAccountMetrics(c, system, values));
  }

  accountMetricHistory(
    system: CrmSystem,
    metric: string,
    accountIds: readonly string[],
  ): Promise<ReadonlyMap<string, ReadonlyArray<{ readonly date: string; readonly value: number }>>> {
    return this.#use('accountMetricHistory', (c) => accountMetricHistory(c, { system, metric, accountIds }));
  }

  // ---- assessments

  /** Replaces each account's stored assessment: the last saved wins, whatever its asOf. */
  saveAssessments(runId: string, items: readonly StoredAssessment[]): Promise<void> {
    return this.#use('saveAssessments', (c) => {
      const upsert = c.statement(sql.UPSERT_ASSESSMENT);
      c.transaction(() => {
        for (const a of items) {
          const json = writeJson(a.assessment) ?? 'null';
          const values = [a.system, a.accountId, a.accountName, a.ownerId ?? null, runId, a.asOf, json];
          upsert.run(...values, a.ownerName ?? null);
        }
      });
    });
  }

  getAssessment(system: CrmSystem, accountId: string): Promise<StoredAssessment | undefined> {
    return this.#use('getAssessment', (c) => {
      const row = c.statement(sql.GET_ASSESSMENT).get(system, accountId);
      return row === undefined ? undefined : assessmentFromRow(row);
    });
  }

  listAssessments(system?: CrmSystem): Promise<readonly StoredAssessment[]> {
    return this.#use('listAssessments', (c) =>
      c
        .statement(sql.LIST_ASSESSMENTS)
        .all(system ?? null)
        .map(assessmentFromRow),
    );
  }

  // ---- the outcome loop

  savePitches(pitches: readonly PitchSnapshot[]): Promise<void> {
    return this.#use('savePitches', (c) => outcomes.savePitches(c, pitches));
  }

  listPitches(system?: string): Promise<readonly PitchSnapshot[]> {
    return this.#use('listPitches', (c) => outcomes.listPitches(c, system));
  }

  upsertOutcomes(items: readonly DealOutcome[]): Promise<{ readonly inserted: number; readonly changed: number }> {
    return this.#use('upsertOutcomes', (c) => outcomes.upsertOutcomes(c, items));
  }

  listOutcomes(system?: string): Promise<readonly DealOutcome[]> {
    return this.#use('listOutcomes', (c) => outcomes.listOutcomes(c, system));
  }

  recordSignalSightings(sightings: readonly SignalSighting[]): Promise<void> {
    return this.#use('recordSignalSightings', (c) => outcomes.recordSignalSightings(c, sightings));
  }

  listSignalSightings(system?: string): Promise<readonly SignalSighting[]> {
    return this.#use('listSignalSightings', (c) => outcomes.listSignalSightings(c, system));
  }

  saveLearning(record: LearningRecord): Promise<void> {
    return this.#use('saveLearning', (c) => outcomes.saveLearning(c, record));
  }

  listLearning(system?: string): Promise<readonly LearningRecord[]> {
    return this.#use('listLearning', (c) => outcomes.listLearning(c, system));
  }

  // ---- run locks

  acquireLock(request: LockRequest): Promise<LockAcquisition> {
    return this.#use('acquireLock', (c) => acquireSyncLock(c, request));
  }

  renewLock(request: LockRequest): Promise<boolean> {
    return this.#use('renewLock', (c) => renewSyncLock(c, request));
  }

  releaseLock(lock: { readonly sync: string; readonly holder: string }): Promise<boolean> {
    return this.#use('releaseLock', (c) => releaseSyncLock(c, lock));
  }

  getLock(sync: string): Promise<SyncLock | undefined> {
    return this.#use('getLock', (c) => getSyncLock(c, sync));
  }

  /** Closes the database. Later calls reject with `state_closed`; closing twice is harmless. */
  close(): Promise<void> {
    this.#closed = true;
    try {
      this.#connection.close();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(stateError('close', this.file, error));
    }
  }

  /** Runs one operation, turning SQLite failures into SyncErrors that name the operation. */
  #use<T>(operation: string, fn: (connection: SqliteConnection) => T): Promise<T> {
    if (this.#closed) {
      return Promise.reject(
        new SyncError(`The state store ${this.file} is closed; ${operation} was called after close().`, {
          code: 'state_closed',
          kind: 'system',
          details: { operation },
        }),
      );
    }
    try {
      return Promise.resolve(fn(this.#connection));
    } catch (error) {
      return Promise.reject(stateError(operation, this.file, error));
    }
  }
}

import { SyncError } from '../errors.ts';
import type { SqliteConnection } from './sqlite-connection.ts';

/**
 * One schema change. Versions only grow; a released migration is never edited, a fix is a new one,
 * because databases in the field have already run the old text.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

// Enum-like columns (system, kind, status, mode) carry no CHECK constraint on purpose: SQLite cannot alter
// a constraint without rebuilding the table, and a new CRM or artifact kind should be a code change only.
// The row readers validate them instead. Tables are STRICT so a wrong type fails loudly.
const INITIAL_SCHEMA = `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  sync TEXT NOT NULL,
  mode TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  summary TEXT
) STRICT;
CREATE INDEX runs_by_started ON runs (started_at);
CREATE INDEX runs_by_sync_started ON runs (sync, started_at);

CREATE TABLE usage_days (
  account_key TEXT NOT NULL,
  date TEXT NOT NULL,
  active_users INTEGER NOT NULL,
  seats_used INTEGER NOT NULL,
  events TEXT NOT NULL,
  PRIMARY KEY (account_key, date)
) STRICT, WITHOUT ROWID;

CREATE TABLE ledger (
  system TEXT NOT NULL,
  object_type TEXT NOT NULL,
  record_key TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT,
  run_id TEXT NOT NULL,
  written_at TEXT NOT NULL,
  PRIMARY KEY (system, object_type, record_key, field)
) STRICT, WITHOUT ROWID;

CREATE TABLE artifacts (
  system TEXT NOT NULL,
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  crm_id TEXT,
  account_id TEXT NOT NULL,
  parent_key TEXT,
  run_id TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (system, key)
) STRICT;
CREATE INDEX artifacts_by_kind_status ON artifacts (system, kind, status);

CREATE TABLE failed_writes (
  system TEXT NOT NULL,
  object_type TEXT NOT NULL,
  record_key TEXT NOT NULL,
  run_id TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  retryable INTEGER NOT NULL,
  payload TEXT,
  attempts INTEGER NOT NULL,
  first_failed_at TEXT NOT NULL,
  last_failed_at TEXT NOT NULL,
  PRIMARY KEY (system, object_type, record_key)
) STRICT;
CREATE INDEX failed_writes_by_run ON failed_writes (run_id);

CREATE TABLE checkpoints (
  sync TEXT NOT NULL,
  stream TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (sync, stream)
) STRICT;

CREATE TABLE assessments (
  system TEXT NOT NULL,
  account_id TEXT NOT NULL,
  account_name TEXT NOT NULL,
  owner_id TEXT,
  run_id TEXT NOT NULL,
  as_of TEXT NOT NULL,
  assessment TEXT NOT NULL,
  PRIMARY KEY (system, account_id)
) STRICT;
`;

/** Accounts as last read, per sync: an incremental read fetches only what changed and scores the whole portfolio. */
const ACCOUNT_SNAPSHOTS = `
CREATE TABLE account_snapshots (
  sync TEXT NOT NULL,
  account_id TEXT NOT NULL,
  account TEXT NOT NULL,
  current_values TEXT NOT NULL,
  PRIMARY KEY (sync, account_id)
) STRICT;
`;

/**
 * Account fields whose history scoring reads (the CRM employee count, for headcount growth): one value
 * per account, metric and scoring day. CRMs keep only the current value, so the worker keeps the history.
 */
const ACCOUNT_METRICS = `
CREATE TABLE account_metrics (
  system TEXT NOT NULL,
  account_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  date TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (system, account_id, metric, date)
) STRICT, WITHOUT ROWID;
`;

/**
 * One run per sync at a time, across every process sharing this database. A holder renews `expires_at`
 * while it runs; a lapsed lease, or a holder pid gone from this host, lets the next run take over.
 * `pid_namespace` (Linux /proc/self/ns/pid) keeps two containers with one hostname, e.g. under
 * `--network host`, from reading each other's pids: the dead-pid shortcut needs host and namespace to match.
 */
const SYNC_LOCKS = `
CREATE TABLE sync_locks (
  sync TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  pid INTEGER,
  host TEXT,
  pid_namespace TEXT,
  acquired_at TEXT,
  expires_at TEXT NOT NULL
) STRICT;
`;

/**
 * A usage source may not collect every count every day; an absent count is SQL NULL, not zero. SQLite
 * cannot drop a NOT NULL constraint in place, so the table is rebuilt inside the migration's transaction:
 * a new table, the rows copied, the old one dropped and the new one renamed
 * (https://www.sqlite.org/lang_altertable.html#otheralter).
 */
const NULLABLE_USAGE_COUNTS = `
CREATE TABLE usage_days_nullable (
  account_key TEXT NOT NULL,
  date TEXT NOT NULL,
  active_users INTEGER,
  seats_used INTEGER,
  events TEXT NOT NULL,
  PRIMARY KEY (account_key, date)
) STRICT, WITHOUT ROWID;
INSERT INTO usage_days_nullable (account_key, date, active_users, seats_used, events)
  SELECT account_key, date, active_users, seats_used, events FROM usage_days;
DROP TABLE usage_days;
ALTER TABLE usage_days_nullable RENAME TO usage_days;
`;

/**
 * The outcome loop: what was pitched (a snapshot kept once per key), what became of every expansion deal
 * (one row per CRM deal, replaced only when it changed), which signals fired on which accounts (first and
 * last scoring date), and each recalibration. Records are canonical JSON beside the columns they are looked
 * up by.
 */
const OUTCOME_LOOP = `
CREATE TABLE outcome_pitches (
  system TEXT NOT NULL,
  key TEXT NOT NULL,
  account_id TEXT NOT NULL,
  pitched_at TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (system, key)
) STRICT;
CREATE TABLE deal_outcomes (
  system TEXT NOT NULL,
  crm_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  record TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (system, crm_id)
) STRICT;
CREATE TABLE signal_sightings (
  system TEXT NOT NULL,
  account_id TEXT NOT NULL,
  signal_id TEXT NOT NULL,
  first_as_of TEXT NOT NULL,
  last_as_of TEXT NOT NULL,
  strength REAL NOT NULL,
  PRIMARY KEY (system, account_id, signal_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE learning_records (
  system TEXT NOT NULL,
  id TEXT NOT NULL,
  at TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (system, id)
) STRICT;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: INITIAL_SCHEMA },
  { version: 2, name: 'account snapshots', sql: ACCOUNT_SNAPSHOTS },
  { version: 3, name: 'account metric history', sql: ACCOUNT_METRICS },
  { version: 4, name: 'sync run locks', sql: SYNC_LOCKS },
  { version: 5, name: 'usage counts may be uncollected', sql: NULLABLE_USAGE_COUNTS },
  { version: 6, name: 'assessment owner names', sql: 'ALTER TABLE assessments ADD COLUMN owner_name TEXT;' },
  { version: 7, name: 'outcome loop', sql: OUTCOME_LOOP },
];

export interface MigrationResult {
  /** Versions applied by this call, in order; empty when the database was already current. */
  readonly applied: readonly number[];
  readonly version: number;
}

/**
 * Brings the database up to the newest known version, one transaction per migration, recording each in
 * `schema_migrations`. Refuses a database written by a newer release: running old code on a newer schema
 * could silently drop what the newer code stores.
 */
export function applyMigrations(
  connection: SqliteConnection,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationResult {
  assertOrdered(migrations);
  connection.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT',
  );
  const latest = migrations.at(-1)?.version ?? 0;
  refuseNewer(connection, latest);
  const applied: number[] = [];
  for (const migration of migrations) {
    // Re-read inside the write transaction: another process may have migrated while we waited for the lock.
    const didApply = connection.transaction(() => {
      if (currentVersion(connection) >= migration.version) return false;
      connection.exec(migration.sql);
      connection.run(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return { applied, version: Math.max(latest, currentVersion(connection)) };
}

function currentVersion(connection: SqliteConnection): number {
  const row = connection.statement('SELECT max(version) AS version FROM schema_migrations').get();
  return typeof row?.['version'] === 'number' ? row['version'] : 0;
}

function refuseNewer(connection: SqliteConnection, latest: number): void {
  const version = currentVersion(connection);
  if (version <= latest) return;
  throw new SyncError(
    `The state database ${connection.file} has schema version ${version}, newer than this expansion-sync supports (${latest}). It was written by a newer release: upgrade expansion-sync, or point dataDir at another directory.`,
    {
      code: 'state_too_new',
      kind: 'system',
      details: { file: connection.file, databaseVersion: version, supportedVersion: latest },
    },
  );
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = index === 0 ? 0 : (migrations[index - 1]?.version ?? 0);
    if (migration.version <= previous) {
      throw new SyncError(`Migration ${migration.version} (${migration.name}) is out of order`, {
        code: 'state_migrations_invalid',
        kind: 'system',
      });
    }
  });
}

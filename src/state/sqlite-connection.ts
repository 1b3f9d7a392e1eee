import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { SyncError } from '../errors.ts';

/** How long a writer waits for another process's lock before giving up (SQLITE_BUSY). */
const BUSY_TIMEOUT_MS = 5_000;

// SQLite primary result codes that mean "someone else holds the lock": worth a retry on a later run,
// unlike a full disk or a corrupt file. https://www.sqlite.org/rescode.html
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/**
 * One open node:sqlite database with the pragmas the store relies on, a prepared-statement cache and
 * a transaction helper. node:sqlite is synchronous, so nothing here awaits.
 */
export class SqliteConnection {
  readonly file: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(file: string, db: DatabaseSync) {
    this.file = file;
    this.#db = db;
  }

  get isOpen(): boolean {
    return this.#db.isOpen;
  }

  /** The prepared statement for this SQL, compiled once per connection. */
  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, ...params: SQLInputValue[]): number {
    return Number(this.statement(sql).run(...params).changes);
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  /**
   * Runs `fn` in one transaction. IMMEDIATE takes the write lock up front, so two workers sharing a data
   * directory queue on the busy timeout instead of failing half-way with SQLITE_BUSY on lock upgrade.
   */
  transaction<T>(fn: () => T): T {
    if (this.#db.isTransaction) return fn();
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    this.#statements.clear();
    if (this.#db.isOpen) this.#db.close();
  }
}

/** Opens (creating if needed) the database file with WAL, a busy timeout and foreign keys on. */
export function openConnection(file: string): SqliteConnection {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
    // WAL lets readers (`runs list`, `score --explain`) work while a sync writes. synchronous=NORMAL is
    // the documented safe pairing for WAL: a process crash loses nothing committed, only a power loss can
    // drop the last transactions, and writes are upserts on deterministic keys so a replay is harmless.
    // https://www.sqlite.org/wal.html#performance_considerations
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    // Reading the schema here surfaces "file is not a database" at open time, not on the first query.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return new SqliteConnection(file, db);
  } catch (error) {
    if (db?.isOpen) db.close();
    throw new SyncError(
      `Cannot open the state database ${file}: ${sqliteMessage(error)}. Check that the data directory is writable and that the file is an expansion-sync state database.`,
      {
        code: 'state_open_failed',
        kind: 'system',
        details: { file },
        cause: error,
      },
    );
  }
}

/**
 * True for SQLITE_BUSY/SQLITE_LOCKED, also when wrapped in our SyncError. Switching a new file to WAL
 * takes an exclusive lock without waiting on the busy handler, so two processes opening a fresh store at
 * the same moment (two workers starting) see it at once: https://www.sqlite.org/pragma.html#pragma_journal_mode
 */
export function isBusy(error: unknown): boolean {
  const inner = error instanceof SyncError && error.cause !== undefined ? error.cause : error;
  const code = sqliteCode(inner);
  const primary = code === undefined ? undefined : code & 0xff;
  return (
    primary === SQLITE_BUSY ||
    primary === SQLITE_LOCKED ||
    /database is locked/i.test(inner instanceof Error ? inner.message : '')
  );
}

/** Turns a node:sqlite failure into a SyncError that names the operation and the database file. */
export function stateError(operation: string, file: string, error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  const code = sqliteCode(error);
  // Extended result codes carry the primary code in their low byte.
  const primary = code === undefined ? undefined : code & 0xff;
  const busy = primary === SQLITE_BUSY || primary === SQLITE_LOCKED;
  return new SyncError(
    `State store ${operation} failed on ${file}: ${sqliteMessage(error)}${busy ? ' (another process holds the database lock)' : ''}`,
    {
      code: busy ? 'state_busy' : 'state_failed',
      kind: busy ? 'transient' : 'system',
      details: { operation, file, ...(code === undefined ? {} : { sqliteCode: code }) },
      cause: error,
    },
  );
}

function sqliteCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('errcode' in error)) return undefined;
  return typeof error.errcode === 'number' ? error.errcode : undefined;
}

function sqliteMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}

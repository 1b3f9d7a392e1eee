import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { SyncError } from '../errors.ts';
import type { SqliteConnection } from './sqlite-connection.ts';
import { optionalText, text, type Row } from './sqlite-rows.ts';
import type { LockAcquisition, LockHolder, LockRequest, LockTakeover, SyncLock } from './store.ts';

const GET_LOCK =
  'SELECT sync, holder, pid, host, pid_namespace, acquired_at, expires_at FROM sync_locks WHERE sync = ?';
const PUT_LOCK = `INSERT INTO sync_locks (sync, holder, pid, host, pid_namespace, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (sync) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host,
    pid_namespace = excluded.pid_namespace, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`;
const RENEW_LOCK = 'UPDATE sync_locks SET expires_at = ? WHERE sync = ? AND holder = ?';
const RELEASE_LOCK = 'DELETE FROM sync_locks WHERE sync = ? AND holder = ?';

interface StoredLock extends SyncLock {
  readonly pidNamespace?: string;
}

/**
 * Takes the sync's lock in one BEGIN IMMEDIATE transaction: read, decide, write, with no other writer in
 * between, so two processes racing for a free lock cannot both win.
 */
export function acquireSyncLock(connection: SqliteConnection, request: LockRequest): LockAcquisition {
  const expiresAt = leaseEnd(request);
  return connection.transaction((): LockAcquisition => {
    const current = readLock(connection, request.sync);
    if (current?.holder === request.holder) {
      connection.run(RENEW_LOCK, expiresAt, request.sync, request.holder);
      return { acquired: true };
    }
    const reason = current === undefined ? undefined : takeoverReason(current, request.now);
    if (current !== undefined && reason === undefined) return { acquired: false, heldBy: holderOf(current) };
    connection.run(
      PUT_LOCK,
      request.sync,
      request.holder,
      process.pid,
      os.hostname(),
      pidNamespace() ?? null,
      request.now.toISOString(),
      expiresAt,
    );
    if (current === undefined || reason === undefined) return { acquired: true };
    const takenOver: LockTakeover = { ...holderOf(current), reason };
    return { acquired: true, takenOver };
  });
}

/** Extends the lease if `holder` still holds the lock, expired or not; false when it is someone else's or gone. */
export function renewSyncLock(connection: SqliteConnection, request: LockRequest): boolean {
  return connection.run(RENEW_LOCK, leaseEnd(request), request.sync, request.holder) > 0;
}

export function releaseSyncLock(
  connection: SqliteConnection,
  lock: { readonly sync: string; readonly holder: string },
): boolean {
  return connection.run(RELEASE_LOCK, lock.sync, lock.holder) > 0;
}

export function getSyncLock(connection: SqliteConnection, sync: string): SyncLock | undefined {
  const lock = readLock(connection, sync);
  if (lock === undefined) return undefined;
  return { sync: lock.sync, ...holderOf(lock) };
}

/**
 * Why the current lock may be taken, or undefined when it must be respected. An unreadable expiry counts
 * as expired, so a damaged row cannot block the sync forever.
 */
function takeoverReason(lock: StoredLock, now: Date): LockTakeover['reason'] | undefined {
  if (!(Date.parse(lock.expiresAt) > now.getTime())) return 'expired';
  if (lock.pid !== undefined && samePidSpace(lock) && !isProcessAlive(lock.pid)) return 'holder_dead';
  return undefined;
}

/** Whether the lock's pid means the same process here: same host and, where Linux says, same pid namespace. */
function samePidSpace(lock: StoredLock): boolean {
  return lock.host === os.hostname() && lock.pidNamespace === pidNamespace();
}

/**
 * process.kill(pid, 0) sends nothing and only checks the pid: ESRCH means no such process. EPERM (another
 * user's process) and anything else count as alive, as does a pid that is not a plain process id (0 and
 * negatives address process groups).
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !(error instanceof Error && 'code' in error && error.code === 'ESRCH');
  }
}

let cachedNamespace: { readonly value: string | undefined } | undefined;

/** This process's pid namespace on Linux (`pid:[4026531836]`); undefined where /proc does not say. */
function pidNamespace(): string | undefined {
  if (cachedNamespace === undefined) {
    let value: string | undefined;
    try {
      value = readlinkSync('/proc/self/ns/pid');
    } catch {
      value = undefined;
    }
    cachedNamespace = { value };
  }
  return cachedNamespace.value;
}

function readLock(connection: SqliteConnection, sync: string): StoredLock | undefined {
  const row = connection.statement(GET_LOCK).get(sync);
  return row === undefined ? undefined : lockFromRow(row);
}

function lockFromRow(row: Row): StoredLock {
  const pid = row['pid'];
  const host = optionalText(row, 'host');
  const pidNs = optionalText(row, 'pid_namespace');
  const acquiredAt = optionalText(row, 'acquired_at');
  return {
    sync: text(row, 'sync'),
    holder: text(row, 'holder'),
    ...(typeof pid === 'number' ? { pid } : {}),
    ...(host === undefined ? {} : { host }),
    ...(pidNs === undefined ? {} : { pidNamespace: pidNs }),
    ...(acquiredAt === undefined ? {} : { acquiredAt }),
    expiresAt: text(row, 'expires_at'),
  };
}

function holderOf(lock: StoredLock): LockHolder {
  const { holder, pid, host, acquiredAt, expiresAt } = lock;
  return {
    holder,
    ...(pid === undefined ? {} : { pid }),
    ...(host === undefined ? {} : { host }),
    ...(acquiredAt === undefined ? {} : { acquiredAt }),
    expiresAt,
  };
}

function leaseEnd(request: LockRequest): string {
  const start = request.now.getTime();
  if (
    !Number.isFinite(start) ||
    !Number.isFinite(request.leaseMs) ||
    request.leaseMs <= 0 ||
    request.sync === '' ||
    request.holder === ''
  ) {
    throw new SyncError(
      `A lock request for sync "${request.sync}" needs a non-empty sync and holder, a valid now and a positive leaseMs (got ${request.leaseMs}).`,
      {
        code: 'state_lock_invalid',
        kind: 'system',
        details: { sync: request.sync, holder: request.holder, leaseMs: request.leaseMs },
      },
    );
  }
  return new Date(start + request.leaseMs).toISOString();
}

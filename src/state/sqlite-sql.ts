/**
 * The SQL behind SqliteStateStore, kept apart so the store reads as behaviour. Optional filters use the
 * `(? IS NULL OR column = ?)` form so one cached statement serves every combination.
 */

// ---- runs

export const INSERT_RUN = `INSERT INTO runs (id, sync, mode, status, started_at) VALUES (?, ?, ?, 'running', ?)`;

export const FINISH_RUN = `UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?`;

export const GET_RUN = `SELECT * FROM runs WHERE id = ?`;

// substr, not LIKE: a run id prefix is matched as typed, with no wildcard in it.
export const FIND_RUNS_BY_ID_PREFIX = `SELECT * FROM runs WHERE substr(id, 1, length(?1)) = ?1
  ORDER BY started_at DESC, rowid DESC LIMIT ?2`;

// rowid breaks ties between runs started in the same millisecond: the later insert is the newer run.
export const LIST_RUNS = `SELECT * FROM runs WHERE (?1 IS NULL OR sync = ?1)
  ORDER BY started_at DESC, rowid DESC LIMIT ?2`;

// ---- ledger

export const GET_LEDGER = `SELECT field, value FROM ledger WHERE system = ? AND object_type = ? AND record_key = ?`;

// One JSON array parameter expanded by json_each: any number of keys, one bound variable.
export const GET_LEDGERS = `SELECT record_key, field, value FROM ledger
  WHERE system = ? AND object_type = ? AND record_key IN (SELECT value FROM json_each(?))`;

export const UPSERT_LEDGER = `INSERT INTO ledger (system, object_type, record_key, field, value, run_id, written_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (system, object_type, record_key, field)
  DO UPDATE SET value = excluded.value, run_id = excluded.run_id, written_at = excluded.written_at`;

// ---- artifacts

export const GET_ARTIFACT = `SELECT * FROM artifacts WHERE system = ? AND key = ?`;

export const LIST_ARTIFACTS = `SELECT * FROM artifacts
  WHERE system = ?1 AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR status = ?3) ORDER BY key`;

// A CRM id, once learned, is never forgotten by a later put that lacks it (a retried create that
// re-marks the artifact pending): losing it would let the next run create the record a second time.
export const UPSERT_ARTIFACT = `INSERT INTO artifacts (system, key, kind, status, crm_id, account_id, parent_key, run_id, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (system, key) DO UPDATE SET kind = excluded.kind, status = excluded.status,
    crm_id = coalesce(excluded.crm_id, artifacts.crm_id), account_id = excluded.account_id,
    parent_key = excluded.parent_key, run_id = excluded.run_id, updated_at = excluded.updated_at`;

// ---- failed writes

// The latest failure's run, code and message replace the old ones; attempts count up and the first
// failure time stays, so the cap and "failing since" survive reruns. A failure without a payload keeps the
// one stored earlier, which `runs retry` needs to resend the write.
export const UPSERT_FAILURE = `INSERT INTO failed_writes
    (system, object_type, record_key, run_id, code, message, retryable, payload, attempts, first_failed_at, last_failed_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9)
  ON CONFLICT (system, object_type, record_key) DO UPDATE SET run_id = excluded.run_id, code = excluded.code,
    message = excluded.message, retryable = excluded.retryable, payload = coalesce(excluded.payload, failed_writes.payload),
    attempts = failed_writes.attempts + 1, last_failed_at = excluded.last_failed_at
  RETURNING *`;

export const DELETE_FAILURE = `DELETE FROM failed_writes WHERE system = ? AND object_type = ? AND record_key = ?`;

export const LIST_FAILURES = `SELECT * FROM failed_writes WHERE (?1 IS NULL OR system = ?1) AND (?2 IS NULL OR run_id = ?2)
  ORDER BY first_failed_at, system, object_type, record_key`;

// ---- checkpoints

export const GET_CHECKPOINT = `SELECT value FROM checkpoints WHERE sync = ? AND stream = ?`;

export const UPSERT_CHECKPOINT = `INSERT INTO checkpoints (sync, stream, value) VALUES (?, ?, ?)
  ON CONFLICT (sync, stream) DO UPDATE SET value = excluded.value`;

export const DELETE_CHECKPOINT = `DELETE FROM checkpoints WHERE sync = ? AND stream = ?`;

export const DELETE_CHECKPOINTS = `DELETE FROM checkpoints WHERE sync = ?`;

// ---- account snapshots

export const UPSERT_SNAPSHOT = `INSERT INTO account_snapshots (sync, account_id, account, current_values) VALUES (?, ?, ?, ?)
  ON CONFLICT (sync, account_id) DO UPDATE SET account = excluded.account, current_values = excluded.current_values`;

export const LIST_SNAPSHOTS = `SELECT account_id, account, current_values FROM account_snapshots WHERE sync = ? ORDER BY account_id`;

export const DELETE_SNAPSHOTS = `DELETE FROM account_snapshots WHERE sync = ?`;

// ---- assessments

export const UPSERT_ASSESSMENT = `INSERT INTO assessments (system, account_id, account_name, owner_id, run_id, as_of, assessment, owner_name)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (system, account_id) DO UPDATE SET account_name = excluded.account_name, owner_id = excluded.owner_id,
    run_id = excluded.run_id, as_of = excluded.as_of, assessment = excluded.assessment, owner_name = excluded.owner_name`;

export const GET_ASSESSMENT = `SELECT * FROM assessments WHERE system = ? AND account_id = ?`;

export const LIST_ASSESSMENTS = `SELECT * FROM assessments WHERE (?1 IS NULL OR system = ?1) ORDER BY system, account_id`;

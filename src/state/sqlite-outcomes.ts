import { SyncError } from '../errors.ts';
import type { DealOutcome, LearningRecord, PitchSnapshot, SignalSighting } from '../outcomes/types.ts';
import type { SqliteConnection } from './sqlite-connection.ts';
import { readJson, text, type Row } from './sqlite-rows.ts';

/**
 * The outcome loop's tables (migration "outcome loop"): pitch snapshots kept once per key, deal outcomes
 * replaced only when something changed, signal sightings widened, learning records appended. Each record is
 * kept as canonical JSON (keys sorted) beside the columns it is looked up by, so "changed" is a plain
 * comparison of the stored text and a rerun that read the same deals changes nothing.
 */

// ON CONFLICT DO NOTHING: the first snapshot of a key is the one an outcome is attributed to.
const INSERT_PITCH = `INSERT INTO outcome_pitches (system, key, account_id, pitched_at, record) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (system, key) DO NOTHING`;
const LIST_PITCHES = `SELECT record FROM outcome_pitches WHERE ?1 IS NULL OR system = ?1 ORDER BY pitched_at, key`;

const INSERT_OUTCOME = `INSERT INTO deal_outcomes (system, crm_id, account_id, record, updated_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (system, crm_id) DO NOTHING`;
// Touches the row only when the record differs, so `changes` tells "changed" from "unchanged".
const UPDATE_OUTCOME = `UPDATE deal_outcomes SET account_id = ?3, record = ?4, updated_at = ?5
  WHERE system = ?1 AND crm_id = ?2 AND record != ?4`;
const LIST_OUTCOMES = `SELECT record, updated_at FROM deal_outcomes WHERE ?1 IS NULL OR system = ?1 ORDER BY system, crm_id`;

const UPSERT_SIGHTING = `INSERT INTO signal_sightings (system, account_id, signal_id, first_as_of, last_as_of, strength)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (system, account_id, signal_id) DO UPDATE SET
    first_as_of = min(first_as_of, excluded.first_as_of),
    last_as_of = max(last_as_of, excluded.last_as_of),
    strength = max(strength, excluded.strength)`;
const LIST_SIGHTINGS = `SELECT system, account_id, signal_id, first_as_of, last_as_of, strength FROM signal_sightings
  WHERE ?1 IS NULL OR system = ?1 ORDER BY system, account_id, signal_id`;

const INSERT_LEARNING = `INSERT INTO learning_records (system, id, at, record) VALUES (?, ?, ?, ?)
  ON CONFLICT (system, id) DO UPDATE SET at = excluded.at, record = excluded.record`;
const LIST_LEARNING = `SELECT record FROM learning_records WHERE ?1 IS NULL OR system = ?1 ORDER BY at DESC, id DESC`;

export function savePitches(connection: SqliteConnection, pitches: readonly PitchSnapshot[]): void {
  const insert = connection.statement(INSERT_PITCH);
  connection.transaction(() => {
    for (const p of pitches) insert.run(p.system, p.key, p.accountId, p.pitchedAt, canonicalJson(p));
  });
}

export function listPitches(connection: SqliteConnection, system?: string): PitchSnapshot[] {
  return connection
    .statement(LIST_PITCHES)
    .all(system ?? null)
    .map((row) => record<PitchSnapshot>(row, 'outcome_pitches'));
}

/** Inserts new deals and replaces changed ones; `updatedAt` alone is not a change. */
export function upsertOutcomes(
  connection: SqliteConnection,
  outcomes: readonly DealOutcome[],
): { inserted: number; changed: number } {
  const insert = connection.statement(INSERT_OUTCOME);
  const update = connection.statement(UPDATE_OUTCOME);
  return connection.transaction(() => {
    let inserted = 0;
    let changed = 0;
    for (const outcome of outcomes) {
      const { updatedAt, ...rest } = outcome;
      const json = canonicalJson(rest);
      const key = [outcome.system, outcome.crmId, outcome.accountId] as const;
      if (Number(insert.run(...key, json, updatedAt).changes) > 0) inserted += 1;
      else if (Number(update.run(...key, json, updatedAt).changes) > 0) changed += 1;
    }
    return { inserted, changed };
  });
}

export function listOutcomes(connection: SqliteConnection, system?: string): DealOutcome[] {
  return connection
    .statement(LIST_OUTCOMES)
    .all(system ?? null)
    .map((row) => ({
      ...record<Omit<DealOutcome, 'updatedAt'>>(row, 'deal_outcomes'),
      updatedAt: text(row, 'updated_at'),
    }));
}

/** Widens each account and signal's first and last date and keeps the strongest strength seen. */
export function recordSignalSightings(connection: SqliteConnection, sightings: readonly SignalSighting[]): void {
  const upsert = connection.statement(UPSERT_SIGHTING);
  connection.transaction(() => {
    for (const s of sightings) upsert.run(s.system, s.accountId, s.signalId, s.firstAsOf, s.lastAsOf, s.strength);
  });
}

export function listSignalSightings(connection: SqliteConnection, system?: string): SignalSighting[] {
  return connection
    .statement(LIST_SIGHTINGS)
    .all(system ?? null)
    .map((row) => ({
      system: text(row, 'system'),
      accountId: text(row, 'account_id'),
      signalId: text(row, 'signal_id'),
      firstAsOf: text(row, 'first_as_of'),
      lastAsOf: text(row, 'last_as_of'),
      strength: Number(row['strength']),
    }));
}

export function saveLearning(connection: SqliteConnection, learning: LearningRecord): void {
  connection.run(INSERT_LEARNING, learning.system, learning.id, learning.at, canonicalJson(learning));
}

export function listLearning(connection: SqliteConnection, system?: string): LearningRecord[] {
  return connection
    .statement(LIST_LEARNING)
    .all(system ?? null)
    .map((row) => record<LearningRecord>(row, 'learning_records'));
}

/** JSON with object keys sorted at every level, so equal records store equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** A stored record: the shape was checked when it was written; a row that is not an object is corruption. */
function record<T>(row: Row, table: string): T {
  const value = readJson(row['record']);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SyncError(
      `The state database holds an unreadable record in ${table}. The file may have been edited by hand or written by another program.`,
      { code: 'state_corrupt', kind: 'system', details: { table } },
    );
  }
  return value as T;
}

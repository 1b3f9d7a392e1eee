import type { SQLOutputValue } from 'node:sqlite';
import { SyncError } from '../errors.ts';
import { CrmSystemSchema } from '../model/account.ts';
import type {
  Artifact,
  ArtifactKind,
  ArtifactStatus,
  FailedWrite,
  RunRecord,
  RunStart,
  RunStatus,
  StoredAssessment,
} from './store.ts';

/** A row as node:sqlite returns it. Readers below check every column instead of casting. */
export type Row = Record<string, SQLOutputValue>;

const RUN_MODES: readonly RunStart['mode'][] = ['live', 'dry-run', 'shadow'];
const RUN_STATUSES: readonly RunStatus[] = ['running', 'succeeded', 'partial', 'failed', 'stopped'];
const ARTIFACT_KINDS: readonly ArtifactKind[] = ['opportunity', 'note'];
const ARTIFACT_STATUSES: readonly ArtifactStatus[] = ['pending', 'done'];

/** A CRM id as the registry spells them; which CRMs exist is the registry's business, not the store's. */
function crmSystem(row: Row): string {
  const value = text(row, 'system');
  if (!CrmSystemSchema.safeParse(value).success) throw corrupt('system', value);
  return value;
}

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw corrupt(column, value);
  return value;
}

export function optionalText(row: Row, column: string): string | undefined {
  const value = row[column];
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') throw corrupt(column, value);
  return value;
}

export function integer(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number') throw corrupt(column, value);
  return value;
}

function oneOf<T extends string>(row: Row, column: string, allowed: readonly T[]): T {
  const value = text(row, column);
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw corrupt(column, value);
  return match;
}

/**
 * Parses a stored JSON column. Unparseable text reads as undefined rather than throwing: the values are
 * reports and checkpoints, and a damaged one must not stop a run or `runs list`.
 */
export function readJson(value: SQLOutputValue | undefined): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** JSON for an optional value; undefined (which JSON.stringify cannot represent) is stored as SQL NULL. */
export function writeJson(value: unknown): string | null {
  return value === undefined ? null : (JSON.stringify(value) ?? null);
}

/**
 * Serialises event counts with keys sorted, so the same counts in another key order compare equal and a
 * re-import of unchanged usage reports "unchanged" rather than "updated". A source repeats one key order
 * row after row, so the sorted order is worked out once per distinct order, not once per row (a bulk
 * import calls this 900,000 times). Make one per bulk call.
 */
export function eventsSerializer(): (events: Readonly<Record<string, number>>) => string {
  let lastKeys: readonly string[] = [];
  let sortedKeys: readonly string[] = [];
  return (events) => {
    const keys = Object.keys(events);
    if (!sameKeys(keys, lastKeys)) {
      lastKeys = keys;
      sortedKeys = [...keys].sort();
    }
    const sorted: Record<string, number> = {};
    for (const key of sortedKeys) sorted[key] = events[key] ?? 0;
    return JSON.stringify(sorted);
  };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

export function runFromRow(row: Row): RunRecord {
  const finishedAt = optionalText(row, 'finished_at');
  const summary = readJson(row['summary']);
  return {
    id: text(row, 'id'),
    sync: text(row, 'sync'),
    startedAt: text(row, 'started_at'),
    mode: oneOf(row, 'mode', RUN_MODES),
    status: oneOf(row, 'status', RUN_STATUSES),
    ...(finishedAt === undefined ? {} : { finishedAt }),
    ...(summary === undefined ? {} : { summary }),
  };
}

export function artifactFromRow(row: Row): Artifact {
  const crmId = optionalText(row, 'crm_id');
  const parentKey = optionalText(row, 'parent_key');
  return {
    system: crmSystem(row),
    key: text(row, 'key'),
    kind: oneOf(row, 'kind', ARTIFACT_KINDS),
    status: oneOf(row, 'status', ARTIFACT_STATUSES),
    ...(crmId === undefined ? {} : { crmId }),
    accountId: text(row, 'account_id'),
    ...(parentKey === undefined ? {} : { parentKey }),
    runId: text(row, 'run_id'),
    updatedAt: text(row, 'updated_at'),
  };
}

export function failureFromRow(row: Row): FailedWrite {
  const payload = readJson(row['payload']);
  return {
    system: crmSystem(row),
    objectType: text(row, 'object_type'),
    recordKey: text(row, 'record_key'),
    runId: text(row, 'run_id'),
    code: text(row, 'code'),
    message: text(row, 'message'),
    retryable: integer(row, 'retryable') !== 0,
    ...(payload === undefined ? {} : { payload }),
    at: text(row, 'last_failed_at'),
    attempts: integer(row, 'attempts'),
    firstFailedAt: text(row, 'first_failed_at'),
  };
}

export function assessmentFromRow(row: Row): StoredAssessment {
  const ownerId = optionalText(row, 'owner_id');
  // No owner_name column before the migration that adds it, and NULL on rows saved before: both read as absent.
  const ownerName = optionalText(row, 'owner_name');
  return {
    system: crmSystem(row),
    accountId: text(row, 'account_id'),
    accountName: text(row, 'account_name'),
    ...(ownerId === undefined ? {} : { ownerId }),
    ...(ownerName === undefined ? {} : { ownerName }),
    runId: text(row, 'run_id'),
    asOf: text(row, 'as_of'),
    assessment: readJson(row['assessment']),
  };
}

function corrupt(column: string, value: unknown): SyncError {
  return new SyncError(
    `The state database holds an unexpected value in column ${column} (${typeof value}). The file may have been edited by hand or written by another program.`,
    {
      code: 'state_corrupt',
      kind: 'system',
      details: { column },
    },
  );
}

import type { WriteOutcome } from '../../src/engine/crm.ts';
import { SyncError } from '../../src/errors.ts';
import { RETRYABLE_RECORD_CODES } from './classify.ts';
import type { SalesforceClient } from './client.ts';

/**
 * Writes through one Bulk API 2.0 ingest job (https://developer.salesforce.com/docs/platform/api-asynch/guide/bulk-api-2-0-ingest.html),
 * for loads too large to send 200 records a call through sObject Collections. jsforce's
 * `bulk2.loadAndWaitForResults` creates the job, uploads the CSV, closes it, polls, then fetches the
 * successful, failed and unprocessed result files.
 */
export interface BulkWriteOptions {
  readonly client: SalesforceClient;
  readonly object: string;
  readonly operation: 'update' | 'upsert';
  /** For upsert: the External ID field. */
  readonly externalIdField?: string;
  /** API-shaped records (numbers as numbers, null to clear); for update each has Id. */
  readonly records: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** One reference per record, in order: what each WriteOutcome.ref is. */
  readonly refs: readonly string[];
  readonly pollIntervalMs?: number;
  readonly pollTimeoutMs?: number;
}

/** jsforce polls every second by default, which is fine for jobs that take minutes. */
const POLL_INTERVAL_MS = 2_000;
/** jsforce gives up after 30 s; a real job of tens of thousands of rows can queue for longer. */
const POLL_TIMEOUT_MS = 10 * 60_000;

/** Bulk 2.0 sets a field to null with `#N/A`; an empty cell leaves it unchanged (datafiles_prepare_csv.htm). */
const NULL_VALUE = '#N/A';

type CsvValue = string | number | undefined;
type ResultRow = Readonly<Record<string, string | undefined>>;

/**
 * One CSV row per record. jsforce takes its CSV header from the first record only, so every row carries
 * every column; a column a record does not have stays empty, which Salesforce reads as "leave as is".
 */
function toRows(records: BulkWriteOptions['records']): Array<Record<string, CsvValue>> {
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return records.map((record) => Object.fromEntries(columns.map((c) => [c, cellOf(record[c])])));
}

function cellOf(value: unknown): CsvValue {
  if (value === null) return NULL_VALUE;
  if (value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** `sf__Error` is `STATUS_CODE:message:fields --` (get_job_failed_results.htm); the message may hold colons. */
export function parseBulkError(text: string): { readonly statusCode: string; readonly message: string } {
  const match = /^([A-Z_]+):([\s\S]*):[^:]*?\s*--$/.exec(text.trim());
  if (match) return { statusCode: match[1] ?? 'UNKNOWN_EXCEPTION', message: (match[2] ?? '').trim() };
  const colon = text.indexOf(':');
  return colon > 0 && /^[A-Z_]+$/.test(text.slice(0, colon))
    ? { statusCode: text.slice(0, colon), message: text.slice(colon + 1).trim() }
    : { statusCode: 'UNKNOWN_EXCEPTION', message: text };
}

/** Input positions by the key each result echoes back (Id or the external id, as uploaded). */
function positionsByKey(records: BulkWriteOptions['records'], keyField: string): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  records.forEach((record, index) => {
    const key = keyText(record[keyField]);
    if (key === undefined) return;
    positions.set(key, [...(positions.get(key) ?? []), index]);
  });
  return positions;
}

function keyText(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return typeof value === 'string' ? value : String(cellOf(value));
}

function successOutcome(ref: string, row: ResultRow): WriteOutcome {
  return { ref, status: row['sf__Created'] === 'true' ? 'created' : 'updated', crmId: row['sf__Id'] ?? '' };
}

function failureOutcome(ref: string, row: ResultRow): WriteOutcome {
  const { statusCode, message } = parseBulkError(row['sf__Error'] ?? '');
  return {
    ref,
    status: 'failed',
    code: `salesforce_${statusCode.toLowerCase()}`,
    message: `${statusCode}: ${message}`,
    retryable: RETRYABLE_RECORD_CODES.has(statusCode),
  };
}

const unconfirmed = (ref: string): WriteOutcome => ({
  ref,
  status: 'failed',
  code: 'salesforce_unconfirmed',
  message: 'Salesforce did not report a result for this record in the Bulk API job',
  retryable: true,
});

/**
 * Results are not in upload order (get_job_successful_results.htm usage notes), so each result row is
 * matched to an input by its key column; repeated keys are claimed in input order. Anything left over,
 * unprocessed rows included, is unconfirmed.
 */
function matchOutcomes(
  options: BulkWriteOptions,
  keyField: string,
  results: { readonly successfulResults: readonly ResultRow[]; readonly failedResults: readonly ResultRow[] },
): WriteOutcome[] {
  const positions = positionsByKey(options.records, keyField);
  const outcomes: Array<WriteOutcome | undefined> = options.records.map(() => undefined);
  const claim = (row: ResultRow, build: (ref: string, row: ResultRow) => WriteOutcome): void => {
    const key = row[keyField] ?? Object.entries(row).find(([k]) => k.toLowerCase() === keyField.toLowerCase())?.[1];
    const index = key === undefined ? undefined : positions.get(key)?.shift();
    if (index !== undefined) outcomes[index] = build(options.refs[index] ?? '', row);
  };
  for (const row of options.records.length > 0 ? results.successfulResults : []) claim(row, successOutcome);
  for (const row of options.records.length > 0 ? results.failedResults : []) claim(row, failureOutcome);
  return outcomes.map((outcome, index) => outcome ?? unconfirmed(options.refs[index] ?? ''));
}

export async function bulkWrite(options: BulkWriteOptions): Promise<WriteOutcome[]> {
  const { client, object, operation, records, refs } = options;
  if (refs.length !== records.length)
    throw new SyncError(`bulkWrite got ${records.length} records and ${refs.length} refs`, {
      code: 'salesforce_bulk_refs',
      kind: 'system',
    });
  if (records.length === 0) return [];
  const keyField = operation === 'update' ? 'Id' : options.externalIdField;
  if (keyField === undefined)
    throw new SyncError(`a Bulk API upsert of ${object} needs an External ID field`, {
      code: 'salesforce_bulk_no_key',
      kind: 'config',
    });
  const results = await client.call('bulk.ingest', (conn) =>
    conn.bulk2.loadAndWaitForResults({
      object,
      operation,
      ...(operation === 'upsert' ? { externalIdFieldName: keyField } : {}),
      input: toRows(records),
      pollInterval: options.pollIntervalMs ?? POLL_INTERVAL_MS,
      pollTimeout: options.pollTimeoutMs ?? POLL_TIMEOUT_MS,
    }),
  );
  // jsforce types rows by a schema generic; they are parsed CSV, every cell a string.
  const rows = (list: unknown): ResultRow[] => (Array.isArray(list) ? (list as ResultRow[]) : []);
  return matchOutcomes(options, keyField, {
    successfulResults: rows(results.successfulResults),
    failedResults: rows(results.failedResults),
  });
}

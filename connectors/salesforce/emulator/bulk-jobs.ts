import { parseCsv, type CsvTable, type LineEnding } from './csv.ts';
import { upsertKey } from './collection-routes.ts';
import type { FieldDef } from './schema.ts';
import type { OrgState } from './state.ts';
import type { WriteResult } from './store.ts';
import type { ItemError, WriteOperation } from './types.ts';
import { writeOne } from './writes.ts';

/**
 * Bulk API 2.0 jobs (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_0.htm).
 * States: Open -> UploadComplete -> InProgress -> JobComplete | Failed, or Aborted
 * (https://developer.salesforce.com/docs/platform/api-asynch/guide/bulk-api-2-job-states.html).
 */
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export type IngestOperation = 'insert' | 'update' | 'upsert';

export interface JobBase {
  readonly id: string;
  readonly object: string;
  readonly createdById: string;
  readonly createdDate: string;
  systemModstamp: string;
  readonly apiVersion: number;
  readonly lineEnding: LineEnding;
  readonly columnDelimiter: string;
  state: JobState;
  errorMessage?: string;
}

/** One uploaded row and what writing it did. */
export interface RowResult {
  readonly cells: readonly string[];
  readonly header: readonly string[];
  readonly result: WriteResult | undefined;
}

export interface IngestJob extends JobBase {
  readonly kind: 'ingest';
  readonly operation: IngestOperation;
  readonly externalIdFieldName?: string;
  readonly uploads: CsvTable[];
  results: RowResult[];
}

export interface QueryJob extends JobBase {
  readonly kind: 'query';
  readonly operation: 'query' | 'queryAll';
  readonly query: string;
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

export type BulkJob = IngestJob | QueryJob;

/** Bulk 2.0 writes `#N/A` to set a field to null; an empty cell leaves the field as it is (datafiles_prepare_csv.htm). */
export const NULL_VALUE = '#N/A';

/** The JobInfo fields ingest and query jobs share (get_job_info.htm). */
export function jobInfoBase(job: BulkJob, jobType: 'V2Ingest' | 'V2Query'): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
    jobType,
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

const OPERATIONS: Readonly<Record<IngestOperation, WriteOperation>> = {
  insert: 'create',
  update: 'update',
  upsert: 'upsert',
};

/** A CSV row as the record `writeOne` takes: empty cells dropped, `#N/A` as null. */
function recordOf(header: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  header.forEach((name, index) => {
    const cell = cells[index] ?? '';
    if (cell === '') return;
    record[name] = cell === NULL_VALUE ? null : cell;
  });
  return record;
}

/** A column that names no field fails the whole job, as Salesforce reports it in `errorMessage`. */
function unknownColumn(state: OrgState, job: IngestJob): string | undefined {
  for (const upload of job.uploads) {
    const bad = upload.header.find((name) => state.schema.def(job.object, name) === undefined);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/**
 * Runs every uploaded row through the same per-record write as sObject Collections (validation, injected
 * failures). Rows are independent: one failure never stops the others.
 */
export function processIngest(state: OrgState, job: IngestJob): void {
  const bad = unknownColumn(state, job);
  if (bad !== undefined) {
    job.state = 'Failed';
    job.errorMessage = `InvalidBatch : Field name not found : ${bad}`;
    return;
  }
  let keyField: FieldDef | undefined;
  if (job.operation === 'upsert') keyField = upsertKey(state, job.object, job.externalIdFieldName ?? '');
  const operation = OPERATIONS[job.operation];
  job.results = job.uploads.flatMap((upload) =>
    upload.rows.map((cells) => ({
      header: upload.header,
      cells,
      result: writeOne(state, {
        operation,
        object: job.object,
        record: recordOf(upload.header, cells),
        ...(keyField ? { keyField } : {}),
      }),
    })),
  );
  job.state = 'JobComplete';
}

export function uploadCsv(job: IngestJob, text: string, delimiter: string): void {
  const table = parseCsv(text, delimiter);
  job.uploads.push(table);
}

/** `sf__Error` reads `STATUS_CODE:message:fields --` (get_job_failed_results.htm examples). */
export function errorText(errors: readonly ItemError[]): string {
  return errors.map((e) => `${e.statusCode}:${e.message}:${e.fields.join(',')} --`).join(' ');
}

export function countRows(job: IngestJob): { readonly processed: number; readonly failed: number } {
  const processed = job.results.filter((r) => r.result !== undefined).length;
  const failed = job.results.filter((r) => r.result !== undefined && !r.result.ok).length;
  return { processed, failed };
}

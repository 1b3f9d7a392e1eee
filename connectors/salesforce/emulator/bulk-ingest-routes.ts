import { isRecord, type Reply } from '../../emulator-kit/http-io.ts';
import {
  countRows,
  errorText,
  jobInfoBase,
  processIngest,
  uploadCsv,
  type IngestJob,
  type IngestOperation,
  type JobBase,
  type RowResult,
} from './bulk-jobs.ts';
import { upsertKey } from './collection-routes.ts';
import { COLUMN_DELIMITERS, CSV_CONTENT_TYPE, toCsv, type LineEnding } from './csv.ts';
import { restError } from './http.ts';
import { makeId } from './ids.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import type { OrgState } from './state.ts';

/**
 * Bulk API 2.0 ingest (https://developer.salesforce.com/docs/platform/api-asynch/guide/bulk-api-2-0-ingest.html):
 * create a job, PUT CSV to `/batches`, PATCH `UploadComplete`, poll, then read the result CSVs. A closed job
 * answers `InProgress` to its first poll and is processed on the next, so clients exercise polling.
 */

const OPERATIONS = new Set<string>(['insert', 'update', 'upsert']);

/** Errors of the job resources (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_0_errors.htm). */
const invalidJobState = (message: string) => restError(400, 'INVALIDJOBSTATE', message);
const notFound = () => restError(404, 'NOT_FOUND', 'The requested resource does not exist');

export function jobBase(
  state: OrgState,
  context: RouteContext,
  object: string,
  body: Readonly<Record<string, unknown>>,
): JobBase {
  const lineEnding = body['lineEnding'] ?? 'LF';
  const columnDelimiter = body['columnDelimiter'] ?? 'COMMA';
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
    throw restError(400, 'INVALIDJOB', `Invalid lineEnding: ${String(lineEnding)}`);
  if (typeof columnDelimiter !== 'string' || !(columnDelimiter in COLUMN_DELIMITERS))
    throw restError(400, 'INVALIDJOB', `Invalid columnDelimiter: ${String(columnDelimiter)}`);
  if (body['contentType'] !== undefined && body['contentType'] !== 'CSV')
    throw restError(400, 'INVALIDJOB', `Invalid contentType: ${String(body['contentType'])}`);
  state.counters.bulkJob += 1;
  const stamp = new Date(state.now()).toISOString().replace('Z', '+0000');
  return {
    id: makeId('750', state.counters.bulkJob),
    object,
    createdById: state.store.defaultOwnerId,
    createdDate: stamp,
    systemModstamp: stamp,
    apiVersion: Number(context.version),
    lineEnding: lineEnding as LineEnding,
    columnDelimiter,
    state: 'Open',
  };
}

/** JobInfo as get_job_info.htm lists it; counts once the job has run. */
function jobInfo(job: IngestJob): Record<string, unknown> {
  const { processed, failed } = countRows(job);
  return {
    ...jobInfoBase(job, 'V2Ingest'),
    ...(job.externalIdFieldName === undefined ? {} : { externalIdFieldName: job.externalIdFieldName }),
    numberRecordsProcessed: processed,
    numberRecordsFailed: failed,
    retries: 0,
    totalProcessingTime: 0,
    ...(job.errorMessage === undefined ? {} : { errorMessage: job.errorMessage }),
  };
}

function ingestJob(state: OrgState, id: string | undefined): IngestJob {
  const job = id === undefined ? undefined : state.bulkJobs.get(id);
  if (job?.kind !== 'ingest') throw notFound();
  return job;
}

function create(context: RouteContext): Reply {
  const { state, body } = context;
  if (!isRecord(body)) throw restError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  const { object, operation, externalIdFieldName } = body;
  if (typeof object !== 'string' || !state.schema.hasObject(object))
    throw restError(400, 'INVALIDENTITY', `Entity '${String(object)}' is not supported by the Bulk API.`);
  if (typeof operation !== 'string' || !OPERATIONS.has(operation))
    throw restError(400, 'INVALIDJOB', `Invalid operation: ${String(operation)}`);
  const canonical = state.schema.objectName(object);
  if (operation === 'upsert') {
    if (typeof externalIdFieldName !== 'string')
      throw restError(400, 'INVALIDJOB', 'InvalidJob : External ID was blank for upsert');
    upsertKey(state, canonical, externalIdFieldName);
  }
  const job: IngestJob = {
    ...jobBase(state, context, canonical, body),
    kind: 'ingest',
    operation: operation as IngestOperation,
    ...(operation === 'upsert' ? { externalIdFieldName: externalIdFieldName as string } : {}),
    uploads: [],
    results: [],
  };
  state.bulkJobs.set(job.id, job);
  return { status: 200, body: jobInfo(job) };
}

/** `PUT …/batches`, `Content-Type: text/csv`, only while the job is Open (upload_job_data.htm): 201, no body. */
function upload({ state, params, body, headers }: RouteContext): Reply {
  const job = ingestJob(state, params['id']);
  if (!/^text\/csv\b/i.test(headers['content-type'] ?? ''))
    throw restError(400, 'INVALIDCONTENTTYPE', 'Content-Type must be text/csv');
  if (job.state !== 'Open') throw invalidJobState(`Unable to upload data to a job in state ${job.state}`);
  try {
    uploadCsv(job, typeof body === 'string' ? body : '', COLUMN_DELIMITERS[job.columnDelimiter] ?? ',');
  } catch (error) {
    throw restError(
      400,
      'CLIENTINPUTERROR',
      `ClientInputError : ${error instanceof Error ? error.message : 'malformed CSV'}`,
    );
  }
  return { status: 201 };
}

/** `PATCH {state: UploadComplete | Aborted}` (close_job.htm): Open may close or abort; a running job may only abort. */
function patch({ state, params, body }: RouteContext): Reply {
  const job = ingestJob(state, params['id']);
  const wanted = isRecord(body) ? body['state'] : undefined;
  if (wanted === 'UploadComplete') {
    if (job.state !== 'Open') throw invalidJobState(`Closing a job in state ${job.state} is not allowed`);
    job.state = 'UploadComplete';
  } else if (wanted === 'Aborted') {
    if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted')
      throw invalidJobState(`Aborting a job in state ${job.state} is not allowed`);
    job.state = 'Aborted';
    job.results = job.uploads.flatMap((u) => u.rows.map((cells) => ({ header: u.header, cells, result: undefined })));
  } else {
    throw invalidJobState(`Invalid state: ${String(wanted)}; use UploadComplete or Aborted`);
  }
  job.systemModstamp = new Date(state.now()).toISOString().replace('Z', '+0000');
  return { status: 200, body: jobInfo(job) };
}

function get({ state, params }: RouteContext): Reply {
  const job = ingestJob(state, params['id']);
  if (job.state === 'InProgress') processIngest(state, job);
  else if (job.state === 'UploadComplete') job.state = 'InProgress';
  return { status: 200, body: jobInfo(job) };
}

function remove({ state, params }: RouteContext): Reply {
  const job = ingestJob(state, params['id']);
  if (job.state === 'Open' || job.state === 'UploadComplete' || job.state === 'InProgress')
    throw invalidJobState(`Deleting a job in state ${job.state} is not allowed`);
  state.bulkJobs.delete(job.id);
  return { status: 204 };
}

type ResultKind = 'successful' | 'failed' | 'unprocessed';

function resultRow(kind: ResultKind, row: RowResult, idColumn: number): string[] {
  const { result } = row;
  if (kind === 'successful' && result?.ok) return [result.id, String(result.created), ...row.cells];
  if (kind === 'failed' && result && !result.ok)
    return [idColumn >= 0 ? (row.cells[idColumn] ?? '') : '', errorText(result.errors), ...row.cells];
  return [...row.cells];
}

/**
 * The three result files (get_job_successful_results.htm, get_job_failed_results.htm,
 * get_job_unprocessed_results.htm): `sf__Id`, `sf__Created` or `sf__Error`, then the uploaded columns.
 */
function results(kind: ResultKind) {
  return ({ state, params }: RouteContext): Reply => {
    const job = ingestJob(state, params['id']);
    if (kind !== 'unprocessed' && job.state !== 'JobComplete' && job.state !== 'Failed')
      throw invalidJobState(`Job ${job.id} is not complete`);
    const columns = job.uploads[0]?.header ?? [];
    const prefix = kind === 'successful' ? ['sf__Id', 'sf__Created'] : kind === 'failed' ? ['sf__Id', 'sf__Error'] : [];
    const idColumn = columns.findIndex((c) => c.toLowerCase() === 'id');
    const keep = (r: RowResult): boolean =>
      kind === 'successful'
        ? r.result?.ok === true
        : kind === 'failed'
          ? r.result?.ok === false
          : r.result === undefined;
    const rows = job.results.filter(keep).map((r) => resultRow(kind, r, idColumn));
    const text = toCsv([...prefix, ...columns], rows, {
      lineEnding: job.lineEnding,
      delimiter: COLUMN_DELIMITERS[job.columnDelimiter] ?? ',',
    });
    return { status: 200, text: { contentType: CSV_CONTENT_TYPE, body: text } };
  };
}

export const BULK_INGEST_ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', template: '/jobs/ingest', write: true, handler: create },
  { method: 'PUT', template: '/jobs/ingest/{id}/batches', write: true, text: true, handler: upload },
  { method: 'PATCH', template: '/jobs/ingest/{id}', write: true, handler: patch },
  { method: 'GET', template: '/jobs/ingest/{id}/successfulResults', write: false, handler: results('successful') },
  { method: 'GET', template: '/jobs/ingest/{id}/failedResults', write: false, handler: results('failed') },
  { method: 'GET', template: '/jobs/ingest/{id}/unprocessedrecords', write: false, handler: results('unprocessed') },
  { method: 'GET', template: '/jobs/ingest/{id}', write: false, handler: get },
  { method: 'DELETE', template: '/jobs/ingest/{id}', write: true, handler: remove },
];

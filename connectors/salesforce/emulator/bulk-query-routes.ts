import { isRecord, type Reply } from '../../emulator-kit/http-io.ts';
import { jobBase } from './bulk-ingest-routes.ts';
import { jobInfoBase, type QueryJob } from './bulk-jobs.ts';
import { COLUMN_DELIMITERS, CSV_CONTENT_TYPE, toCsv } from './csv.ts';
import { restError } from './http.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import { runSoql, SoqlError } from './soql/index.ts';
import { parseQuery } from './soql/parser.ts';
import { soqlContext } from './query-routes.ts';

/**
 * Bulk API 2.0 query (https://developer.salesforce.com/docs/platform/api-asynch/guide/query-create-job.html and
 * query-get-job-results.html): the SOQL runs through the emulator's engine when the job is created; results are CSV
 * with one column per selected field (`Owner.Name` for a parent field), paged by `maxRecords` and the
 * `Sforce-Locator` header, which reads `null` on the last page.
 */

const notFound = () => restError(404, 'NOT_FOUND', 'The requested resource does not exist');

/** A value of a projected record by the path as typed; names compare case-insensitively. */
function cell(record: Readonly<Record<string, unknown>>, segments: readonly string[]): string {
  let current: unknown = record;
  for (const segment of segments) {
    if (!isRecord(current)) return '';
    const key = Object.keys(current).find((k) => k.toLowerCase() === segment.toLowerCase());
    current = key === undefined ? undefined : current[key];
  }
  return current === null || current === undefined || isRecord(current) ? '' : String(current);
}

function run(soql: string, context: RouteContext): { header: string[]; rows: string[][] } {
  try {
    const { records } = runSoql(soql, soqlContext(context.state, context.version));
    const fields = parseQuery(soql).fields.map((f) => f.segments);
    return { header: fields.map((s) => s.join('.')), rows: records.map((r) => fields.map((s) => cell(r, s))) };
  } catch (error) {
    if (error instanceof SoqlError) throw restError(400, error.errorCode, error.message);
    throw error;
  }
}

function jobInfo(job: QueryJob): Record<string, unknown> {
  return {
    ...jobInfoBase(job, 'V2Query'),
    ...(job.state === 'JobComplete'
      ? { numberRecordsProcessed: job.rows.length, retries: 0, totalProcessingTime: 0 }
      : {}),
  };
}

function queryJob(context: RouteContext): QueryJob {
  const id = context.params['id'];
  const job = id === undefined ? undefined : context.state.bulkJobs.get(id);
  if (job?.kind !== 'query') throw notFound();
  return job;
}

function create(context: RouteContext): Reply {
  const { body, state } = context;
  if (!isRecord(body)) throw restError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  const { operation, query } = body;
  if (operation !== 'query' && operation !== 'queryAll')
    throw restError(400, 'INVALIDJOB', `Invalid operation: ${String(operation)}`);
  if (typeof query !== 'string' || query.trim() === '') throw restError(400, 'INVALIDJOB', 'A query is required');
  const { header, rows } = run(query, context);
  const object = state.schema.objectName(parseQuery(query).object);
  const job: QueryJob = {
    ...jobBase(state, context, object, body),
    kind: 'query',
    operation,
    query,
    header,
    rows,
    state: 'UploadComplete',
  };
  state.bulkJobs.set(job.id, job);
  return { status: 200, body: jobInfo(job) };
}

/** The job was run at creation; its first poll reports it complete. */
function get(context: RouteContext): Reply {
  const job = queryJob(context);
  if (job.state === 'UploadComplete' || job.state === 'InProgress') job.state = 'JobComplete';
  return { status: 200, body: jobInfo(job) };
}

/** Locators are opaque to clients; here the base64 of the next row offset. */
const encodeLocator = (offset: number): string => Buffer.from(String(offset)).toString('base64url');

function decodeLocator(locator: string | null): number {
  if (locator === null || locator === '') return 0;
  const offset = Number(Buffer.from(locator, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw restError(400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
  return offset;
}

function results(context: RouteContext): Reply {
  const job = queryJob(context);
  if (job.state !== 'JobComplete') throw restError(400, 'INVALIDJOBSTATE', `Job ${job.id} is not complete`);
  const offset = decodeLocator(context.query.get('locator'));
  const maxParam = context.query.get('maxRecords');
  const max = maxParam === null ? job.rows.length : Number(maxParam);
  if (!Number.isInteger(max) || max < 1)
    throw restError(400, 'INVALIDMAXRECORDS', `Invalid maxRecords: ${String(maxParam)}`);
  const page = job.rows.slice(offset, offset + max);
  const next = offset + max < job.rows.length ? encodeLocator(offset + max) : 'null';
  const body = toCsv(job.header, page, {
    lineEnding: job.lineEnding,
    delimiter: COLUMN_DELIMITERS[job.columnDelimiter] ?? ',',
  });
  return {
    status: 200,
    headers: { 'sforce-locator': next, 'sforce-numberofrecords': String(page.length) },
    text: { contentType: CSV_CONTENT_TYPE, body },
  };
}

function remove(context: RouteContext): Reply {
  context.state.bulkJobs.delete(queryJob(context).id);
  return { status: 204 };
}

export const BULK_QUERY_ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', template: '/jobs/query', write: false, handler: create },
  { method: 'GET', template: '/jobs/query/{id}/results', write: false, handler: results },
  { method: 'GET', template: '/jobs/query/{id}', write: false, handler: get },
  { method: 'DELETE', template: '/jobs/query/{id}', write: false, handler: remove },
];

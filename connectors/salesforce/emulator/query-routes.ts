import type { Reply } from '../../emulator-kit/http-io.ts';
import { makeId } from './ids.ts';
import { restError } from './http.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import { runSoql, SoqlError, type SoqlContext, type SoqlResult } from './soql/index.ts';
import type { OrgState } from './state.ts';

const DEFAULT_BATCH = 2000;
const MAX_CURSORS = 10;

/**
 * `Sforce-Query-Options: batchSize=N`, 200 to 2,000, default 2,000; Salesforce treats it as a request, so
 * out-of-range values are clamped rather than refused
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm).
 */
export function batchSizeOf(header: string | string[] | undefined): number {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const match = /batchSize\s*=\s*(\d+)/i.exec(text);
  if (!match) return DEFAULT_BATCH;
  return Math.min(2000, Math.max(200, Number(match[1])));
}

export function soqlContext(state: OrgState, version: string): SoqlContext {
  return {
    schema: state.schema,
    data: state.store,
    now: new Date(state.now()),
    attributes: (object, id) => ({ type: object, url: `/services/data/v${version}/sobjects/${object}/${id}` }),
  };
}

/**
 * `GET /query?q=` and `/queryAll?q=` (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html):
 * `{totalSize, done, nextRecordsUrl?, records}`, the next batch at `/query/{locator}-{offset}`. The emulator
 * never deletes, so queryAll returns what query does.
 */
function query({ state, query: params, headers, version }: RouteContext): Reply {
  const soql = params.get('q');
  if (soql === null || soql.trim() === '')
    throw restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  let result: SoqlResult;
  try {
    result = runSoql(soql, soqlContext(state, version));
  } catch (error) {
    if (error instanceof SoqlError) throw restError(400, error.errorCode, error.message);
    throw error;
  }
  const { records } = result;
  const batchSize = batchSizeOf(headers['sforce-query-options']);
  // COUNT() answers with totalSize and no records.
  if (records.length <= batchSize) return { status: 200, body: { totalSize: result.totalSize, done: true, records } };
  state.counters.cursor += 1;
  const cursorId = makeId('01g', state.counters.cursor);
  state.cursors.set(cursorId, { records, batchSize });
  // "If 10 query cursors are open … the oldest of the 10 cursors is released"
  // (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_querymore.htm); the emulator
  // counts per org rather than per user, which also bounds its memory.
  for (const oldest of state.cursors.keys()) {
    if (state.cursors.size <= MAX_CURSORS) break;
    state.cursors.delete(oldest);
  }
  return page(state, version, cursorId, 0);
}

function page(state: OrgState, version: string, cursorId: string, offset: number): Reply {
  const cursor = state.cursors.get(cursorId);
  if (!cursor) throw restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  const end = offset + cursor.batchSize;
  const done = end >= cursor.records.length;
  const body = {
    totalSize: cursor.records.length,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${cursorId}-${end}` }),
    records: cursor.records.slice(offset, end),
  };
  return { status: 200, body };
}

/** `GET /query/{locator}`: jsforce's queryMore sends only the last path segment of nextRecordsUrl. */
function queryMore({ state, params, version }: RouteContext): Reply {
  const match = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(params['locator'] ?? '');
  if (!match) throw restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  return page(state, version, match[1] ?? '', Number(match[2]));
}

export const QUERY_ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', template: '/query', write: false, handler: query },
  { method: 'GET', template: '/queryAll', write: false, handler: query },
  { method: 'GET', template: '/query/{locator}', write: false, handler: queryMore },
  { method: 'GET', template: '/queryAll/{locator}', write: false, handler: queryMore },
];

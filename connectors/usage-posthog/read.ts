import axios, { type AxiosInstance } from 'axios';
import Bottleneck from 'bottleneck';
import { createCallPolicy, type CallPolicy } from '../../src/http/call-policy.ts';
import { scrubReason } from '../../src/http/classify.ts';
import { SyncError, isSyncError } from '../../src/errors.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { parseUsageRow, type FieldLabels, type UsageItem } from '../../src/model/usage.ts';
import { usageReadWindow, type UsageReadWindow } from '../../src/engine/usage-source.ts';
import { classifyPosthog, cleanAxiosError, QUERY_TIMEOUT_CODE, toPosthogFailure } from './classify.ts';
import type { PosthogConfig } from './config.ts';
import { countColumns, usageQueryText } from './query.ts';

/**
 * The documented limits of the query API (https://posthog.com/docs/api/queries, "Rate limits"): 240 queries
 * a minute, 2,400 an hour, 3 running at once. Queries past them are answered 429 with Retry-After.
 */
export const POSTHOG_LIMITS: PosthogQueryLimits = { perMinute: 240, perHour: 2_400, concurrent: 3 };

export interface PosthogQueryLimits {
  readonly perMinute: number;
  readonly perHour: number;
  readonly concurrent: number;
}
/** The smallest page a timed-out query is retried with before the read gives up. */
const MIN_PAGE_ROWS = 50;
/** Ten seconds of execution at most, plus the network: a request that takes longer has been lost. */
const REQUEST_TIMEOUT_MS = 30_000;

const LABELS: FieldLabels = {
  date: 'day',
  accountKey: 'account_key',
  activeUsers: 'active_users',
  seatsUsed: 'seats_used',
  event: (feature) => `the count of "${feature}"`,
  events: 'the event counts',
};

export interface PosthogReadOptions {
  readonly config: PosthogConfig;
  readonly apiKey: string;
  readonly log?: Logger;
  /** Retries after the first attempt. Default 6. */
  readonly retries?: number;
  /** Tests inject a sleep that records waits instead of taking them. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Limits of the limiter; the documented ones by default. */
  readonly limits?: Partial<PosthogQueryLimits>;
}

/** One page's rows as PostHog returns them: `results` rows in `columns` order. */
interface Page {
  readonly results: readonly (readonly unknown[])[];
  readonly columns: readonly string[];
}

/**
 * One aggregate pull of the run's window: keyset pages of (account key, day) rows, each validated by
 * `parseUsageRow` with its page and row as location. A failed query (bad key, bad query, unreachable,
 * malformed answer) throws a SyncError before any row of a later page; a bad row is a located problem.
 */
export async function* readPosthogUsage(
  options: PosthogReadOptions,
  requested?: UsageReadWindow,
): AsyncGenerator<UsageItem<{ readonly location: string }>> {
  const { config } = options;
  const window = requested ?? usageReadWindow(undefined, new Date().toISOString().slice(0, 10));
  const client = createPosthogQueryClient(options);
  const columns = countColumns(config.events);
  const expected = ['account_key', 'day', 'active_users', ...columns.map(([column]) => column)];
  let after: { key: string; day: string } | undefined;
  let limit = config.pageSize;
  try {
    for (let page = 1; ; page += 1) {
      const query = usageQueryText({
        groupIndex: config.groupIndex,
        events: config.events,
        activeUsersFrom: config.activeUsersFrom,
        from: window.from,
        to: window.to,
        after,
        limit,
      });
      let body: Page;
      try {
        body = checkPage(await client.query(query), expected, page);
      } catch (error) {
        if (!isSyncError(error) || error.code !== QUERY_TIMEOUT_CODE) throw error;
        if (limit <= MIN_PAGE_ROWS) throw timedOut(error, limit);
        limit = Math.max(MIN_PAGE_ROWS, Math.floor(limit / 2));
        (options.log ?? silentLogger()).warn(
          { page, limit },
          'PostHog usage query timed out; retrying with fewer rows',
        );
        page -= 1;
        continue;
      }
      for (const [i, row] of body.results.entries()) {
        yield parseUsageRow(
          {
            accountKey: row[0],
            date: row[1],
            activeUsers: row[2],
            seatsUsed: undefined,
            events: columns.map(([, feature], c) => [feature, row[3 + c]] as const),
          },
          LABELS,
          { location: `page ${page} row ${i + 1}` },
        );
      }
      if (body.results.length < limit) return;
      const next = keyOf(body.results[body.results.length - 1], page);
      if (after !== undefined && !(next.key > after.key || (next.key === after.key && next.day > after.day)))
        throw malformed(
          page,
          'the last row of a full page does not come after the previous page; rows are not ordered by key and day',
        );
      after = next;
    }
  } finally {
    await client.stop();
  }
}

export interface QueryClient {
  query(text: string): Promise<unknown>;
  readonly policy: CallPolicy;
  stop(): Promise<void>;
}

/** The query API behind the one limiter (minute and hour reservoirs, concurrency) and the call policy. */
export function createPosthogQueryClient(options: PosthogReadOptions): QueryClient {
  const limits = { ...POSTHOG_LIMITS, ...options.limits };
  const hourly = new Bottleneck({
    maxConcurrent: limits.concurrent,
    reservoir: limits.perHour,
    reservoirRefreshAmount: limits.perHour,
    reservoirRefreshInterval: 3_600_000,
  });
  const minutely = new Bottleneck({
    reservoir: limits.perMinute,
    reservoirRefreshAmount: limits.perMinute,
    reservoirRefreshInterval: 60_000,
  });
  const secrets = new Set([options.apiKey]);
  const http: AxiosInstance = axios.create({
    baseURL: options.config.host.replace(/\/+$/, ''),
    timeout: REQUEST_TIMEOUT_MS,
    headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
    // Only a 2xx is an answer; axios throws on the rest and the classifier reads status and body.
    validateStatus: (status) => status >= 200 && status < 300,
  });
  const policy = createCallPolicy({
    system: 'posthog',
    limiter: hourly,
    classify: (failure) => scrubReason(classifyPosthog(failure), secrets),
    toFailure: toPosthogFailure,
    log: options.log ?? silentLogger(),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const path = `/api/projects/${encodeURIComponent(options.config.projectId)}/query/`;
  return {
    policy,
    query: (text) =>
      policy.run(
        'query',
        async () => {
          try {
            return (await http.post<unknown>(path, { query: { kind: 'HogQLQuery', query: text } })).data;
          } catch (error) {
            throw cleanAxiosError(error);
          }
        },
        { limiter: minutely },
      ),
    stop: async () => {
      await Promise.all([minutely.stop({ dropWaitingJobs: true }), hourly.stop({ dropWaitingJobs: true })]);
    },
  };
}

/** The documented response body: `results` rows in `columns` order; anything else stops the read. */
function checkPage(body: unknown, expected: readonly string[], page: number): Page {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw malformed(page, 'the answer is not a JSON object');
  const { results, columns } = body as { results?: unknown; columns?: unknown };
  if (!Array.isArray(results) || !results.every((row) => Array.isArray(row)))
    throw malformed(page, '"results" is not a list of rows');
  if (!Array.isArray(columns) || columns.length !== expected.length || columns.some((c, i) => c !== expected[i]))
    throw malformed(page, `"columns" is not ${expected.join(', ')}`);
  return { results: results as unknown[][], columns: columns as string[] };
}

function keyOf(row: readonly unknown[] | undefined, page: number): { key: string; day: string } {
  const [key, day] = row ?? [];
  if (typeof key !== 'string' || typeof day !== 'string')
    throw malformed(page, 'the last row has no text account_key and day to continue from');
  return { key, day };
}

function malformed(page: number, what: string): SyncError {
  return new SyncError(`PostHog usage query page ${page} cannot be read: ${what}`, {
    code: 'posthog_malformed_response',
    kind: 'system',
    details: { system: 'posthog', page },
  });
}

function timedOut(error: SyncError, limit: number): SyncError {
  return new SyncError(
    `${error.message}; it still timed out at ${limit} rows a page. Count fewer events (usage.events) or ask PostHog about the project's query limits`,
    { code: QUERY_TIMEOUT_CODE, kind: 'transient', details: error.details, cause: error },
  );
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { FaultRegistryBase, type FaultRuleBase } from '../../emulator-kit/fault-rules.ts';
import { isRecord, parseJson, readBody, sendJson, type Reply } from '../../emulator-kit/http-io.ts';
import { listen } from '../../emulator-kit/listen.ts';
import { RequestLog, type RequestRecordBase } from '../../emulator-kit/request-log.ts';
import { parseUsageQuery, QuerySyntaxError, type ParsedUsageQuery } from './hogql.ts';

/**
 * A local PostHog query API for the usage source: POST /api/projects/:project_id/query/ with
 * `{"query": {"kind": "HogQLQuery", "query": "..."}}` and a personal API key as a Bearer token
 * (https://posthog.com/docs/api/queries). It runs only the usage query the source sends (./hogql.ts) over
 * seeded events per group key and day, and answers as PostHog does:
 * - the body `{results, columns, types, hasMore, limit, offset}` (https://posthog.com/docs/api/queries);
 * - at most 50,000 rows with an explicit LIMIT (same page; the usage query always names one), so LIMIT is
 *   capped there;
 * - 429 past 240 queries a minute, 2,400 an hour or 3 at once, with Retry-After (same page, "Rate limits");
 *   the body is Django REST framework's throttle error, `Request was throttled. Expected available in N
 *   seconds.` (https://www.django-rest-framework.org/api-guide/throttling/);
 * - 504 "Query has hit the max execution time before completing" past the execution limit
 *   (ClickHouseQueryTimeOut in posthog/errors.py, https://github.com/PostHog/posthog);
 * - errors as `{type, code, detail, attr}` (https://posthog.com/docs/api).
 */

/** One account's seeded activity on one day, on the emulator's company group type. */
export interface PosthogSeedDay {
  readonly key: string;
  /** YYYY-MM-DD, in the project's time zone. */
  readonly date: string;
  /** Distinct persons active that day. */
  readonly persons: number;
  /** Distinct ids active that day; defaults to `persons`. */
  readonly distinctIds?: number;
  /** Events by name. */
  readonly events: Readonly<Record<string, number>>;
}

export interface PosthogLimits {
  readonly perMinute: number;
  readonly perHour: number;
  readonly concurrent: number;
}

export interface PosthogEmulatorOptions {
  readonly port?: number;
  readonly host?: string;
  readonly projectId?: string;
  /** Personal API keys that are accepted. Default `['phx_emulator']`. */
  readonly apiKeys?: readonly string[];
  /** The group type index the seeded keys are on ($group_N); a query of another index finds no rows. */
  readonly groupIndex?: number;
  readonly days?: readonly PosthogSeedDay[];
  readonly limits?: Partial<PosthogLimits>;
  /** Simulated execution cost of each result row, in ms. Default 0.1 (a full 50,000-row page: 5 s). */
  readonly msPerRow?: number;
  /** The execution time limit, in simulated ms. Default 10,000. */
  readonly maxExecutionMs?: number;
  /** Real time each query takes, so tests can hold queries open at once. Default 0. */
  readonly latencyMs?: number;
  /** The clock of the rate windows. */
  readonly now?: () => number;
}

export interface QueryRecord extends RequestRecordBase {
  /** The parsed usage query, when the text was one. */
  readonly query?: ParsedUsageQuery;
}

export interface PosthogEmulator {
  readonly url: string;
  readonly projectId: string;
  readonly requests: RequestLog<QueryRecord>;
  /** Injected statuses (with PostHog's error body unless one is given), resets and latency. */
  readonly faults: FaultRegistryBase<FaultRuleBase, never>;
  /** The usage queries answered with rows (status 200), oldest first. */
  queries(): ParsedUsageQuery[];
  /** Replaces the seeded days. */
  seed(days: readonly PosthogSeedDay[]): void;
  stop(): Promise<void>;
}

export const POSTHOG_DOCUMENTED_LIMITS: PosthogLimits = { perMinute: 240, perHour: 2_400, concurrent: 3 };
const MAX_ROWS = 50_000;
const ROUTE = 'POST /api/projects/{project_id}/query/';
const CONTENT_TYPE = 'application/json';

class PosthogError extends Error {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    fields: { type: string; code: string; detail: string },
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(fields.detail);
    this.status = status;
    this.body = { ...fields, attr: null };
    this.headers = headers;
  }
}

const validation = (detail: string) =>
  new PosthogError(400, { type: 'validation_error', code: 'invalid_input', detail });

/** An injected status, with PostHog's body for it unless the rule gives one. */
function injected(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): PosthogError {
  const fields =
    status === 400
      ? { type: 'validation_error', code: 'invalid_input', detail: 'Unsupported query.' }
      : status === 401
        ? { type: 'authentication_error', code: 'authentication_failed', detail: 'Invalid personal API key.' }
        : status === 429
          ? {
              type: 'throttled_error',
              code: 'throttled',
              detail: 'Request was throttled. Expected available in 1 second.',
            }
          : { type: status >= 500 ? 'server_error' : 'invalid_request', code: 'error', detail: `HTTP ${status}` };
  const error = new PosthogError(status, fields, headers);
  return body === undefined || !isRecord(body) ? error : Object.assign(error, { body });
}

export async function startPosthogEmulator(options: PosthogEmulatorOptions = {}): Promise<PosthogEmulator> {
  const projectId = options.projectId ?? '1';
  const keys = new Set(options.apiKeys ?? ['phx_emulator']);
  const limits = { ...POSTHOG_DOCUMENTED_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const requests = new RequestLog<QueryRecord>();
  let days = [...(options.days ?? [])];
  /** Arrival times of accepted queries per key, for the minute and hour windows. */
  const arrivals = new Map<string, number[]>();
  let running = 0;
  const faults = new FaultRegistryBase<FaultRuleBase, never>(0);

  const throttle = (key: string): void => {
    const at = now();
    const list = (arrivals.get(key) ?? []).filter((t) => t > at - 3_600_000);
    arrivals.set(key, list);
    const lastMinute = list.filter((t) => t > at - 60_000);
    let waitMs: number | undefined;
    if (running >= limits.concurrent) waitMs = 1_000;
    else if (lastMinute.length >= limits.perMinute) waitMs = (lastMinute[0] ?? at) + 60_000 - at;
    else if (list.length >= limits.perHour) waitMs = (list[0] ?? at) + 3_600_000 - at;
    if (waitMs !== undefined) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new PosthogError(
        429,
        {
          type: 'throttled_error',
          code: 'throttled',
          detail: `Request was throttled. Expected available in ${seconds} seconds.`,
        },
        { 'retry-after': String(seconds) },
      );
    }
    list.push(at);
  };

  const authenticate = (req: IncomingMessage): string => {
    const header = req.headers.authorization;
    if (header === undefined)
      throw new PosthogError(401, {
        type: 'authentication_error',
        code: 'not_authenticated',
        detail: 'Authentication credentials were not provided.',
      });
    const key = /^Bearer (\S+)$/.exec(header)?.[1];
    if (key === undefined || !keys.has(key))
      throw new PosthogError(401, {
        type: 'authentication_error',
        code: 'authentication_failed',
        detail: 'Personal API key found in request Authorization header is invalid.',
      });
    return key;
  };

  const run = (query: ParsedUsageQuery): Reply => {
    const limit = Math.min(query.limit, MAX_ROWS);
    const wanted = query.events === undefined ? undefined : new Set(query.events);
    const matching = query.groupIndex === (options.groupIndex ?? 0) ? days : [];
    const rows = matching
      .filter((d) => d.date >= query.from && d.date < query.toExclusive)
      .filter((d) => !query.after || d.key > query.after.key || (d.key === query.after.key && d.date > query.after.day))
      .filter((d) => wanted === undefined || Object.keys(d.events).some((e) => wanted.has(e) && (d.events[e] ?? 0) > 0))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const page = rows.slice(0, limit);
    if (page.length * (options.msPerRow ?? 0.1) > (options.maxExecutionMs ?? 10_000))
      throw new PosthogError(504, {
        type: 'server_error',
        code: 'error',
        detail:
          'Query has hit the max execution time before completing. See our docs for how to improve your query performance. You may need to materialize.',
      });
    const counts = (d: PosthogSeedDay): number[] =>
      query.events === undefined
        ? [Object.values(d.events).reduce((sum, n) => sum + n, 0)]
        : query.events.map((e) => d.events[e] ?? 0);
    const users = (d: PosthogSeedDay) =>
      query.activeUsersFrom === 'person' ? d.persons : (d.distinctIds ?? d.persons);
    const countNames = query.events === undefined ? ['events'] : query.events.map((_, i) => `event_${i}`);
    return {
      status: 200,
      body: {
        results: page.map((d) => [d.key, d.date, users(d), ...counts(d)]),
        columns: ['account_key', 'day', 'active_users', ...countNames],
        types: [
          ['account_key', 'String'],
          ['day', 'Date'],
          ['active_users', 'UInt64'],
          ...countNames.map((name) => [name, 'UInt64']),
        ],
        hasMore: rows.length > limit,
        limit,
        offset: 0,
        is_cached: false,
      },
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    const at = now();
    const project = /^\/api\/projects\/([^/]+)\/query\/?$/.exec(path)?.[1];
    let parsed: ParsedUsageQuery | undefined;
    let reply: Reply;
    let held = false;
    const decision = faults.decide({
      method: req.method ?? 'GET',
      path,
      route: project === undefined ? 'unknown' : ROUTE,
    });
    if (decision.delayMs > 0) await delay(decision.delayMs);
    const { action } = decision;
    if (action.kind === 'reset') {
      requests.add({ method: req.method ?? 'GET', path, route: ROUTE, status: 0, write: false, at });
      res.destroy();
      return;
    }
    try {
      if (action.kind === 'respond') throw injected(action.status, action.body, action.headers);
      if (req.method !== 'POST' || project === undefined)
        throw new PosthogError(404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.' });
      const key = authenticate(req);
      if (decodeURIComponent(project) !== projectId)
        throw new PosthogError(403, {
          type: 'authentication_error',
          code: 'permission_denied',
          detail: "You don't have access to the project.",
        });
      throttle(key);
      running += 1;
      held = true;
      const text = await readBody(req, () => validation('Request body too large.'));
      const body = parseJson(
        text,
        (detail) =>
          new PosthogError(400, {
            type: 'validation_error',
            code: 'parse_error',
            detail: `JSON parse error - ${detail}`,
          }),
      );
      const query = isRecord(body) && isRecord(body['query']) ? body['query'] : undefined;
      if (query?.['kind'] !== 'HogQLQuery' || typeof query['query'] !== 'string')
        throw validation('This emulator answers only {"query": {"kind": "HogQLQuery", "query": "..."}}.');
      try {
        parsed = parseUsageQuery(query['query']);
      } catch (error) {
        if (error instanceof QuerySyntaxError) throw validation(`Unsupported query: ${error.message}`);
        throw error;
      }
      if (options.latencyMs) await delay(options.latencyMs);
      reply = run(parsed);
    } catch (error) {
      if (!(error instanceof PosthogError)) throw error;
      reply = { status: error.status, body: error.body, headers: error.headers };
    } finally {
      if (held) running -= 1;
    }
    requests.add({
      method: req.method ?? 'GET',
      path,
      route: project === undefined ? 'unknown' : ROUTE,
      status: reply.status,
      write: false,
      at,
      ...(parsed === undefined ? {} : { query: parsed }),
    });
    sendJson(res, reply, {}, CONTENT_TYPE);
  };

  const listening = await listen(handle, { port: options.port, host: options.host });
  return {
    url: listening.url,
    projectId,
    requests,
    faults,
    queries: () => requests.log().flatMap((r) => (r.status === 200 && r.query ? [r.query] : [])),
    seed: (next) => {
      days = [...next];
    },
    stop: () => listening.stop(),
  };
}

/** Seeds the emulator from canonical usage days: active users as persons, event counts as they are. */
export function seedFromUsage(
  usage: ReadonlyArray<{
    readonly accountKey: string;
    readonly date: string;
    readonly activeUsers?: number | undefined;
    readonly events?: Readonly<Record<string, number>> | undefined;
  }>,
): PosthogSeedDay[] {
  return usage.map((d) => ({ key: d.accountKey, date: d.date, persons: d.activeUsers ?? 0, events: { ...d.events } }));
}

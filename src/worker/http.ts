import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunStatus } from '../state/store.ts';
import type { WorkerMetrics } from './metrics.ts';

/** What the worker knows about its own health; the caller decides `ok` (see {@link judgeHealth}). */
export interface HealthState {
  /** False when the worker is failing: /healthz answers 503. */
  readonly ok: boolean;
  /** Healthy but behind: no success within the stale window. Ignored when `ok` is false. */
  readonly stale?: boolean;
  /** ISO time of the last successful run, or null if none is on record. */
  readonly lastSuccessAt: string | null;
  readonly lastRun: { readonly id: string; readonly status: RunStatus; readonly finishedAt: string | null } | null;
  readonly running: boolean;
  /** ISO time of the next scheduled run, or null when nothing is scheduled. */
  readonly nextRunAt: string | null;
}

/** The /healthz body. */
export interface HealthBody {
  readonly status: 'ok' | 'stale' | 'failing';
  readonly lastSuccessAt: string | null;
  readonly lastSuccessAgeSeconds: number | null;
  readonly lastRun: HealthState['lastRun'];
  readonly running: boolean;
  readonly nextRunAt: string | null;
}

/** The answer of a run trigger: refused (with a reason) when a run is already going. */
export interface TriggerResult {
  readonly accepted: boolean;
  readonly reason?: string;
}

export interface WorkerHttpOptions {
  /** Interface to bind; defaults to loopback so the endpoints are not exposed by accident. */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one (see the returned url). */
  readonly port: number;
  readonly metrics: Pick<WorkerMetrics, 'registry'>;
  readonly health: () => Promise<HealthState>;
  readonly triggerRun: () => Promise<TriggerResult>;
  /** Clock for lastSuccessAgeSeconds; defaults to the system clock. */
  readonly now?: () => Date;
}

export interface WorkerHttp {
  /** Base url, e.g. http://127.0.0.1:9464 */
  readonly url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
const BUSY_REASON = 'a run is in progress';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
interface Route {
  readonly methods: readonly string[];
  readonly handle: Handler;
}

/** Starts the worker's HTTP endpoints: GET /healthz, GET /metrics, POST /run. */
export async function startWorkerHttp(options: WorkerHttpOptions): Promise<WorkerHttp> {
  const host = options.host ?? DEFAULT_HOST;
  const routes = buildRoutes(options);
  const server = createServer((req, res) => {
    dispatch(routes, req, res).catch((error: unknown) => sendError(res, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function buildRoutes(options: WorkerHttpOptions): ReadonlyMap<string, Route> {
  const now = options.now ?? (() => new Date());
  const { registry } = options.metrics;
  return new Map<string, Route>([
    [
      '/healthz',
      {
        methods: ['GET', 'HEAD'],
        handle: async (_req, res) => {
          const body = healthBody(await options.health(), now());
          sendJson(res, body.status === 'failing' ? 503 : 200, body);
        },
      },
    ],
    [
      '/metrics',
      {
        methods: ['GET', 'HEAD'],
        handle: async (_req, res) => {
          const text = await registry.metrics();
          res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text);
        },
      },
    ],
    [
      '/run',
      {
        methods: ['POST'],
        handle: async (_req, res) => {
          const result = await options.triggerRun();
          if (result.accepted) sendJson(res, 202, { accepted: true });
          else sendJson(res, 409, { accepted: false, reason: result.reason ?? BUSY_REASON });
        },
      },
    ],
  ]);
}

async function dispatch(routes: ReadonlyMap<string, Route>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume(); // no endpoint reads a body; drain it so keep-alive connections stay usable
  const path = new URL(req.url ?? '/', 'http://worker').pathname;
  const route = routes.get(path);
  if (!route) return sendJson(res, 404, { error: 'not found', path });
  const method = req.method ?? 'GET';
  if (!route.methods.includes(method)) {
    res.setHeader('allow', route.methods.join(', '));
    return sendJson(res, 405, { error: 'method not allowed', allow: route.methods });
  }
  await route.handle(req, res);
}

/** Shapes the health state into the /healthz body: failing beats stale beats ok. */
export function healthBody(state: HealthState, now: Date): HealthBody {
  const success = state.lastSuccessAt === null ? Number.NaN : Date.parse(state.lastSuccessAt);
  return {
    status: !state.ok ? 'failing' : state.stale ? 'stale' : 'ok',
    lastSuccessAt: state.lastSuccessAt,
    lastSuccessAgeSeconds: Number.isFinite(success) ? Math.max(0, Math.round((now.getTime() - success) / 1000)) : null,
    lastRun: state.lastRun,
    running: state.running,
    nextRunAt: state.nextRunAt,
  };
}

/** Inputs for {@link judgeHealth}. */
export interface HealthInputs {
  readonly lastSuccessAt: string | null;
  readonly lastRunStatus: RunStatus | null;
  /** The schedule's period: the expected time between runs. */
  readonly periodMs: number;
  /** When the worker started: the reference point while no success is on record. */
  readonly since: Date;
  readonly now: Date;
  /** Periods without success after which the worker is stale. Default 1.5. */
  readonly staleAfterPeriods?: number;
  /** Periods without success after which the worker is failing. Default 3. */
  readonly failAfterPeriods?: number;
}

/**
 * The health rule: failing when the last run failed, or no run succeeded within `failAfterPeriods`
 * schedule periods (counted from the last success, or from start-up when there is none); stale past
 * `staleAfterPeriods`. A quota stop or a partial run is not a failure by itself, only the time it costs.
 */
export function judgeHealth(inputs: HealthInputs): Pick<HealthState, 'ok' | 'stale'> {
  const success = inputs.lastSuccessAt === null ? Number.NaN : Date.parse(inputs.lastSuccessAt);
  const reference = Number.isFinite(success) ? Math.max(success, 0) : inputs.since.getTime();
  const age = inputs.now.getTime() - reference;
  const failing = inputs.lastRunStatus === 'failed' || age > (inputs.failAfterPeriods ?? 3) * inputs.periodMs;
  return { ok: !failing, stale: !failing && age > (inputs.staleAfterPeriods ?? 1.5) * inputs.periodMs };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
}

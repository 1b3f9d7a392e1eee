import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveExchange } from '../../emulator-kit/exchange.ts';
import { hasBody, readBody, type Reply } from '../../emulator-kit/http-io.ts';
import type { RequestLog } from '../../emulator-kit/request-log.ts';
import { matchRoute } from '../../emulator-kit/routes.ts';
import {
  bodyTooLarge,
  JSON_CONTENT_TYPE,
  parseJsonBody,
  restError,
  SalesforceHttpError,
  type RestError,
} from './http.ts';
import type { Route, RouteMatch } from './router.ts';
import { supportedVersion, type OrgState } from './state.ts';
import type { RequestRecord } from './types.ts';

export interface ServerDeps {
  readonly state: OrgState;
  readonly routes: readonly Route[];
  readonly requests: RequestLog<RequestRecord>;
}

/** Bodies of injected statuses, as Salesforce words them (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm). */
const FAULT_ERRORS: Readonly<Record<number, RestError>> = {
  400: { errorCode: 'INVALID_INPUT', message: 'Invalid input' },
  401: { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
  403: { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' },
  404: { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
  500: {
    errorCode: 'UNKNOWN_EXCEPTION',
    message:
      'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-123456789)',
  },
  503: { errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' },
};

const VERSIONED = /^\/services\/data\/v(\d+\.\d+)(\/.*)?$/;

interface Target {
  readonly method: string;
  readonly path: string;
  readonly version: string;
  readonly matched: RouteMatch | undefined;
}

function resolve(routes: readonly Route[], method: string, path: string): Target {
  const versioned = VERSIONED.exec(path);
  if (!versioned)
    return { method, path, version: '', matched: matchRoute(routes, method, path, (r) => r.root === true) };
  const version = versioned[1] ?? '';
  const matched = supportedVersion(version)
    ? matchRoute(routes, method, versioned[2] ?? '', (r) => r.root !== true)
    : undefined;
  return { method, path, version, matched };
}

/** One request: faults, then route, session, daily allocation, body and handler. Every response is logged. */
export async function handleRequest(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { state } = deps;
  const url = new URL(req.url ?? '/', 'http://emulator');
  const target = resolve(deps.routes, req.method ?? 'GET', url.pathname);
  const route = target.matched?.route;
  const object = target.matched?.params['type'];
  const name = route?.name ?? 'unknown';
  const at = state.now();
  await serveExchange(req, res, {
    decision: state.faults.decide({ method: target.method, path: target.path, route: name }),
    log: (status) =>
      deps.requests.add({
        method: target.method,
        path: target.path,
        route: name,
        ...(object !== undefined ? { object: state.schema.objectName(object) } : {}),
        status,
        write: route?.write ?? false,
        at,
      }),
    faultBody: (status) => [
      FAULT_ERRORS[status] ?? {
        errorCode: status >= 500 ? 'UNKNOWN_EXCEPTION' : 'INVALID_INPUT',
        message: `HTTP ${status}`,
      },
    ],
    dispatch: () => dispatch(deps, req, url, target),
    errorReply,
    // Read after dispatch, so the header reports this call; OAuth and other public routes carry none.
    headers: () =>
      route?.public !== true ? { 'sforce-limit-info': `api-usage=${state.usage.used}/${state.usage.max}` } : {},
    contentType: JSON_CONTENT_TYPE,
  });
}

async function dispatch(deps: ServerDeps, req: IncomingMessage, url: URL, target: Target): Promise<Reply> {
  const { state } = deps;
  const { matched } = target;
  if (!matched) throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (matched.route.public !== true) authenticate(state, req.headers.authorization);
  if (matched.route.public !== true && matched.route.unmetered !== true) {
    // The daily allocation: Salesforce answers 403, not 429, once it is used up (errorcodes.htm, resources_limits.htm).
    if (state.usage.used >= state.usage.max)
      throw restError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    state.usage.used += 1;
  }
  const text = hasBody(req) ? await readBody(req, bodyTooLarge) : '';
  const body =
    matched.route.text === true ? text : matched.route.form === true ? new URLSearchParams(text) : parseJsonBody(text);
  return matched.route.handler({
    state,
    params: matched.params,
    query: url.searchParams,
    body,
    headers: req.headers,
    version: target.version,
  });
}

/** `Authorization: Bearer <token>` (or the older `OAuth <token>`); unknown and expired sessions read the same. */
function authenticate(state: OrgState, header: string | undefined): void {
  const token = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  if (token === undefined || !state.sessions.has(token))
    throw restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
}

function errorReply(error: unknown): Reply {
  if (error instanceof SalesforceHttpError) return { status: error.status, body: error.body };
  const message = error instanceof Error ? error.message : 'unknown error';
  return {
    status: 500,
    body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred: ${message}` }],
  };
}

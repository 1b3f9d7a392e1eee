import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveExchange } from '../../emulator-kit/exchange.ts';
import { hasBody, readBody, type Reply } from '../../emulator-kit/http-io.ts';
import type { RequestLog } from '../../emulator-kit/request-log.ts';
import { matchRoute } from '../../emulator-kit/routes.ts';
import type { FaultRegistry } from './faults.ts';
import {
  bodyTooLarge,
  errorBody,
  HubspotHttpError,
  isoTime,
  JSON_CONTENT_TYPE,
  parseJsonBody,
  type ErrorFields,
} from './http.ts';
import { findObjectType } from './object-types.ts';
import type { RateLimiter } from './rate-limits.ts';
import type { Route, RouteMatch } from './router.ts';
import type { PortalState } from './state.ts';
import type { RequestRecord } from './types.ts';

export interface AuthState {
  token: string;
  /** Emulator clock when the current token was expired by a fault. */
  expiredAt?: number | undefined;
  /** Scopes granted to the token, as the token-info endpoint reports them. */
  scopes: readonly string[];
}

export interface ServerDeps {
  readonly state: PortalState;
  readonly routes: readonly Route[];
  readonly faults: FaultRegistry;
  readonly limiter: RateLimiter;
  readonly requests: RequestLog<RequestRecord>;
  readonly auth: AuthState;
}

const INVALID_AUTH =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** Categories of injected error statuses (https://developers.hubspot.com/docs/faq/api-error-responses). */
const FAULT_FIELDS: Readonly<Record<number, ErrorFields>> = {
  400: { category: 'VALIDATION_ERROR', message: 'Invalid input' },
  401: { category: 'INVALID_AUTHENTICATION', message: INVALID_AUTH },
  403: { category: 'MISSING_SCOPES', message: "This app hasn't been granted all required scopes to make this call." },
  404: { category: 'OBJECT_NOT_FOUND', message: 'resource not found' },
  409: { category: 'CONFLICT', message: 'Conflict' },
  500: { category: 'INTERNAL_ERROR', message: 'internal error' },
  502: { category: 'BAD_GATEWAY', message: 'Bad Gateway' },
  503: { category: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable' },
  504: { category: 'TIMEOUT', message: 'Gateway Timeout' },
};

function faultFields(status: number, portalId: number): ErrorFields {
  if (status === 429) {
    // The body the SDK retries on: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
    return {
      message: 'You have reached your ten_secondly_rolling limit.',
      extra: {
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        groupName: `publicapi:private-app-api-calls-ten-secondly:${portalId}`,
      },
    };
  }
  return (
    FAULT_FIELDS[status] ?? {
      category: status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR',
      message: `HTTP ${status}`,
    }
  );
}

/** One request: faults, then route, auth, rate limits, body and handler. Every response is logged. */
export async function handleRequest(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const correlationId = randomUUID();
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://emulator');
  const matched = matchRoute(deps.routes, method, url.pathname);
  const rawType = matched?.params['type'] ?? matched?.params['fromType'];
  const objectType = rawType === undefined ? undefined : (findObjectType(rawType) ?? rawType);
  const target = {
    method,
    path: url.pathname,
    route: matched?.route.name ?? 'unknown',
    ...(objectType !== undefined ? { objectType } : {}),
  };
  const at = deps.state.now();
  const limitHeaders: Record<string, string> = {};
  await serveExchange(req, res, {
    decision: deps.faults.decide(target),
    log: (status) => deps.requests.add({ ...target, status, write: matched?.route.write ?? false, at }),
    faultBody: (status) => errorBody(faultFields(status, deps.state.portalId), correlationId),
    dispatch: () => dispatch({ deps, req, url, matched, limitHeaders }),
    errorReply: (error) => errorReply(error, correlationId),
    // Rate-limit headers ride on errors too (a 429 carries them), so they are read after dispatch.
    headers: () => ({ 'x-hubspot-correlation-id': correlationId, ...limitHeaders }),
    contentType: JSON_CONTENT_TYPE,
  });
}

interface DispatchInput {
  readonly deps: ServerDeps;
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly matched: RouteMatch | undefined;
  readonly limitHeaders: Record<string, string>;
}

async function dispatch({ deps, req, url, matched, limitHeaders }: DispatchInput): Promise<Reply> {
  if (!matched) throw new HubspotHttpError(404, { message: 'resource not found' });
  if (matched.route.public !== true) {
    authenticate(deps, req.headers.authorization);
    const verdict = deps.limiter.check(deps.auth.token, matched.route.search === true);
    Object.assign(limitHeaders, verdict.headers);
    if (!verdict.ok) throw new HubspotHttpError(429, verdict.fields);
  }
  const body = hasBody(req) ? parseJsonBody(await readBody(req, bodyTooLarge)) : undefined;
  return matched.route.handler({
    state: deps.state,
    params: matched.params,
    query: url.searchParams,
    body,
    faults: deps.faults,
    auth: deps.auth,
  });
}

/**
 * `Authorization: Bearer <token>`. A missing or unknown token is INVALID_AUTHENTICATION; an expired one
 * is EXPIRED_AUTHENTICATION with the seconds since expiry
 * (https://developers.hubspot.com/docs/faq/api-error-responses).
 */
function authenticate(deps: ServerDeps, header: string | undefined): void {
  const token = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  if (token !== deps.auth.token)
    throw new HubspotHttpError(401, { category: 'INVALID_AUTHENTICATION', message: INVALID_AUTH });
  const expiredAt = deps.auth.expiredAt;
  if (expiredAt === undefined) return;
  const seconds = Math.max(0, Math.floor((deps.state.now() - expiredAt) / 1000));
  throw new HubspotHttpError(401, {
    category: 'EXPIRED_AUTHENTICATION',
    message: `The OAuth token used to make this call expired ${seconds} second(s) ago.`,
    context: { 'expire time': [isoTime(expiredAt)] },
  });
}

function errorReply(error: unknown, correlationId: string): Reply {
  if (error instanceof HubspotHttpError)
    return { status: error.status, body: errorBody(error.fields, correlationId), headers: error.headers };
  const message = error instanceof Error ? error.message : 'unknown error';
  return {
    status: 500,
    body: errorBody({ category: 'INTERNAL_ERROR', message: `internal error: ${message}` }, correlationId),
  };
}

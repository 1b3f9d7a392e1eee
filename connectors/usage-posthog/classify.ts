import { isAxiosError } from 'axios';
import { clipMessage } from '../../src/clip.ts';
import { classifyHttpDefault } from '../../src/http/classify-default.ts';
import { messageChain, networkCodeOf, type HttpFailureInfo, type Resolution } from '../../src/http/classify.ts';

/**
 * How a failed PostHog query is handled. Sources:
 * - the query API, its permission (Query Read) and limits: https://posthog.com/docs/api/queries
 * - the error body `{type, code, detail, attr}` of PostHog's API (Django REST framework through
 *   exceptions-hog): https://posthog.com/docs/api
 * - a query past its execution time is a 504 "Query has hit the max execution time before completing"
 *   (ClickHouseQueryTimeOut in posthog/errors.py, https://github.com/PostHog/posthog)
 */

const SYSTEM = 'posthog';
const LABEL = 'PostHog';
/** The code the reader matches to retry a page with a smaller LIMIT. */
export const QUERY_TIMEOUT_CODE = 'posthog_query_timeout';
const KEY_FIX =
  'check that the environment variable named by usage.apiKey.env holds a current PostHog personal API key (phx_...) with the Query Read permission';

/** PostHog's error body; every field optional. */
interface PosthogErrorBody {
  readonly type?: string;
  readonly code?: string;
  readonly detail?: string;
  readonly attr?: string;
}

export function classifyPosthog(failure: HttpFailureInfo): Resolution {
  const body = readBody(failure.body);
  const said = body.detail ? `: ${clipMessage(body.detail)}` : '';
  const category = body.code === undefined ? {} : { category: body.code };
  switch (failure.status) {
    case 400:
      return {
        action: 'fail',
        kind: 'config',
        code: 'posthog_bad_query',
        reason: `PostHog rejected the usage query${said}; check usage.groupIndex (the company group's $group_N) and usage.events in the config`,
        ...category,
      };
    case 401:
      return {
        action: 'fail',
        kind: 'auth',
        code: 'posthog_unauthorized',
        reason: `PostHog did not accept the API key${said}; ${KEY_FIX}`,
        ...category,
      };
    case 403:
      return {
        action: 'fail',
        kind: 'auth',
        code: 'posthog_forbidden',
        reason: `PostHog refused the query${said}; give the personal API key the Query Read permission and access to project usage.projectId`,
        ...category,
      };
    case 404:
      return {
        action: 'fail',
        kind: 'config',
        code: 'posthog_project_not_found',
        reason: `PostHog has no such project${said}; check usage.projectId and usage.host in the config`,
        ...category,
      };
    case 504:
      return {
        action: 'fail',
        kind: 'transient',
        code: QUERY_TIMEOUT_CODE,
        reason: `the PostHog query hit its maximum execution time${said}`,
        ...category,
      };
    default: {
      const fallback = classifyHttpDefault(
        { ...failure, ...(body.detail ? { message: body.detail } : {}) },
        { system: SYSTEM, label: LABEL },
      );
      return { ...fallback, ...category };
    }
  }
}

function readBody(raw: unknown): PosthogErrorBody {
  const value = typeof raw === 'string' ? parseJson(raw) : raw;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const record = value as Record<string, unknown>;
  const text = (key: keyof PosthogErrorBody) =>
    typeof record[key] === 'string' && record[key] !== '' ? { [key]: record[key] as string } : {};
  return { ...text('type'), ...text('code'), ...text('detail'), ...text('attr') };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * What axios threw, rebuilt without its request: axios errors carry the request config, whose headers hold
 * the API key, and the call policy keeps the thrown error as the `cause` of the SyncError it builds.
 */
export class PosthogHttpError extends Error {
  readonly status: number | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly code: string | undefined;

  constructor(fields: {
    status?: number;
    headers?: Record<string, string>;
    body?: unknown;
    code?: string;
    message: string;
  }) {
    super(fields.message);
    this.name = 'PosthogHttpError';
    this.status = fields.status;
    this.headers = fields.headers ?? {};
    this.body = fields.body;
    this.code = fields.code;
  }
}

export function cleanAxiosError(error: unknown): PosthogHttpError {
  if (isAxiosError(error) && error.response) {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(error.response.headers as Record<string, unknown>))
      if (typeof value === 'string') headers[key.toLowerCase()] = value;
    return new PosthogHttpError({
      status: error.response.status,
      headers,
      body: error.response.data,
      message: `PostHog answered HTTP ${error.response.status}`,
    });
  }
  const code = networkCodeOf(error);
  // The network error's own words (ECONNREFUSED 127.0.0.1:443) name no credential; the request is dropped.
  const message = messageChain(error) ?? 'the request to PostHog failed';
  return new PosthogHttpError({ message, ...(code === undefined ? {} : { code }) });
}

/** A cleaned failure as status, headers and body for the classifier. */
export function toPosthogFailure(error: unknown): HttpFailureInfo {
  const clean = error instanceof PosthogHttpError ? error : cleanAxiosError(error);
  if (clean.status !== undefined) {
    const detail = readBody(clean.body).detail;
    return {
      status: clean.status,
      headers: clean.headers,
      body: clean.body,
      ...(detail === undefined ? {} : { message: detail }),
    };
  }
  return {
    headers: {},
    ...(clean.code === undefined ? {} : { networkCode: clean.code }),
    message: clean.message,
  };
}

import { clipMessage } from '../../src/clip.ts';
import { classifyHttpDefault } from '../../src/http/classify-default.ts';
import {
  messageChain,
  networkCodeOf,
  numericHeader,
  retryAfterMs,
  type HttpFailureInfo,
  type Resolution,
} from '../../src/http/classify.ts';

/**
 * How the worker reacts to each HubSpot failure. Sources:
 * - limits and 429 bodies: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 * - status codes and the error body: https://developers.hubspot.com/docs/api-reference/latest/error-handling
 * HubSpot's breaking-change policy says to match on status and category, not on message text
 * (https://developers.hubspot.com/docs/breaking-change-definition); the message is only a fallback when a
 * 429 body carries no policyName.
 */

const SYSTEM = 'hubspot';
const LABEL = 'HubSpot';
/** The ten-secondly window when the response does not state it in X-HubSpot-RateLimit-Interval-Milliseconds. */
const TEN_SECONDS_MS = 10_000;
/** Search's own bucket is per second: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines */
const SECONDLY_WAIT_MS = 1_000;
/** "Locks will last for 2 seconds": 423 in the error-handling table. */
const LOCK_WAIT_MS = 2_000;
const TOKEN_FIX =
  'check that the private app token in the environment variable named by crm.hubspot.token.env is current and belongs to this portal';

/** The documented error body; every field optional (error-handling page). */
interface HubspotErrorBody {
  readonly message?: string;
  readonly category?: string;
  readonly policyName?: string;
  readonly correlationId?: string;
  readonly errors: ReadonlyArray<{ readonly message?: string; readonly context?: unknown }>;
  readonly context?: unknown;
}

export function classifyHubspot(failure: HttpFailureInfo): Resolution {
  const body = readBody(failure.body);
  const message = body.message ?? failure.message;
  // HubSpot's messages can embed a whole JSON list (every option of a property): stored and shown cut short.
  const said = message ? `: ${clipMessage(readableMessage(message))}` : '';
  const category = body.category;
  const withCategory = category === undefined ? {} : { category };
  switch (failure.status) {
    case 429:
      return classifyRateLimit(failure, body);
    case 401:
      if (category === 'EXPIRED_AUTHENTICATION')
        return {
          action: 'refresh_auth',
          kind: 'auth',
          code: 'hubspot_token_expired',
          reason: `the HubSpot access token has expired${said}`,
          category,
        };
      return {
        action: 'fail',
        kind: 'auth',
        code: 'hubspot_auth',
        reason: `HubSpot did not accept the access token${said}; ${TOKEN_FIX}`,
        ...withCategory,
      };
    case 403:
      return classifyForbidden(body, said);
    case 404:
      return {
        action: 'fail',
        kind: 'data',
        code: 'hubspot_not_found',
        reason: `HubSpot has no such record or endpoint${said}`,
        ...withCategory,
      };
    case 409:
      return {
        action: 'fail',
        kind: 'data',
        code: 'hubspot_conflict',
        reason: `HubSpot reported a conflict with an existing record${said}`,
        ...withCategory,
      };
    case 400:
      return {
        action: 'fail',
        kind: 'data',
        code: 'hubspot_validation',
        reason: `HubSpot rejected the request as invalid${validationMessage(body, failure)}`,
        ...withCategory,
      };
    case 423:
      return {
        action: 'retry',
        kind: 'transient',
        code: 'hubspot_locked',
        reason: `HubSpot locked the records while a large sync was in progress${said}`,
        waitMs: retryAfterMs(failure.headers) ?? LOCK_WAIT_MS,
        ...withCategory,
      };
    case 477:
      // "typically up to 24 hours" of Retry-After: waiting inside one run would only repeat the call.
      return {
        action: 'stop_run',
        kind: 'transient',
        code: 'hubspot_migration_in_progress',
        reason: `HubSpot is moving this account between data hosting locations${migrationWait(failure)}; the next run resumes where this one stopped`,
        ...withCategory,
      };
    default: {
      const fallback = classifyHttpDefault(
        { ...failure, ...(message === undefined ? {} : { message }) },
        { system: SYSTEM, label: LABEL },
      );
      return category === undefined ? fallback : { ...fallback, category };
    }
  }
}

function classifyRateLimit(failure: HttpFailureInfo, body: HubspotErrorBody): Resolution {
  const policy = body.policyName ?? policyFromMessage(body.message);
  const retryAfter = retryAfterMs(failure.headers);
  const said = body.message ? ` (${clipMessage(body.message)})` : '';
  if (policy === 'DAILY') {
    return {
      action: 'stop_run',
      kind: 'quota',
      code: 'hubspot_daily_limit',
      reason: `HubSpot's daily API limit for this portal is used up${said}; the run stops here and the next run resumes where it left off`,
      category: policy,
    };
  }
  if (policy === 'TEN_SECONDLY_ROLLING') {
    const window =
      retryAfter ?? numericHeader(failure.headers, 'x-hubspot-ratelimit-interval-milliseconds') ?? TEN_SECONDS_MS;
    return {
      action: 'retry',
      kind: 'rate_limited',
      code: 'hubspot_ten_secondly_limit',
      reason: `HubSpot's ten-second rate limit was reached${said}; waiting for the window to pass`,
      waitMs: window,
      category: policy,
    };
  }
  if (policy === 'SECONDLY') {
    return {
      action: 'retry',
      kind: 'rate_limited',
      code: 'hubspot_secondly_limit',
      reason: `HubSpot's per-second search limit was reached${said}`,
      waitMs: retryAfter ?? SECONDLY_WAIT_MS,
      category: policy,
    };
  }
  const category = policy ?? body.category;
  return {
    action: 'retry',
    kind: 'rate_limited',
    code: 'hubspot_rate_limited',
    reason: `HubSpot is rate limiting requests${said}`,
    ...(retryAfter === undefined ? {} : { waitMs: retryAfter }),
    ...(category === undefined ? {} : { category }),
  };
}

function classifyForbidden(body: HubspotErrorBody, said: string): Resolution {
  if (body.category === 'MISSING_SCOPES') {
    const scopes = scopesOf(body);
    const which = scopes.length > 0 ? `: ${scopes.join(', ')}` : `${said}`;
    return {
      action: 'fail',
      kind: 'auth',
      code: 'hubspot_missing_scopes',
      reason: `the HubSpot private app lacks scopes this call needs${which}; add them to the private app in HubSpot and update the token`,
      category: body.category,
    };
  }
  return {
    action: 'fail',
    kind: 'auth',
    code: 'hubspot_forbidden',
    reason: `HubSpot refused access${said}`,
    ...(body.category === undefined ? {} : { category: body.category }),
  };
}

/** Scopes listed by a MISSING_SCOPES body, wherever HubSpot put them (`errors[].context` or `context`). */
function scopesOf(body: HubspotErrorBody): string[] {
  const found = new Set<string>();
  const collect = (context: unknown) => {
    if (!isRecord(context)) return;
    for (const key of ['requiredGranularScopes', 'requiredScopes', 'missingScopes']) {
      const value = context[key];
      if (Array.isArray(value)) for (const scope of value) if (typeof scope === 'string') found.add(scope);
    }
  };
  collect(body.context);
  for (const error of body.errors) collect(error.context);
  return [...found];
}

function validationMessage(body: HubspotErrorBody, failure: HttpFailureInfo): string {
  if (body.message) return `: ${clipMessage(readableMessage(body.message))}`;
  const details = body.errors.flatMap((e) => (e.message ? [e.message] : []));
  if (details.length > 0) return `: ${clipMessage(details.map(readableMessage).join('; '))}`;
  return failure.message ? `: ${clipMessage(readableMessage(failure.message))}` : '';
}

/**
 * One record's error from a batch response (`errors[]` of a batch create or upsert), said once and short.
 * HubSpot's message for invalid property values embeds the list of problems as JSON, each repeating its
 * message as `localizedErrorMessage`, and the detail list repeats it again: the record gets each problem
 * once, as `property: message`, with an option list shown by its values.
 */
export function batchErrorMessage(error: {
  readonly message: string;
  readonly errors?: ReadonlyArray<{ readonly message: string }> | undefined;
}): string {
  const message = readableMessage(error.message);
  const details = (error.errors ?? [])
    .map((e) => readableMessage(e.message))
    .filter((d) => d !== '' && !message.includes(d));
  return clipMessage([message, ...new Set(details)].join('; '));
}

/**
 * `Property values were not valid: [{"isValid":false,"message":"...","name":"dealstage",...}]` as
 * `Property values were not valid: dealstage: x was not one of the allowed options: a, b, c`. Any other
 * text is returned as it is.
 */
export function readableMessage(message: string): string {
  const match = /^([^[{]*?):\s*(\[[\s\S]*\])\s*$/.exec(message);
  const list = match?.[2] === undefined ? undefined : parseJson(match[2]);
  const text = (value: unknown): string => shortOptions(typeof value === 'string' ? value : '');
  if (!Array.isArray(list) || !list.every(isRecord)) return shortOptions(message);
  const problems = list.map((p) => {
    const what = text(p['message']) || text(p['error']);
    return typeof p['name'] === 'string' ? `${p['name']}: ${what}` : what;
  });
  return `${match?.[1] ?? ''}: ${[...new Set(problems)].join('; ')}`;
}

/** HubSpot's option lists (`[label: "A"\nvalue: "a"\ndisplay_order: 0 ...]`) as `a, b, c`. */
function shortOptions(text: string): string {
  return text.replace(/\[(label: [\s\S]*?)\]/g, (list: string) => {
    const values = [...list.matchAll(/value: "([^"]*)"/g)].map((m) => m[1] ?? '');
    return values.length > 0 ? values.join(', ') : list;
  });
}

function migrationWait(failure: HttpFailureInfo): string {
  const ms = retryAfterMs(failure.headers);
  return ms === undefined ? '' : ` (HubSpot asks to wait ${Math.ceil(ms / 60_000)} min)`;
}

function policyFromMessage(message: string | undefined): string | undefined {
  if (!message) return undefined;
  if (/daily limit/i.test(message)) return 'DAILY';
  if (/ten_secondly/i.test(message)) return 'TEN_SECONDLY_ROLLING';
  if (/secondly limit/i.test(message)) return 'SECONDLY';
  return undefined;
}

function readBody(raw: unknown): HubspotErrorBody {
  const value = typeof raw === 'string' ? parseJson(raw) : raw;
  if (!isRecord(value)) return { errors: [] };
  const text = (key: string) =>
    typeof value[key] === 'string' && value[key] !== '' ? { [key]: value[key] as string } : {};
  const errors = Array.isArray(value['errors'])
    ? value['errors']
        .filter(isRecord)
        .map((e) => ({ ...(typeof e['message'] === 'string' ? { message: e['message'] } : {}), context: e['context'] }))
    : [];
  return {
    ...text('message'),
    ...text('category'),
    ...text('policyName'),
    ...text('correlationId'),
    errors,
    context: value['context'],
  };
}

/**
 * What the SDK threw, as status, headers and body. The SDK's `ApiException` is `{code, body, headers}`
 * (one class per generated API, so matched by shape); its message embeds the whole body and response
 * headers and is never copied. fetch errors carry the socket error as `cause`.
 */
export function toHubspotFailure(error: unknown): HttpFailureInfo {
  if (isApiException(error)) {
    const body = typeof error.body === 'string' ? (parseJson(error.body) ?? error.body) : error.body;
    const parsed = readBody(body);
    const message =
      parsed.message ??
      (typeof body === 'string' && body.length > 0 && body.length <= 500 ? body : undefined) ??
      (error.cause === undefined ? undefined : messageChain(error));
    return {
      status: error.code,
      headers: lowerCaseHeaders(error.headers),
      body,
      ...(message === undefined ? {} : { message }),
    };
  }
  const networkCode = networkCodeOf(error);
  const message = messageChain(error);
  return {
    headers: {},
    ...(networkCode === undefined ? {} : { networkCode }),
    ...(message === undefined ? {} : { message }),
  };
}

/** The SDK's ApiException never has a cause: one means our UnreadableResponseError, whose message is ours. */
function isApiException(error: unknown): error is Error & { code: number; body: unknown; headers: unknown } {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'number' &&
    'body' in error &&
    'headers' in error
  );
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isRecord(headers)) return result;
  for (const [key, value] of Object.entries(headers)) if (typeof value === 'string') result[key.toLowerCase()] = value;
  return result;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

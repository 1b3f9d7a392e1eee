import type { FailureKind } from '../errors.ts';

/**
 * What the call policy does with a failed attempt. Kept apart from `kind` (whose fault it is): a 429 and a
 * 503 are both retried, but only one of them means the portal's allowance is used up.
 */
export type RetryAction = 'retry' | 'fail' | 'refresh_auth' | 'stop_run';

export interface Resolution {
  readonly action: RetryAction;
  readonly kind: FailureKind;
  /** Stable snake_case code; tests, alerts and the run report match on it. */
  readonly code: string;
  /** Plain words for people: what happened and, where it helps, what to do. Never headers or tokens. */
  readonly reason: string;
  /** How long to wait before the next attempt, when the API says (Retry-After, a rate-limit window). */
  readonly waitMs?: number;
  /** The vendor's own error category or limit policy (`VALIDATION_ERROR`, `DAILY`), or the network code. */
  readonly category?: string;
}

export interface HttpFailureInfo {
  readonly status?: number;
  /** Node / undici error code such as ECONNRESET, when the request never got a response. */
  readonly networkCode?: string;
  /** Response headers, keys lower-cased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  /** The API's own message or the network error's; never includes headers or tokens. */
  readonly message?: string;
}

export type Classifier = (failure: HttpFailureInfo) => Resolution;

/** Belt and braces: a reason must never carry a token, a secret or a key, whatever the API echoed. */
export function scrubReason(resolution: Resolution, secrets: ReadonlySet<string>): Resolution {
  let reason = resolution.reason;
  for (const secret of secrets) if (secret) reason = reason.split(secret).join('[redacted]');
  return reason === resolution.reason ? resolution : { ...resolution, reason };
}

/** Case-insensitive header lookup; HTTP header names are case-insensitive (RFC 9110 §5.1). */
export function header(headers: HttpFailureInfo['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** A header holding a non-negative integer, or undefined when absent or malformed. */
export function numericHeader(headers: HttpFailureInfo['headers'], name: string): number | undefined {
  const raw = header(headers, name)?.trim();
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/**
 * Retry-After as milliseconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). A date in the past means
 * "now"; anything unparseable is ignored so the caller falls back to backoff.
 */
export function retryAfterMs(headers: HttpFailureInfo['headers'], now: number = Date.now()): number | undefined {
  const raw = header(headers, 'retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Connection-level failures worth another attempt: the request may not have reached the server at all. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'NETWORK_ERROR',
]);

export function isTransientNetworkCode(code: string): boolean {
  return TRANSIENT_NETWORK_CODES.has(code);
}

/**
 * Node and undici error codes found on an error or its `cause` chain (fetch wraps the socket error as
 * `TypeError('fetch failed', { cause })`). Messages without a code that still mean "the connection broke"
 * map to NETWORK_ERROR.
 */
export function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    if (current.name === 'TimeoutError') return 'ETIMEDOUT';
    current = current.cause;
  }
  if (error instanceof Error && /^(fetch failed|terminated|socket hang up|network error)$/i.test(error.message))
    return 'NETWORK_ERROR';
  return undefined;
}

/** "fetch failed: socket hang up": the error's message followed by its causes', for people. */
export function messageChain(error: unknown): string | undefined {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current.message && !parts.includes(current.message)) parts.push(current.message);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : undefined;
}

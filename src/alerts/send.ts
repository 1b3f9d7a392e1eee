import { setTimeout as delay } from 'node:timers/promises';
import pRetry, { AbortError } from 'p-retry';
import type { AlertTargets } from '../config/secrets.ts';
import { networkCodeOf, retryAfterMs } from '../http/classify.ts';
import { renderSlack } from './slack.ts';
import type { Alert } from './types.ts';
import { renderWebhook, safeJson } from './webhook.ts';

export type { AlertTargets } from '../config/secrets.ts';

export interface PostRequest {
  readonly url: string;
  readonly body: string;
  readonly timeoutMs: number;
}

export interface PostResponse {
  readonly status: number;
  /** Response headers, keys lower-cased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

/** One HTTP POST of a JSON body; throws only when no response arrived (network, timeout). */
export type PostFn = (request: PostRequest) => Promise<PostResponse>;

export type DeliveryTarget = 'slack_owner' | 'slack_channel' | 'webhook';

/** What happened to one alert at one destination. `message` never contains the URL. */
export interface Delivery {
  readonly alert: Alert;
  readonly target: DeliveryTarget;
  /** For `slack_owner`: whose webhook. */
  readonly ownerId?: string;
  readonly ok: boolean;
  /** The last HTTP status, when a response arrived. */
  readonly status?: number;
  readonly attempts: number;
  /** Failures only: what went wrong, in words safe to log. */
  readonly message?: string;
}

export interface SendAlertsResult {
  readonly deliveries: readonly Delivery[];
  readonly failures: readonly Delivery[];
}

export interface SendAlertsOptions extends AlertTargets {
  /** The transport; fetch by default. */
  readonly post?: PostFn;
  /** Per attempt; 10 s by default. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt for 429, 5xx, timeouts and network errors; 3 by default. */
  readonly retries?: number;
  /** First backoff step when the receiver names no Retry-After; 1 s by default, doubling. */
  readonly minBackoffMs?: number;
  /** Ceiling for any wait, Retry-After included; 30 s by default. */
  readonly maxWaitMs?: number;
  /** Tests may record waits instead of taking them. */
  readonly sleep?: (ms: number) => Promise<void>;
}

interface Settings {
  readonly post: PostFn;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly minBackoffMs: number;
  readonly maxWaitMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** One failed attempt, described without the URL. */
class AttemptError extends Error {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly waitMs: number | undefined;
  constructor(
    message: string,
    facts: { readonly status?: number; readonly retryable: boolean; readonly waitMs?: number },
  ) {
    super(message);
    this.name = 'AttemptError';
    this.status = facts.status;
    this.retryable = facts.retryable;
    this.waitMs = facts.waitMs;
  }
}

/** POST with fetch and a per-attempt timeout; the body is read (up to a few hundred characters) for Slack's error code. */
export const fetchPost: PostFn = async (request) => {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: request.body,
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  const body = (await response.text()).slice(0, 500);
  return { status: response.status, headers, body };
};

interface Route {
  readonly target: DeliveryTarget;
  readonly url: string;
  readonly ownerId?: string;
  readonly body: string;
}

/**
 * Where an alert goes: an opportunity alert whose owner has their own Slack webhook goes there, every
 * other alert to the channel; the generic webhook, when configured, receives every alert.
 */
export function routesFor(alert: Alert, targets: AlertTargets): Route[] {
  const routes: Route[] = [];
  if (targets.slack) {
    const owners = targets.slack.ownerUrls;
    const ownerUrl =
      alert.kind === 'opportunity' && alert.ownerId !== undefined && Object.hasOwn(owners, alert.ownerId)
        ? owners[alert.ownerId]
        : undefined;
    const body = safeJson(renderSlack(alert));
    if (ownerUrl !== undefined && alert.ownerId !== undefined)
      routes.push({ target: 'slack_owner', url: ownerUrl, ownerId: alert.ownerId, body });
    else routes.push({ target: 'slack_channel', url: targets.slack.channelUrl, body });
  }
  if (targets.webhookUrl !== undefined)
    routes.push({ target: 'webhook', url: targets.webhookUrl, body: safeJson(renderWebhook(alert)) });
  return routes;
}

/**
 * Posts every alert to its destinations, one at a time (Slack allows about one message a second per
 * webhook). 429 and 5xx responses, timeouts and network errors are retried, waiting as long as Retry-After
 * says; what still fails is returned, never thrown, with a message that never contains the URL.
 */
export async function sendAlerts(alerts: readonly Alert[], options: SendAlertsOptions): Promise<SendAlertsResult> {
  const settings: Settings = {
    post: options.post ?? fetchPost,
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 3,
    minBackoffMs: options.minBackoffMs ?? 1_000,
    maxWaitMs: options.maxWaitMs ?? 30_000,
    sleep: options.sleep ?? ((ms) => delay(ms)),
  };
  const deliveries: Delivery[] = [];
  for (const alert of alerts) {
    for (const route of routesFor(alert, options)) deliveries.push(await deliver(alert, route, settings));
  }
  return { deliveries, failures: deliveries.filter((d) => !d.ok) };
}

function targetName(route: Route): string {
  if (route.target === 'slack_owner') return `Slack webhook of owner ${route.ownerId ?? ''}`;
  return route.target === 'slack_channel' ? 'Slack channel webhook' : 'alert webhook';
}

async function deliver(alert: Alert, route: Route, settings: Settings): Promise<Delivery> {
  const base = { alert, target: route.target, ...(route.ownerId === undefined ? {} : { ownerId: route.ownerId }) };
  if (!isHttpUrl(route.url))
    return {
      ...base,
      ok: false,
      attempts: 0,
      message: `${targetName(route)}: the configured URL is not a valid http(s) URL (check its environment variable)`,
    };
  let attempts = 0;
  const attempt = async (): Promise<PostResponse> => {
    attempts += 1;
    try {
      return await attemptOnce(route, settings);
    } catch (error) {
      throw await afterFailure(error, attempts, settings);
    }
  };
  try {
    const response = await pRetry(attempt, { retries: settings.retries, minTimeout: 0, maxTimeout: 0 });
    return { ...base, ok: true, status: response.status, attempts };
  } catch (error) {
    const failed = error instanceof AttemptError ? error : new AttemptError('unexpected error', { retryable: false });
    const gaveUp = attempts > 1 ? `; gave up after ${attempts} attempts` : '';
    const message = scrub(`${targetName(route)}: ${failed.message}${gaveUp}`, route.url);
    return { ...base, ok: false, ...(failed.status === undefined ? {} : { status: failed.status }), attempts, message };
  }
}

async function attemptOnce(route: Route, settings: Settings): Promise<PostResponse> {
  let response: PostResponse;
  try {
    response = await settings.post({ url: route.url, body: route.body, timeoutMs: settings.timeoutMs });
  } catch (error) {
    const code = networkCodeOf(error);
    const what =
      code === 'ETIMEDOUT'
        ? `no response within ${Math.round(settings.timeoutMs / 100) / 10} s`
        : `network error${code ? ` (${code})` : ''}`;
    throw new AttemptError(what, { retryable: true });
  }
  if (response.status >= 200 && response.status < 300) return response;
  const retryable = response.status === 429 || response.status >= 500;
  const wait = retryAfterMs(response.headers);
  throw new AttemptError(`HTTP ${response.status}${errorCode(response.body)}`, {
    status: response.status,
    retryable,
    ...(wait === undefined ? {} : { waitMs: wait }),
  });
}

/** Waits before the next attempt, or ends the loop: p-retry's own delay is off so the wait is the receiver's. */
async function afterFailure(error: unknown, attempt: number, settings: Settings): Promise<Error> {
  const failed = error instanceof AttemptError ? error : new AttemptError('unexpected error', { retryable: false });
  if (!failed.retryable || attempt > settings.retries) return new AbortError(failed);
  const backoff = settings.minBackoffMs * 2 ** (attempt - 1);
  await settings.sleep(Math.min(failed.waitMs ?? backoff, settings.maxWaitMs));
  return failed;
}

/** Slack answers errors with a bare code (`no_service`, `invalid_payload`); anything else is not repeated. */
function errorCode(body: string): string {
  const trimmed = body.trim();
  return /^[a-z][a-z0-9_]{1,40}$/.test(trimmed) ? ` (${trimmed})` : '';
}

function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Belt and braces: the URL, its path and its host never reach a message, whatever a receiver echoed. */
function scrub(message: string, url: string): string {
  let out = message.split(url).join('[webhook URL]');
  try {
    const { pathname, host } = new URL(url);
    if (pathname.length > 1) out = out.split(pathname).join('[webhook path]');
    if (host) out = out.split(host).join('[webhook host]');
  } catch {
    // not a URL: nothing more to scrub
  }
  return out;
}

import { clipMessage } from '../clip.ts';
import {
  isTransientNetworkCode,
  retryAfterMs,
  type Classifier,
  type HttpFailureInfo,
  type Resolution,
} from './classify.ts';

export interface DefaultClassifierOptions {
  /** Prefix of every code, e.g. `hubspot` gives `hubspot_server_error`. */
  readonly system: string;
  /** The system's name as people write it, for reasons: `HubSpot`. */
  readonly label: string;
  /** Clock for Retry-After dates; tests pin it. */
  readonly now?: number;
}

/**
 * The status-class rules every HTTP API shares (RFC 9110 semantics). Connector classifiers handle their
 * vendor's bodies and categories first and fall back to this for everything else. Reasons leave out the
 * status and category: the call policy puts those in every message itself.
 */
export function classifyHttpDefault(failure: HttpFailureInfo, options: DefaultClassifierOptions): Resolution {
  const { system, label } = options;
  const said = failure.message ? `: ${clipMessage(failure.message)}` : '';
  const { status, networkCode } = failure;
  if (status === undefined) {
    if (networkCode === undefined)
      return fail('system', `${system}_unexpected_error`, `the ${label} call failed before a response arrived${said}`);
    return classifyNetwork(networkCode, { system, label, said });
  }
  const wait = retryAfterMs(failure.headers, options.now);
  const withWait = wait === undefined ? {} : { waitMs: wait };
  if (status === 408)
    return {
      action: 'retry',
      kind: 'transient',
      code: `${system}_timeout`,
      reason: `${label} timed out waiting for the request${said}`,
      ...withWait,
    };
  if (status === 429)
    return {
      action: 'retry',
      kind: 'rate_limited',
      code: `${system}_rate_limited`,
      reason: `${label} is rate limiting requests${said}`,
      ...withWait,
    };
  if (status >= 500)
    return {
      action: 'retry',
      kind: 'transient',
      code: `${system}_server_error`,
      reason: `${label} had a server error${said}`,
      ...withWait,
    };
  if (status === 401) return fail('auth', `${system}_unauthorized`, `${label} did not accept the credentials${said}`);
  if (status === 403) return fail('auth', `${system}_forbidden`, `${label} refused access${said}`);
  if (status === 404) return fail('data', `${system}_not_found`, `${label} has no such record or endpoint${said}`);
  if (status === 409) return fail('data', `${system}_conflict`, `${label} reported a conflict${said}`);
  if (status === 400) return fail('data', `${system}_bad_request`, `${label} rejected the request${said}`);
  if (status >= 400) return fail('data', `${system}_request_rejected`, `${label} rejected the request${said}`);
  return fail(
    'system',
    `${system}_unexpected_status`,
    `${label} answered with a status the client did not expect${said}`,
  );
}

function classifyNetwork(code: string, context: { system: string; label: string; said: string }): Resolution {
  const { system, label, said } = context;
  if (isTransientNetworkCode(code)) {
    return {
      action: 'retry',
      kind: 'transient',
      code: `${system}_network_error`,
      reason: `the connection to ${label} failed${said}`,
      category: code,
    };
  }
  if (code === 'ENOTFOUND') {
    return {
      ...fail(
        'config',
        `${system}_unreachable`,
        `cannot resolve the ${label} host${said}; check the configured base URL`,
      ),
      category: code,
    };
  }
  return {
    ...fail('system', `${system}_connection_failed`, `the connection to ${label} failed${said}`),
    category: code,
  };
}

function fail(kind: Resolution['kind'], code: string, reason: string): Resolution {
  return { action: 'fail', kind, code, reason };
}

/**
 * Failures before a connection was made: nothing was sent, and the host is absent (DNS), refusing
 * (nothing listens on the port) or unreachable. A host that was never reachable does not become
 * reachable within a backoff; one that answered before and now refuses is restarting.
 */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function isConnectFailure(code: string | undefined): boolean {
  return code !== undefined && CONNECT_FAILURES.has(code);
}

export interface Reachability {
  /** The classifier to give the call policy: the system's own, failing fast while the host never answered. */
  readonly classify: Classifier;
  /** Call on every response that arrived (any status): from then on a refused connection is retried. */
  answered(): void;
}

/**
 * Fail fast on a host that cannot be reached at all. Until the first response arrives, a connection
 * refused, a DNS failure or a connect timeout fails the call at once, naming the host, instead of spending
 * the retries' backoff (minutes) on a wrong URL or a host that is down. Once the host has answered, the
 * system's own classifier decides again: a connection that resets mid-run is retried with backoff.
 */
export function createReachability(options: {
  readonly classify: Classifier;
  /** The host as configured, without credentials or path: `api.hubapi.com`, `127.0.0.1:4010`. */
  readonly host: string;
  readonly system: string;
  readonly label: string;
}): Reachability {
  let reached = false;
  return {
    answered: () => {
      reached = true;
    },
    classify: (failure) => {
      if (failure.status !== undefined) reached = true;
      if (reached || !isConnectFailure(failure.networkCode)) return options.classify(failure);
      return unreachable(failure.networkCode ?? '', options);
    },
  };
}

function unreachable(
  code: string,
  options: { readonly host: string; readonly system: string; readonly label: string },
): Resolution {
  const { host, system, label } = options;
  const what =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? `the host name ${host} does not resolve (DNS)`
      : code === 'ECONNREFUSED'
        ? `${host} refused the connection (nothing listens there)`
        : code === 'UND_ERR_CONNECT_TIMEOUT'
          ? `${host} did not answer the connection attempt`
          : `${host} cannot be reached from this machine`;
  return {
    action: 'fail',
    kind: 'system',
    code: `${system}_unreachable`,
    reason: `cannot reach ${label}: ${what}; check the configured URL and that the host is up and reachable from here`,
    category: code,
  };
}

/** `host:port` of a URL for messages, without credentials, path or query; the text itself when it is no URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/[/?#].*$/, '')
      .replace(/^.*@/, '');
  }
}

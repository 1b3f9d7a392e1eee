import { isTransientNetworkCode, retryAfterMs, type HttpFailureInfo, type Resolution } from './classify.ts';

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
  const said = failure.message ? `: ${failure.message}` : '';
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

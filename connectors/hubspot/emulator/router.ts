import type { FaultRegistry } from './faults.ts';
import type { Reply } from './http.ts';
import type { AuthState } from './server.ts';
import type { PortalState } from './state.ts';

export interface RouteContext {
  readonly state: PortalState;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly faults: FaultRegistry;
  readonly auth: AuthState;
}

export type Handler = (context: RouteContext) => Reply | Promise<Reply>;

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path template with `{param}` segments, such as `/crm/v3/objects/{type}/batch/upsert`. */
  readonly template: string;
  /** The call changes data; counted by `requests.writes()`. */
  readonly write: boolean;
  /** Search has its own rate limit and no rate-limit headers. */
  readonly search?: boolean;
  /** Authenticated by the body, not a bearer token, and not rate limited (the token-info call). */
  readonly public?: boolean;
  readonly handler: Handler;
}

export interface Route extends RouteDefinition {
  /** `METHOD template`, as the request log names it. */
  readonly name: string;
  readonly pattern: RegExp;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

export function compileRoutes(definitions: readonly RouteDefinition[]): Route[] {
  return definitions.map((d) => {
    const source = d.template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
    return { ...d, name: `${d.method} ${d.template}`, pattern: new RegExp(`^${source}$`) };
  });
}

/** Trailing slashes are ignored (the SDK's owners API calls `/crm/v3/owners/`). */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch | undefined {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(normalized);
    if (!found) continue;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(found.groups ?? {})) params[key] = decodeURIComponent(value);
    return { route, params };
  }
  return undefined;
}

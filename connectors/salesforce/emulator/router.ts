import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './http.ts';
import type { OrgState } from './state.ts';

export interface RouteContext {
  readonly state: OrgState;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
  /** `62.0` for `/services/data/v62.0/...`; empty outside the versioned REST tree. */
  readonly version: string;
}

export type Handler = (context: RouteContext) => Reply | Promise<Reply>;

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path template with `{param}` segments, relative to `/services/data/vNN.0` unless `root`. */
  readonly template: string;
  /** The call changes data; counted by `requests.writes()`. */
  readonly write: boolean;
  /** Served outside `/services/data/vNN.0` (OAuth, the version list). */
  readonly root?: boolean;
  /** Needs no session and does not count against the daily allocation (the token endpoint). */
  readonly public?: boolean;
  /** Needs a session but is not counted against the daily allocation (the identity URL). */
  readonly unmetered?: boolean;
  /** Form-encoded body instead of JSON. */
  readonly form?: boolean;
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

/** First matching route wins, so literal segments (`describe`) are listed before `{id}`. */
export function matchRoute(routes: readonly Route[], method: string, path: string, root: boolean): RouteMatch | undefined {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const route of routes) {
    if (route.method !== method || (route.root === true) !== root) continue;
    const found = route.pattern.exec(normalized);
    if (!found) continue;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(found.groups ?? {})) params[key] = decodeURIComponent(value);
    return { route, params };
  }
  return undefined;
}

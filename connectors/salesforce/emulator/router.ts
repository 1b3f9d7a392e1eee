import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledRoute, RouteDefinitionBase, RouteMatch as KitRouteMatch } from '../../emulator-kit/routes.ts';
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

/**
 * Templates are relative to `/services/data/vNN.0` unless `root`. `public` routes need no session and do not
 * count against the daily allocation (the token endpoint).
 */
export interface RouteDefinition extends RouteDefinitionBase<RouteContext> {
  /** Served outside `/services/data/vNN.0` (OAuth, the version list). */
  readonly root?: boolean;
  /** Needs a session but is not counted against the daily allocation (the identity URL). */
  readonly unmetered?: boolean;
  /** Form-encoded body instead of JSON. */
  readonly form?: boolean;
  /** The body is handed over as text, unparsed (Bulk API 2.0 job data is CSV). */
  readonly text?: boolean;
}

export type Route = CompiledRoute<RouteDefinition>;
export type RouteMatch = KitRouteMatch<RouteDefinition>;

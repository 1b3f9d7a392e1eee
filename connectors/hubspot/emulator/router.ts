import type { CompiledRoute, RouteDefinitionBase, RouteMatch as KitRouteMatch } from '../../emulator-kit/routes.ts';
import type { FaultRegistry } from './faults.ts';
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

/** `public` routes are authenticated by the body, not a bearer token, and not rate limited (the token-info call). */
export interface RouteDefinition extends RouteDefinitionBase<RouteContext> {
  /** Search has its own rate limit and no rate-limit headers. */
  readonly search?: boolean;
}

export type Route = CompiledRoute<RouteDefinition>;
export type RouteMatch = KitRouteMatch<RouteDefinition>;

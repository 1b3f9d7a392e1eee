import type { Reply } from './http-io.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What every route declares; `Context` is the vendor's handler input, and vendors add their own flags. */
export interface RouteDefinitionBase<Context> {
  readonly method: HttpMethod;
  /** Path template with `{param}` segments, such as `/crm/v3/objects/{type}/batch/upsert`. */
  readonly template: string;
  /** The call changes data; counted by `requests.writes()`. */
  readonly write: boolean;
  /** Needs no credentials and is not metered (token endpoints). */
  readonly public?: boolean;
  readonly handler: (context: Context) => Reply | Promise<Reply>;
}

/** A definition with its log name (`METHOD template`) and the pattern its template compiles to. */
export type CompiledRoute<Definition> = Definition & { readonly name: string; readonly pattern: RegExp };

export interface RouteMatch<Definition> {
  readonly route: CompiledRoute<Definition>;
  readonly params: Record<string, string>;
}

type Template = { readonly method: HttpMethod; readonly template: string };

export function compileRoutes<Definition extends Template>(
  definitions: readonly Definition[],
): Array<CompiledRoute<Definition>> {
  return definitions.map((d) => {
    const source = d.template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
    return { ...d, name: `${d.method} ${d.template}`, pattern: new RegExp(`^${source}$`) };
  });
}

/**
 * The first route of the method whose pattern matches wins, so literal segments (`describe`, `batch`) are
 * listed before `{id}`. Trailing slashes are ignored (HubSpot's SDK calls `/crm/v3/owners/`). `accepts`
 * narrows the candidates (Salesforce keeps its unversioned routes apart).
 */
export function matchRoute<Definition extends Template>(
  routes: ReadonlyArray<CompiledRoute<Definition>>,
  method: string,
  path: string,
  accepts: (route: Definition) => boolean = () => true,
): RouteMatch<Definition> | undefined {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const route of routes) {
    if (route.method !== method || !accepts(route)) continue;
    const found = route.pattern.exec(normalized);
    if (!found) continue;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(found.groups ?? {})) params[key] = decodeURIComponent(value);
    return { route, params };
  }
  return undefined;
}

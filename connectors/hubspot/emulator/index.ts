import { randomUUID } from 'node:crypto';
import { listen } from '../../emulator-kit/listen.ts';
import { RequestLog } from '../../emulator-kit/request-log.ts';
import { compileRoutes } from '../../emulator-kit/routes.ts';
import { REQUIRED_SCOPES } from '../scopes.ts';
import { ASSOCIATION_ROUTES } from './association-routes.ts';
import { BATCH_ROUTES } from './batch-routes.ts';
import { FaultRegistry } from './faults.ts';
import { OBJECT_ROUTES } from './object-routes.ts';
import { RateLimiter, type LimitControls } from './rate-limits.ts';
import { SCHEMA_ROUTES } from './schema-routes.ts';
import { SEARCH_ROUTES } from './search.ts';
import { applySeed, associate, seedType } from './seed.ts';
import { handleRequest, type AuthState } from './server.ts';
import { createPortalState, liveTargets } from './state.ts';
import { toRecord } from './store.ts';
import type { EmulatorRecord, FaultControls, HubspotEmulatorOptions, RequestCounters, RequestRecord } from './types.ts';

export type { LimitControls } from './rate-limits.ts';
export type { FaultHandle, FaultStep } from '../../emulator-kit/fault-rules.ts';
export type * from './types.ts';

/**
 * A local HubSpot CRM API (the `/crm/v3` and `/crm/v4` subset the connector uses), served over node:http
 * so the real `@hubspot/api-client` talks to it: `new Client({ accessToken: emulator.token, basePath: emulator.url })`.
 * Each route cites the HubSpot documentation of the behaviour it reproduces.
 */
export interface HubspotEmulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The private-app token the emulator accepts. */
  readonly token: string;
  readonly portalId: number;
  readonly faults: FaultControls;
  readonly requests: RequestCounters;
  readonly limits: LimitControls;
  /** A record by id, as stored (every property); archived records only with `{ archived: true }`. */
  getObject(type: string, id: string, options?: { readonly archived?: boolean }): EmulatorRecord | undefined;
  listObjects(type: string, options?: { readonly archived?: boolean }): EmulatorRecord[];
  /** Creates a record as a person would in the UI, with optional associations; throws what the API would refuse. */
  createObject(
    type: string,
    properties: Readonly<Record<string, string>>,
    associations?: ReadonlyArray<{ readonly toType: string; readonly toId: string; readonly typeId?: number }>,
  ): EmulatorRecord;
  /** Edits a record as a person would in the UI: validated, and `hs_lastmodifieddate` moves when a value changes. */
  updateProperties(type: string, id: string, properties: Readonly<Record<string, string>>): EmulatorRecord;
  /** Schema drift: the property definition and its values disappear, even a HubSpot-defined one. */
  deleteProperty(type: string, name: string): void;
  /** Ids of live records associated with a record, in the order the associations were made. */
  associationsOf(fromType: string, id: string, toType: string): string[];
  /** Associates two records both ways; the pair's default type unless `typeId` is given. */
  associate(link: {
    readonly fromType: string;
    readonly fromId: string;
    readonly toType: string;
    readonly toId: string;
    readonly typeId?: number;
  }): void;
  /** Write calls received so far (same as `requests.writes()`). */
  writes(): number;
  /** The current token answers 401 EXPIRED_AUTHENTICATION until `setToken`. */
  expireToken(): void;
  setToken(token: string): void;
  stop(): Promise<void>;
}

const DEFAULT_PORTAL_ID = 14_650_001;

export async function startHubspotEmulator(options: HubspotEmulatorOptions = {}): Promise<HubspotEmulator> {
  const now = options.now ?? Date.now;
  const portalId = options.portalId ?? DEFAULT_PORTAL_ID;
  const state = createPortalState({ now, portalId });
  if (options.seed) applySeed(state, options.seed);
  const auth: AuthState = {
    token: options.token ?? `pat-na1-${randomUUID()}`,
    scopes: options.scopes ?? REQUIRED_SCOPES,
  };
  const faults = new FaultRegistry({ latencyMs: options.latencyMs ?? 0, onExpire: () => (auth.expiredAt = now()) });
  const limiter = new RateLimiter({ tier: options.tier ?? 'professional', limits: options.limits, now, portalId });
  const requests = new RequestLog<RequestRecord>();
  const routes = compileRoutes([
    ...SEARCH_ROUTES,
    ...BATCH_ROUTES,
    ...OBJECT_ROUTES,
    ...ASSOCIATION_ROUTES,
    ...SCHEMA_ROUTES,
  ]);
  const deps = { state, routes, faults, limiter, requests, auth };
  const server = await listen((req, res) => handleRequest(deps, req, res), options);
  state.baseUrl = server.url;
  const fail = (message: string): never => {
    throw new Error(`HubSpot emulator: ${message}`);
  };

  return {
    url: state.baseUrl,
    get token() {
      return auth.token;
    },
    portalId,
    faults,
    requests,
    limits: limiter.controls(() => auth.token),
    getObject: (type, id, opts = {}) => {
      const object = state.objects.get(seedType(type), id, opts.archived === true);
      return object ? toRecord(object) : undefined;
    },
    listObjects: (type, opts = {}) => state.objects.all(seedType(type), opts.archived === true).map(toRecord),
    createObject: (type, properties, associations = []) => {
      const result = state.objects.create(seedType(type), properties);
      if (!result.ok) return fail(result.error.message);
      for (const link of associations) associate(state, { fromType: type, fromId: result.object.id, ...link });
      return toRecord(result.object);
    },
    updateProperties: (type, id, properties) => {
      const object = state.objects.get(seedType(type), id) ?? fail(`no ${type} record ${id}`);
      const result = state.objects.update(seedType(type), object, properties);
      return result.ok ? toRecord(result.object) : fail(result.error.message);
    },
    deleteProperty: (type, name) => {
      state.schema.remove(seedType(type), name, { force: true });
      state.objects.dropProperty(seedType(type), name);
    },
    associationsOf: (fromType, id, toType) => liveTargets(state, seedType(fromType), id, seedType(toType)),
    associate: (link) => associate(state, link),
    writes: () => requests.writes(),
    expireToken: () => faults.expireToken(),
    setToken: (token) => {
      auth.token = token;
      auth.expiredAt = undefined;
    },
    stop: server.stop,
  };
}

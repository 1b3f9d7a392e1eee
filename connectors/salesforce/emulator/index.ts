import { createPublicKey, randomBytes } from 'node:crypto';
import { listen } from '../../emulator-kit/listen.ts';
import { RequestLog } from '../../emulator-kit/request-log.ts';
import { compileRoutes } from '../../emulator-kit/routes.ts';
import { BULK_INGEST_ROUTES } from './bulk-ingest-routes.ts';
import { BULK_QUERY_ROUTES } from './bulk-query-routes.ts';
import { COLLECTION_ROUTES } from './collection-routes.ts';
import { FaultRegistry } from './faults.ts';
import { makeId } from './ids.ts';
import { OAUTH_ROUTES } from './oauth.ts';
import { QUERY_ROUTES } from './query-routes.ts';
import { applySeed, seedRecord } from './seed.ts';
import { handleRequest } from './server.ts';
import { SOBJECT_ROUTES } from './sobject-routes.ts';
import { createOrgState } from './state.ts';
import { TOOLING_ROUTES } from './tooling-routes.ts';
import type {
  EmulatorRecord,
  FaultControls,
  FieldChanges,
  FieldInput,
  RequestCounters,
  RequestRecord,
  SalesforceEmulatorOptions,
  SeedRecord,
} from './types.ts';

export type { FaultHandle, FaultStep } from '../../emulator-kit/fault-rules.ts';
export type * from './types.ts';

/**
 * A local Salesforce org (the REST subset the connector uses: OAuth token, query, describe, sObject rows,
 * sObject Collections, Bulk API 2.0 ingest and query jobs, limits, Tooling CustomField), served over node:http so the real jsforce talks to it:
 * `new Connection({ loginUrl: emulator.url, version: '62.0', oauth2: { loginUrl: emulator.url, clientId, clientSecret } })`.
 */
export interface SalesforceEmulator {
  /** Base URL without a trailing slash: the login URL (token endpoint) and the instance URL. */
  readonly url: string;
  /** The JWT audience the org accepts (`https://login.salesforce.com` unless configured). */
  readonly loginUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly orgId: string;
  readonly faults: FaultControls;
  readonly requests: RequestCounters;
  /** Every record of an object, as stored (datetimes ISO with `Z`). */
  listRecords(object: string): EmulatorRecord[];
  getRecord(object: string, id: string): EmulatorRecord | undefined;
  /** Creates a record as a person would in the UI; throws what the API would refuse. Returns the id. */
  createRecord(object: string, fields: SeedRecord): string;
  /** Edits a record as an AE would: validated, LastModifiedDate and SystemModstamp move to the emulator clock. */
  updateRecord(object: string, id: string, fields: SeedRecord): EmulatorRecord;
  /** Adds a (custom) field to the schema; describe and SOQL see it at once. */
  addField(object: string, field: FieldInput): void;
  /** Deletes a custom field: describe and SOQL stop seeing it (SOQL naming it fails INVALID_FIELD), and its stored values go with it. */
  deleteField(object: string, name: string): void;
  /**
   * Changes a field's definition as an admin would in Setup: retype it (`{type: 'picklist', picklistValues}`),
   * change its length (`{length: 40}`), picklist values, or field-level security (`{updateable: false}`).
   * Stored values are converted: text cut to a shorter length, values the new type cannot hold cleared.
   */
  updateField(object: string, name: string, changes: FieldChanges): void;
  /** Every current access token answers 401 INVALID_SESSION_ID; new tokens work. */
  expireSessions(): void;
  /** API calls counted today, as `Sforce-Limit-Info` and `/limits` report them. */
  dailyUsage(): { readonly used: number; readonly max: number };
  setDailyUsage(used: number): void;
  setDailyMax(max: number): void;
  /** Write calls received so far (same as `requests.writes()`). */
  writes(): number;
  /** Clears the request log and every fault rule. */
  reset(): void;
  stop(): Promise<void>;
}

/** The id the n-th (0-based) user of `seed.users` gets, for seeds whose records name an owner. */
export function seededUserId(index: number): string {
  return makeId('005', index + 1);
}

/** A fixed org id, so ids in tests and fixtures are stable. */
const DEFAULT_ORG_ID = '00DHs000000EmuLAT1';

export async function startSalesforceEmulator(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  const now = options.now ?? Date.now;
  const faults = new FaultRegistry(options.latencyMs ?? 0);
  const state = createOrgState({
    now,
    orgId: options.orgId ?? DEFAULT_ORG_ID,
    faults,
    clientId: options.clientId ?? `3MVG9${randomBytes(30).toString('base64url')}`,
    clientSecret: options.clientSecret ?? randomBytes(32).toString('hex').toUpperCase(),
    loginUrl: options.loginUrl ?? 'https://login.salesforce.com',
    jwtKey: options.jwtPublicKey === undefined ? undefined : createPublicKey(options.jwtPublicKey),
    runAsUsername: options.runAsUsername,
    dailyMax: options.dailyApiMax ?? 15_000,
  });
  applySeed(state, options.seed ?? {});
  const requests = new RequestLog<RequestRecord>();
  const routes = compileRoutes([
    ...OAUTH_ROUTES,
    ...QUERY_ROUTES,
    ...COLLECTION_ROUTES,
    ...BULK_INGEST_ROUTES,
    ...BULK_QUERY_ROUTES,
    ...TOOLING_ROUTES,
    ...SOBJECT_ROUTES,
  ]);
  const server = await listen((req, res) => handleRequest({ state, routes, requests }, req, res), options);
  state.baseUrl = server.url;
  const fail = (message: string): never => {
    throw new Error(`Salesforce emulator: ${message}`);
  };
  const view = (object: string, id: string): EmulatorRecord | undefined => {
    const record = state.store.get(object, id);
    return record ? { ...record } : undefined;
  };

  return {
    url: state.baseUrl,
    loginUrl: state.loginUrl,
    clientId: state.clientId,
    clientSecret: state.clientSecret,
    orgId: state.orgId,
    faults,
    requests,
    listRecords: (object) => state.store.list(object).map((r) => ({ ...r })),
    getRecord: view,
    createRecord: (object, fields) => seedRecord(state, object, fields),
    updateRecord: (object, id, fields) => {
      const result = state.store.update(object, id, fields);
      if (!result.ok) return fail(result.errors.map((e) => `${e.statusCode} ${e.message}`).join('; '));
      return view(object, result.id) ?? fail(`no ${object} record ${id}`);
    },
    addField: (object, field) => {
      state.schema.addField(object, field);
      state.store.addColumn(object, field.name);
    },
    deleteField: (object, name) => {
      const def = state.schema.deleteField(object, name);
      state.store.dropColumn(object, def.name);
    },
    updateField: (object, name, changes) => {
      const { after } = state.schema.updateField(object, name, changes);
      state.store.convertColumn(object, after);
    },
    expireSessions: () => state.sessions.clear(),
    dailyUsage: () => ({ ...state.usage }),
    setDailyUsage: (used) => (state.usage.used = used),
    setDailyMax: (max) => (state.usage.max = max),
    writes: () => requests.writes(),
    reset: () => {
      requests.reset();
      faults.clear();
    },
    stop: server.stop,
  };
}

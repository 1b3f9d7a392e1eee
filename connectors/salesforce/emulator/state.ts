import type { KeyObject } from 'node:crypto';
import type { BulkJob } from './bulk-jobs.ts';
import type { FaultRegistry } from './faults.ts';
import { SchemaStore } from './schema.ts';
import { RecordStore } from './store.ts';

export interface Session {
  readonly userId: string;
  readonly issuedAt: number;
}

/** A query cursor: the full result, served a batch at a time through `/query/{id}-{offset}`. */
export interface QueryCursor {
  readonly records: ReadonlyArray<Record<string, unknown>>;
  readonly batchSize: number;
}

/** Everything an org holds; shared by the HTTP handlers and the test-side helpers. */
export interface OrgState {
  readonly now: () => number;
  readonly orgId: string;
  readonly schema: SchemaStore;
  readonly store: RecordStore;
  readonly faults: FaultRegistry;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly loginUrl: string;
  jwtKey: KeyObject | undefined;
  runAsUsername: string | undefined;
  readonly sessions: Map<string, Session>;
  readonly usage: { used: number; max: number };
  readonly cursors: Map<string, QueryCursor>;
  /** Bulk API 2.0 ingest and query jobs by id (`750…`). */
  readonly bulkJobs: Map<string, BulkJob>;
  readonly counters: { cursor: number; customField: number; bulkJob: number };
  baseUrl: string;
}

export function createOrgState(
  options: Pick<
    OrgState,
    'now' | 'orgId' | 'faults' | 'clientId' | 'clientSecret' | 'loginUrl' | 'jwtKey' | 'runAsUsername'
  > & { readonly dailyMax: number },
): OrgState {
  const schema = new SchemaStore();
  const store = new RecordStore({ schema, now: options.now });
  return {
    ...options,
    schema,
    store,
    sessions: new Map(),
    usage: { used: 0, max: options.dailyMax },
    cursors: new Map(),
    bulkJobs: new Map(),
    counters: { cursor: 0, customField: 0, bulkJob: 0 },
    baseUrl: '',
  };
}

/** The versions `GET /services/data` lists (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_versions.htm). */
export const MIN_VERSION = 31;
export const MAX_VERSION = 65;

/** Any `vNN.0` from 31.0 up is served, so a client pinned to a newer release than the list still works. */
export function supportedVersion(version: string): boolean {
  const match = /^(\d+)\.0$/.exec(version);
  return match !== null && Number(match[1]) >= MIN_VERSION;
}

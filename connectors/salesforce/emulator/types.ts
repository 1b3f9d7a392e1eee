/** Public shapes of the Salesforce emulator's options, seed, schema input and test-side controls. */

/** Field types as describe reports them (https://developer.salesforce.com/docs/platform/api-rest/guide/dome-sobject-describe). */
export type SalesforceFieldType =
  | 'id' | 'string' | 'textarea' | 'picklist' | 'multipicklist' | 'reference' | 'double' | 'currency' | 'percent' | 'int'
  | 'boolean' | 'date' | 'datetime' | 'email' | 'url' | 'phone' | 'base64';

export interface PicklistValue {
  readonly value: string;
  readonly label?: string;
  readonly active?: boolean;
  readonly defaultValue?: boolean;
}

/** A field definition: what `addField` takes and the seeded standard fields are written in. */
export interface FieldInput {
  readonly name: string;
  readonly label?: string;
  readonly type: SalesforceFieldType;
  /** Characters for text types; 0 for others. */
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  /** `false` makes the field required on create unless `defaultedOnCreate`. */
  readonly nillable?: boolean;
  readonly createable?: boolean;
  readonly updateable?: boolean;
  readonly externalId?: boolean;
  readonly unique?: boolean;
  readonly defaultedOnCreate?: boolean;
  /** Usable as the key of a single-record upsert; Id and Name-like unique fields. */
  readonly idLookup?: boolean;
  readonly picklistValues?: readonly PicklistValue[];
  readonly restrictedPicklist?: boolean;
  readonly referenceTo?: readonly string[];
  readonly relationshipName?: string;
}

/** Seed records: field API names to API values (dates `YYYY-MM-DD`, datetimes ISO, numbers, booleans). */
export type SeedRecord = Readonly<Record<string, unknown>>;

export interface SalesforceSeed {
  readonly users?: readonly SeedRecord[];
  readonly accounts?: readonly SeedRecord[];
  readonly opportunities?: readonly SeedRecord[];
  readonly tasks?: readonly SeedRecord[];
  readonly notes?: readonly SeedRecord[];
  readonly links?: readonly SeedRecord[];
  /** Custom fields per object, added before any record. */
  readonly fields?: Readonly<Record<string, readonly FieldInput[]>>;
}

export interface SalesforceEmulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The connected app's consumer key and secret; random ones when omitted. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** PEM public key or X.509 certificate that verifies JWT bearer assertions; JWT is refused without one. */
  readonly jwtPublicKey?: string;
  /** The JWT `aud` the org accepts; `https://login.salesforce.com` by default. */
  readonly loginUrl?: string;
  /** The username client-credentials tokens run as (the app's "Run As" user); the first user by default. */
  readonly runAsUsername?: string;
  /** The clock, in epoch ms, for timestamps, token expiry and SOQL date literals. */
  readonly now?: () => number;
  /** Latency added to every response, in ms. */
  readonly latencyMs?: number;
  /** `DailyApiRequests.Max`; 15,000 by default. */
  readonly dailyApiMax?: number;
  readonly seed?: SalesforceSeed;
  /** The 18-character org id (`00D…`); a fixed one by default. */
  readonly orgId?: string;
}

/** What one HTTP request did, for tests and the benchmark. */
export interface RequestRecord {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** The route template, such as `PATCH /composite/sobjects/{type}/{field}`; `unknown` when nothing matched. */
  readonly route: string;
  readonly object?: string;
  /** 0 when the connection was reset by a fault. */
  readonly status: number;
  readonly write: boolean;
  /** Emulator clock at arrival. */
  readonly at: number;
}

export type RequestFilter = Partial<Pick<RequestRecord, 'method' | 'route' | 'object' | 'status' | 'write' | 'path'>> | ((record: RequestRecord) => boolean);

/** One step of a fault sequence: a status (with optional body and headers), `pass`, `reset`, or a delay. */
export type FaultStep =
  | 'pass'
  | 'reset'
  | number
  | { readonly status?: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>>; readonly delayMs?: number };

export interface FaultRule {
  readonly method?: string;
  /** A RegExp tested on the path (no query), or an exact path. */
  readonly path?: RegExp | string;
  /** A route template such as `GET /query`. */
  readonly route?: string;
  readonly sequence: readonly FaultStep[];
  /** Start the sequence over once it is used up, instead of passing from then on. */
  readonly repeat?: boolean;
}

export interface FaultHandle {
  remove(): void;
  /** Requests (or records) this fault has acted on so far. */
  readonly hits: number;
}

export type WriteOperation = 'create' | 'update' | 'upsert';

/** Collection records the predicate matches fail with this status code and message. */
export interface RecordFailureRule {
  readonly object?: string;
  readonly operations?: readonly WriteOperation[];
  readonly match: (record: Readonly<Record<string, unknown>>) => boolean;
  /** `FIELD_CUSTOM_VALIDATION_EXCEPTION` by default. */
  readonly statusCode?: string;
  readonly message?: string;
  readonly fields?: readonly string[];
}

export interface FaultControls {
  add(rule: FaultRule): FaultHandle;
  failRecords(rule: RecordFailureRule): FaultHandle;
  setLatency(ms: number): void;
  /** Removes every fault rule (latency stays). */
  clear(): void;
}

export interface RequestCounters {
  /** A copy of every request since the last reset, oldest first. */
  log(): RequestRecord[];
  count(filter?: RequestFilter): number;
  /** Calls that change data (creates, updates, upserts, custom field creates). */
  writes(): number;
  reset(): void;
}

/** A per-record error of a SaveResult / UpsertResult. */
export interface ItemError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/** A stored record as tests see it: every field, values in API form. */
export type EmulatorRecord = Readonly<Record<string, unknown>> & { readonly Id: string };

/** Public shapes of the emulator's options, seed and test-side views. */

export type HubspotTier = 'starter' | 'professional' | 'enterprise';

export interface RateLimitOptions {
  /** Requests per rolling 10 s window, per token. */
  readonly perTenSeconds?: number;
  /** Requests per day, per portal (resets at midnight UTC of the emulator clock). */
  readonly daily?: number;
  /** Search requests per second, per portal. */
  readonly searchPerSecond?: number;
}

/** A property definition as `POST /crm/v3/properties/{objectType}` takes it. */
export interface HubspotPropertyInput {
  readonly name: string;
  readonly label: string;
  /** bool | date | datetime | enumeration | number | phone_number | string */
  readonly type: string;
  /** booleancheckbox | calculation_equation | checkbox | date | file | html | number | phonenumber | radio | select | text | textarea */
  readonly fieldType: string;
  readonly groupName: string;
  readonly description?: string;
  readonly hasUniqueValue?: boolean;
  readonly options?: ReadonlyArray<{ readonly label: string; readonly value: string; readonly displayOrder?: number; readonly hidden?: boolean; readonly description?: string }>;
  readonly displayOrder?: number;
  readonly hidden?: boolean;
  readonly formField?: boolean;
}

export interface HubspotOwnerSeed {
  readonly id?: string;
  readonly email: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly userId?: number;
  readonly archived?: boolean;
}

export interface HubspotSeed {
  readonly owners?: ReadonlyArray<HubspotOwnerSeed>;
  /** Custom properties per object type (`companies`, `deals`, …), created before any object. */
  readonly properties?: Partial<Record<string, ReadonlyArray<HubspotPropertyInput>>>;
  readonly objects?: Partial<Record<string, ReadonlyArray<{ readonly id?: string; readonly properties: Readonly<Record<string, string>> }>>>;
  readonly associations?: ReadonlyArray<{ readonly fromType: string; readonly fromId: string; readonly toType: string; readonly toId: string; readonly typeId?: number }>;
}

export interface HubspotEmulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The accepted private-app token; a random one when omitted. */
  readonly token?: string;
  /** HubSpot's tier presets for the rate limits; `professional` by default. */
  readonly tier?: HubspotTier;
  /** `false` turns rate limiting off; an object overrides the tier preset. */
  readonly limits?: false | RateLimitOptions;
  /** The clock, in epoch ms, for timestamps and rate-limit windows. */
  readonly now?: () => number;
  /** Latency added to every response, in ms. */
  readonly latencyMs?: number;
  readonly seed?: HubspotSeed;
  readonly portalId?: number;
  /** Scopes the token-info endpoint reports; every scope the worker needs by default. */
  readonly scopes?: readonly string[];
}

/** A CRM record as tests see it: every stored property, timestamps as ISO strings. */
export interface EmulatorRecord {
  readonly id: string;
  readonly properties: Record<string, string>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archived: boolean;
}

/** What one HTTP request did, for tests and the benchmark. */
export interface RequestRecord {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** The route template, such as `POST /crm/v3/objects/{type}/batch/upsert`; `unknown` when nothing matched. */
  readonly route: string;
  readonly objectType?: string;
  /** 0 when the connection was reset by a fault. */
  readonly status: number;
  /** The call changes data (create, update, upsert, archive, associate, property create). */
  readonly write: boolean;
  /** Emulator clock at arrival. */
  readonly at: number;
}

export type RequestFilter = Partial<Pick<RequestRecord, 'method' | 'route' | 'objectType' | 'status' | 'write' | 'path'>> | ((record: RequestRecord) => boolean);

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
  /** A route template such as `POST /crm/v3/objects/{type}/batch/upsert`. */
  readonly route?: string;
  readonly objectType?: string;
  readonly sequence: readonly FaultStep[];
  /** Start the sequence over once it is used up, instead of passing from then on. */
  readonly repeat?: boolean;
}

export interface FaultHandle {
  remove(): void;
  /** Requests this fault has acted on so far. */
  readonly hits: number;
}

/** What a partial-failure predicate sees of one batch input. */
export interface BatchInputView {
  readonly id?: string;
  readonly idProperty?: string;
  readonly objectWriteTraceId?: string;
  readonly properties: Readonly<Record<string, string>>;
}

export interface RecordFailureRule {
  readonly objectType?: string;
  readonly operations?: ReadonlyArray<'create' | 'update' | 'upsert'>;
  readonly match: (input: BatchInputView) => boolean;
  readonly category?: string;
  readonly message?: string;
  readonly subCategory?: string;
}

/** Fault injection, for tests and the benchmark. */
export interface FaultControls {
  /** A status sequence for matching requests, e.g. `{ method: 'POST', path: /\/batch\/upsert$/, sequence: [503, 429, 'pass'] }`. */
  add(rule: FaultRule): FaultHandle;
  /** Batch inputs the predicate matches fail with this category and message (a 207 when others succeed). */
  failRecords(rule: RecordFailureRule): FaultHandle;
  /** Latency added to every response, in ms. */
  setLatency(ms: number): void;
  /** The current token answers 401 EXPIRED_AUTHENTICATION until the emulator's `setToken`. */
  expireToken(): void;
  /** Removes every fault rule (latency and token state stay). */
  clear(): void;
}

/** Request counters, for tests and the benchmark. */
export interface RequestCounters {
  /** A copy of every request since the last reset, oldest first. */
  log(): RequestRecord[];
  count(filter?: RequestFilter): number;
  /** Calls that change data (creates, updates, upserts, archives, associations, property creates). */
  writes(): number;
  reset(): void;
}

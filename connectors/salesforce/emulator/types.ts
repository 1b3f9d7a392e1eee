import type { FaultControlsBase, FaultRuleBase } from '../../emulator-kit/fault-rules.ts';
import type {
  RequestCounters as KitRequestCounters,
  RequestFilter as KitRequestFilter,
  RequestRecordBase,
} from '../../emulator-kit/request-log.ts';

/** Public shapes of the Salesforce emulator's options, seed, schema input and test-side controls. */

/** Field types as describe reports them (https://developer.salesforce.com/docs/platform/api-rest/guide/dome-sobject-describe). */
export type SalesforceFieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'email'
  | 'url'
  | 'phone'
  | 'base64';

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

/** What `updateField` may change: everything but the API name. Omitted attributes keep their value. */
export type FieldChanges = Partial<Omit<FieldInput, 'name'>>;

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

/** What one HTTP request did: the shared fields and the sObject the route named, as describe spells it. */
export type RequestRecord = RequestRecordBase & { readonly object?: string };

export type RequestFilter = KitRequestFilter<RequestRecord>;

/** Salesforce's request rules are the shared ones; rules by object go through `route` and `path`. */
export type FaultRule = FaultRuleBase;

export type WriteOperation = 'create' | 'update' | 'upsert';

/** Collection records the predicate matches fail with this status code and message. */
export interface RecordFailureRule {
  readonly object?: string;
  readonly operations?: readonly WriteOperation[];
  /** Sees the record as sent: JSON values for REST calls, CSV text (`'42'`, null for `#N/A`) for Bulk API 2.0 rows. */
  readonly match: (record: Readonly<Record<string, unknown>>) => boolean;
  /** `FIELD_CUSTOM_VALIDATION_EXCEPTION` by default. */
  readonly statusCode?: string;
  readonly message?: string;
  readonly fields?: readonly string[];
}

export type FaultControls = FaultControlsBase<FaultRule, RecordFailureRule>;

export type RequestCounters = KitRequestCounters<RequestRecord>;

/** A per-record error of a SaveResult / UpsertResult. */
export interface ItemError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/** A stored record as tests see it: every field, values in API form. */
export type EmulatorRecord = Readonly<Record<string, unknown>> & { readonly Id: string };

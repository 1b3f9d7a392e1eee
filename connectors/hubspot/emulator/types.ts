import type { FaultControlsBase, FaultRuleBase } from '../../emulator-kit/fault-rules.ts';
import type {
  RequestCounters as KitRequestCounters,
  RequestFilter as KitRequestFilter,
  RequestRecordBase,
} from '../../emulator-kit/request-log.ts';

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
  readonly options?: ReadonlyArray<{
    readonly label: string;
    readonly value: string;
    readonly displayOrder?: number;
    readonly hidden?: boolean;
    readonly description?: string;
  }>;
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
  readonly objects?: Partial<
    Record<string, ReadonlyArray<{ readonly id?: string; readonly properties: Readonly<Record<string, string>> }>>
  >;
  readonly associations?: ReadonlyArray<{
    readonly fromType: string;
    readonly fromId: string;
    readonly toType: string;
    readonly toId: string;
    readonly typeId?: number;
  }>;
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

/** What one HTTP request did: the shared fields and the HubSpot object type the route named. */
export type RequestRecord = RequestRecordBase & { readonly objectType?: string };

export type RequestFilter = KitRequestFilter<RequestRecord>;

export interface FaultRule extends FaultRuleBase {
  /** Only requests on this object type (`companies`, `0-2`, …: any name HubSpot accepts). */
  readonly objectType?: string;
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
export interface FaultControls extends FaultControlsBase<FaultRule, RecordFailureRule> {
  /** The current token answers 401 EXPIRED_AUTHENTICATION until the emulator's `setToken`. */
  expireToken(): void;
}

export type RequestCounters = KitRequestCounters<RequestRecord>;

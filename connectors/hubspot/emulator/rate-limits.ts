import type { ErrorFields } from './http.ts';
import type { HubspotTier, RateLimitOptions } from './types.ts';

export interface LimitSettings {
  readonly perTenSeconds: number;
  readonly daily: number;
  readonly searchPerSecond: number;
}

/**
 * Burst (per 10 s, per app) and daily (per account) limits by tier:
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines. Search has its own
 * 5 requests/second: https://developers.hubspot.com/changelog/crm-search-api-rate-limit-increase
 */
export const TIER_LIMITS: Readonly<Record<HubspotTier, LimitSettings>> = {
  starter: { perTenSeconds: 100, daily: 250_000, searchPerSecond: 5 },
  professional: { perTenSeconds: 190, daily: 625_000, searchPerSecond: 5 },
  enterprise: { perTenSeconds: 190, daily: 1_000_000, searchPerSecond: 5 },
};

const WINDOW_MS = 10_000;
const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;

export type LimitVerdict =
  | { readonly ok: true; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly fields: ErrorFields; readonly headers: Readonly<Record<string, string>> };

/** What tests can read and change of the limits. */
export interface LimitControls {
  readonly enabled: boolean;
  /** Daily calls left; the next calls answer 429 DAILY once it reaches 0. */
  setDailyRemaining(remaining: number): void;
  dailyRemaining(): number;
  /** Calls left in the current 10 s window of the emulator's token. */
  tenSecondRemaining(): number;
  /** Forget the windows and the daily count. */
  reset(): void;
}

/**
 * A rolling 10-second window per token, a daily counter per portal (midnight UTC of the injected clock),
 * and search's per-second bucket, answering 429 with the bodies HubSpot documents
 * (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
 */
export class RateLimiter {
  private readonly settings: LimitSettings | undefined;
  private readonly now: () => number;
  private readonly portalId: number;
  private readonly windows = new Map<string, number[]>();
  private searches: number[] = [];
  private dailyUsed = 0;
  private day: number;

  constructor(options: {
    readonly tier: HubspotTier;
    readonly limits: false | RateLimitOptions | undefined;
    readonly now: () => number;
    readonly portalId: number;
  }) {
    this.settings =
      options.limits === false ? undefined : { ...TIER_LIMITS[options.tier], ...definedOnly(options.limits ?? {}) };
    this.now = options.now;
    this.portalId = options.portalId;
    this.day = Math.floor(options.now() / DAY_MS);
  }

  get enabled(): boolean {
    return this.settings !== undefined;
  }

  check(token: string, search: boolean): LimitVerdict {
    const settings = this.settings;
    if (!settings) return { ok: true, headers: {} };
    const now = this.now();
    this.rollDay(now);
    const window = prune(this.windows.get(token) ?? [], now - WINDOW_MS);
    this.windows.set(token, window);
    if (this.dailyUsed >= settings.daily) {
      return {
        ok: false,
        fields: this.body('DAILY', 'You have reached your daily limit.', 'daily'),
        headers: search ? {} : this.headers(settings, window.length),
      };
    }
    if (search) {
      this.searches = prune(this.searches, now - SECOND_MS);
      if (this.searches.length >= settings.searchPerSecond)
        return {
          ok: false,
          fields: this.body('SECONDLY', 'You have reached your secondly limit.', 'crm-search-secondly'),
          headers: {},
        };
      this.searches.push(now);
      this.dailyUsed += 1;
      return { ok: true, headers: {} };
    }
    if (window.length >= settings.perTenSeconds) {
      return {
        ok: false,
        fields: this.body('TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.', 'ten-secondly'),
        headers: this.headers(settings, window.length),
      };
    }
    window.push(now);
    this.dailyUsed += 1;
    return { ok: true, headers: this.headers(settings, window.length) };
  }

  controls(token: () => string): LimitControls {
    return {
      enabled: this.enabled,
      setDailyRemaining: (remaining) => {
        this.rollDay(this.now());
        this.dailyUsed = (this.settings?.daily ?? 0) - remaining;
      },
      dailyRemaining: () => {
        this.rollDay(this.now());
        return Math.max(0, (this.settings?.daily ?? 0) - this.dailyUsed);
      },
      tenSecondRemaining: () => {
        const window = prune(this.windows.get(token()) ?? [], this.now() - WINDOW_MS);
        return Math.max(0, (this.settings?.perTenSeconds ?? 0) - window.length);
      },
      reset: () => {
        this.windows.clear();
        this.searches = [];
        this.dailyUsed = 0;
      },
    };
  }

  private rollDay(now: number): void {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.dailyUsed = 0;
    }
  }

  /** `X-HubSpot-RateLimit-*` headers (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines). */
  private headers(settings: LimitSettings, used: number): Record<string, string> {
    return {
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(WINDOW_MS),
      'X-HubSpot-RateLimit-Max': String(settings.perTenSeconds),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, settings.perTenSeconds - used)),
      'X-HubSpot-RateLimit-Daily': String(settings.daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, settings.daily - this.dailyUsed)),
    };
  }

  /** The 429 body: `{status, message, errorType: "RATE_LIMIT", correlationId, policyName, groupName}`. */
  private body(policyName: string, message: string, group: string): ErrorFields {
    return {
      message,
      extra: {
        errorType: 'RATE_LIMIT',
        policyName,
        groupName: `publicapi:private-app-api-calls-${group}:${this.portalId}`,
      },
    };
  }
}

function prune(times: number[], after: number): number[] {
  let first = 0;
  while (first < times.length && (times[first] ?? 0) <= after) first += 1;
  return first === 0 ? times : times.slice(first);
}

function definedOnly(limits: RateLimitOptions): Partial<LimitSettings> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Partial<LimitSettings>;
}

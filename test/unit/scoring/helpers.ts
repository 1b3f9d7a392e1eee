import type { Account } from '../../../src/model/account.ts';
import type { Assessment } from '../../../src/model/assessment.ts';
import type { UsageDay } from '../../../src/model/usage.ts';
import { assessAccount } from '../../../src/scoring/assess.ts';
import { ScoringConfigSchema, type ScoringConfig } from '../../../src/scoring/config.ts';

export const AS_OF = '2026-11-20';

export function isoDaysBefore(asOf: string, days: number): string {
  return new Date(Date.parse(`${asOf}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** 100 licensed seats, so seats used read directly as utilization percent; renewal far away. */
export function account(overrides: Partial<Account> = {}): Account {
  return {
    system: 'hubspot',
    id: '101',
    name: 'Acme Analytics',
    domain: 'acme.example',
    licensedSeats: 100,
    plan: 'growth',
    modulesOwned: [],
    renewalDate: '2027-09-01',
    ...overrides,
  };
}

/** One stretch of identical days: `days` days with `seats` seats used and `active` active users (default: seats). */
export interface Stretch {
  readonly days: number;
  readonly seats: number;
  readonly active?: number;
}

/** Consecutive days built from stretches, oldest first, the last one ending `endsDaysBeforeAsOf` days before asOf. */
export function usage(
  stretches: readonly Stretch[],
  options: { readonly asOf?: string; readonly endsDaysBeforeAsOf?: number } = {},
): UsageDay[] {
  const total = stretches.reduce((sum, s) => sum + s.days, 0);
  const end = options.endsDaysBeforeAsOf ?? 0;
  const out: UsageDay[] = [];
  let i = 0;
  for (const stretch of stretches) {
    for (let d = 0; d < stretch.days; d += 1) {
      const seatsUsed = stretch.seats;
      const activeUsers = stretch.active ?? stretch.seats;
      out.push({
        accountKey: 'acme.example',
        date: isoDaysBefore(options.asOf ?? AS_OF, end + total - 1 - i),
        activeUsers,
        seatsUsed,
        events: {},
      });
      i += 1;
    }
  }
  return out;
}

export function config(overrides: Record<string, unknown> = {}): ScoringConfig {
  return ScoringConfigSchema.parse(overrides);
}

export function assess(options: {
  readonly account?: Account;
  readonly usage: readonly UsageDay[];
  readonly config?: ScoringConfig;
  readonly asOf?: string;
}): Assessment {
  return assessAccount({
    account: options.account ?? account(),
    usage: options.usage,
    asOf: options.asOf ?? AS_OF,
    config: options.config ?? config(),
  });
}

export const signalIds = (assessment: Assessment): string[] => assessment.signals.map((s) => s.id);

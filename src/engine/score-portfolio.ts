import type { Account } from '../model/account.ts';
import type { Assessment } from '../model/assessment.ts';
import type { UsageDay } from '../model/usage.ts';
import { assessAccount } from '../scoring/assess.ts';
import type { ScoringConfig } from '../scoring/config.ts';
import type { StateStore } from '../state/store.ts';
import { addDays } from './outputs.ts';

export type JoinOn = 'domain' | 'id' | 'usageKey';

/** The value an account's usage rows are keyed by; domains compare case-insensitively. */
export function joinKeyOf(account: Account, joinOn: JoinOn): string | undefined {
  const raw = joinOn === 'id' ? account.id : joinOn === 'domain' ? account.domain : account.usageKey;
  const key = raw?.trim().toLowerCase();
  return key ? key : undefined;
}

export interface ScoredAccount { readonly account: Account; readonly assessment: Assessment }

export interface ScorePortfolioOptions {
  readonly accounts: readonly Account[];
  readonly joinOn: JoinOn;
  readonly asOf: string;
  readonly config: ScoringConfig;
  readonly store: StateStore;
  /** Dry-run rows not in the store. */
  readonly memory?: ReadonlyMap<string, readonly UsageDay[]> | undefined;
  readonly onProgress?: (done: number) => void;
}

const CHUNK = 1_000;

/** Scores accounts a chunk at a time: one history query per chunk, never one per account. */
export async function scorePortfolio(options: ScorePortfolioOptions): Promise<ScoredAccount[]> {
  const from = addDays(options.asOf, -options.config.historyDays);
  const results: ScoredAccount[] = [];
  for (let start = 0; start < options.accounts.length; start += CHUNK) {
    const chunk = options.accounts.slice(start, start + CHUNK);
    const keys = [...new Set(chunk.map((a) => joinKeyOf(a, options.joinOn)).filter((k): k is string => k !== undefined))];
    const history = await options.store.usageByAccount({ accountKeys: keys, from, to: options.asOf });
    for (const account of chunk) {
      const key = joinKeyOf(account, options.joinOn);
      const usage = key === undefined ? [] : merge(history.get(key) ?? [], options.memory?.get(key) ?? [], from, options.asOf);
      results.push({ account, assessment: assessAccount({ account, usage, asOf: options.asOf, config: options.config }) });
    }
    options.onProgress?.(results.length);
  }
  return results;
}

function merge(stored: readonly UsageDay[], fresh: readonly UsageDay[], from: string, to: string): readonly UsageDay[] {
  if (fresh.length === 0) return stored;
  const byDate = new Map(stored.map((day) => [day.date, day]));
  for (const day of fresh) if (day.date >= from && day.date <= to) byDate.set(day.date, day);
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

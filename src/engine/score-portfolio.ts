import type { Account, CrmSystem } from '../model/account.ts';
import { AssessmentSchema, type Assessment } from '../model/assessment.ts';
import type { UsageDay } from '../model/usage.ts';
import type { ScoringConfig } from '../scoring/config.ts';
import { assessPortfolioFrom, type PortfolioInput, type PortfolioPassName } from '../scoring/portfolio.ts';
import type { StateStore } from '../state/store.ts';
import { addDays } from './outputs.ts';

export type JoinOn = 'domain' | 'id' | 'usageKey';

/** The value an account's usage rows are keyed by; domains compare case-insensitively. */
export function joinKeyOf(account: Account, joinOn: JoinOn): string | undefined {
  const raw = joinOn === 'id' ? account.id : joinOn === 'domain' ? account.domain : account.usageKey;
  const key = raw?.trim().toLowerCase();
  return key ? key : undefined;
}

export interface ScoredAccount {
  readonly account: Account;
  readonly assessment: Assessment;
}

export interface ScorePortfolioOptions {
  readonly system: CrmSystem;
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
const EMPLOYEES = 'employees';

/**
 * Scores the portfolio through the portfolio pass (src/scoring/portfolio.ts), feeding it from the store a
 * chunk at a time, one query per chunk, never one per account. Usage is read once per pass rather than
 * held: 10,000 accounts x 90 days is cheaper to re-query than to keep. Unranked: the run ranks the
 * pipeline once it has read the opportunities already open in the CRM.
 */
export async function scorePortfolio(options: ScorePortfolioOptions): Promise<ScoredAccount[]> {
  const previous = await previousAssessments(options.store, options.system);
  const scored = await assessPortfolioFrom((pass) => readPortfolio(options, pass, previous), options);
  return scored.map(({ account, assessment }) => ({ account, assessment }));
}

/**
 * The last run's assessment of each account, for hysteresis (a size or timing the AE has seen moves only
 * on material change). Parsed, not trusted: a row from an older version that no longer fits the schema
 * is simply no previous assessment.
 */
async function previousAssessments(store: StateStore, system: CrmSystem): Promise<ReadonlyMap<string, Assessment>> {
  const byAccount = new Map<string, Assessment>();
  for (const stored of await store.listAssessments(system)) {
    const parsed = AssessmentSchema.safeParse(stored.assessment);
    if (parsed.success) byAccount.set(stored.accountId, parsed.data);
  }
  return byAccount;
}

/**
 * The accounts with their usage for one pass; the assess pass also reads the employee-count history and
 * reports progress after each chunk.
 */
async function* readPortfolio(
  options: ScorePortfolioOptions,
  pass: PortfolioPassName,
  previous: ReadonlyMap<string, Assessment>,
): AsyncGenerator<PortfolioInput> {
  const { store, asOf, joinOn } = options;
  const from = addDays(asOf, -options.config.historyDays);
  for (let start = 0; start < options.accounts.length; start += CHUNK) {
    const chunk = options.accounts.slice(start, start + CHUNK);
    const keys = [...new Set(chunk.map((a) => joinKeyOf(a, joinOn)).filter((k): k is string => k !== undefined))];
    const usage = await store.usageByAccount({ accountKeys: keys, from, to: asOf });
    const ids = chunk.map((a) => a.id);
    const employees = pass === 'assess' ? await store.accountMetricHistory(options.system, EMPLOYEES, ids) : undefined;
    for (const account of chunk) {
      const key = joinKeyOf(account, joinOn);
      const days = key === undefined ? [] : merge(usage.get(key) ?? [], options.memory?.get(key) ?? [], from, asOf);
      if (employees === undefined) {
        yield { account, usage: days };
        continue;
      }
      // Only days before asOf: today's value is the account's current employee count itself.
      const history = { employees: (employees.get(account.id) ?? []).filter((e) => e.date < asOf) };
      yield { account, usage: days, history, previous: previous.get(account.id) };
    }
    if (pass === 'assess') options.onProgress?.(start + chunk.length);
  }
}

/** Today's CRM employee counts, kept so a later run can measure headcount growth the CRM does not record. */
export async function rememberEmployeeCounts(options: {
  readonly store: StateStore;
  readonly system: CrmSystem;
  readonly accounts: readonly Account[];
  readonly asOf: string;
}): Promise<void> {
  const values = options.accounts.flatMap((a) =>
    a.employees === undefined ? [] : [{ accountId: a.id, metric: EMPLOYEES, date: options.asOf, value: a.employees }],
  );
  if (values.length > 0) await options.store.recordAccountMetrics(options.system, values);
}

function merge(stored: readonly UsageDay[], fresh: readonly UsageDay[], from: string, to: string): readonly UsageDay[] {
  if (fresh.length === 0) return stored;
  const byDate = new Map(stored.map((day) => [day.date, day]));
  for (const day of fresh) if (day.date >= from && day.date <= to) byDate.set(day.date, day);
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

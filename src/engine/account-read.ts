import { z } from 'zod';
import { AccountSchema, type Account } from '../model/account.ts';
import type { Logger } from '../logger.ts';
import { accountFromRaw, fieldsToRead, type MapContext } from '../mapping/records.ts';
import type { MappingFile } from '../mapping/index.ts';
import type { AccountSnapshot, StateStore } from '../state/store.ts';
import type { AccountCursor, CrmConnector, RecordProblem } from './crm.ts';

/** The stored cursor; anything else (an older release's, a hand edit) means a full read. */
const StoredCursorSchema = z.object({
  modstamp: z.string().refine((v) => !Number.isNaN(Date.parse(v))),
  id: z.string(),
});

export interface PortfolioRead {
  readonly accounts: Account[];
  readonly current: Map<string, Readonly<Record<string, string | null>>>;
  readonly problems: RecordProblem[];
  /** `incremental`: only changed accounts were fetched; the rest came from the snapshots of earlier runs. */
  readonly mode: 'full' | 'incremental';
  readonly fetched: number;
}

export interface ReadPortfolioOptions {
  readonly crm: CrmConnector;
  /** The account mapping in force: the engine maps the raw records the connector reads. */
  readonly mapping: MappingFile;
  readonly store: StateStore;
  readonly sync: string;
  /** False in dry-run: nothing is written to the state store, not even the cursor. */
  readonly persist: boolean;
  /** Ignore the cursor and read every account (also done when the cursor is missing or unreadable). */
  readonly fullRead: boolean;
  /** The cursor never moves past the run's start, so a record changed during the run is read next time. */
  readonly startedAt: Date;
  readonly log: Logger;
  readonly onPage: (done: number) => void;
}

const STREAM = 'accounts';

/**
 * Reads the portfolio. A connector that reads incrementally is asked only for accounts changed since the
 * stored cursor, merged over the snapshots earlier runs kept; otherwise, or on demand, every account is
 * read and the snapshots are replaced (so an account deleted in the CRM drops out).
 */
export async function readPortfolio(options: ReadPortfolioOptions): Promise<PortfolioRead> {
  const { crm, store, sync } = options;
  const stored = crm.incrementalAccounts && !options.fullRead ? await storedCursor(options) : undefined;
  // Snapshots are read once: without any, the cursor is no use and the read is a full one.
  const previous = stored ? await store.listAccountSnapshots(sync) : [];
  const cursor = previous.length > 0 ? stored : undefined;
  const fetched = await fetchAccounts(options, cursor);
  if (!crm.incrementalAccounts) return { ...fetched, mode: 'full', fetched: fetched.accounts.length };
  const snapshots = fetched.accounts.map((a): AccountSnapshot => ({
    accountId: a.id,
    account: a,
    current: fetched.current.get(a.id) ?? {},
  }));
  let accounts = fetched.accounts;
  let current = fetched.current;
  if (cursor) {
    const merged = new Map<string, AccountSnapshot>(previous.map((s) => [s.accountId, s]));
    for (const s of snapshots) merged.set(s.accountId, s);
    accounts = [];
    current = new Map();
    for (const s of merged.values()) {
      const parsed = AccountSchema.safeParse(s.account);
      if (!parsed.success) continue; // a snapshot from an older release that no longer parses: the next full read restores it
      accounts.push(parsed.data);
      current.set(s.accountId, s.current);
    }
  }
  if (options.persist) {
    await store.putAccountSnapshots(sync, snapshots, { replace: cursor === undefined });
    await store.setCheckpoint(sync, STREAM, capped(fetched.last ?? cursor, options.startedAt));
  }
  options.log.info(
    { mode: cursor ? 'incremental' : 'full', fetched: fetched.accounts.length, accounts: accounts.length },
    cursor ? `accounts changed since ${cursor.modstamp}: ${fetched.accounts.length}` : 'full account read',
  );
  return {
    accounts,
    current,
    problems: fetched.problems,
    mode: cursor ? 'incremental' : 'full',
    fetched: fetched.accounts.length,
  };
}

async function fetchAccounts(options: ReadPortfolioOptions, since: AccountCursor | undefined) {
  const { crm } = options;
  const ctx: MapContext = { system: crm.system, object: crm.objects.account, mapping: options.mapping };
  const accounts: Account[] = [];
  const current = new Map<string, Readonly<Record<string, string | null>>>();
  const problems: RecordProblem[] = [];
  let last: AccountCursor | undefined;
  for await (const page of crm.readAccounts({ fields: fieldsToRead(options.mapping), ...(since ? { since } : {}) })) {
    for (const record of page.records) {
      const mapped = accountFromRaw(ctx, record);
      problems.push(...mapped.issues);
      if (!mapped.ok) continue;
      accounts.push(mapped.account);
      current.set(record.id, mapped.current);
    }
    if (page.cursor) last = page.cursor;
    options.onPage(accounts.length);
  }
  return { accounts, current, problems, last };
}

/** The stored cursor, or undefined (a full read) when there is none or it is unreadable. */
async function storedCursor(options: ReadPortfolioOptions): Promise<AccountCursor | undefined> {
  const raw = await options.store.getCheckpoint(options.sync, STREAM);
  if (raw === undefined) return undefined;
  const cursor = StoredCursorSchema.safeParse(raw);
  if (!cursor.success) {
    options.log.warn({ stream: STREAM }, 'the stored account cursor is unreadable; reading every account');
    return undefined;
  }
  return cursor.data;
}

function capped(cursor: AccountCursor | undefined, startedAt: Date): AccountCursor | null {
  if (cursor === undefined) return null;
  return Date.parse(cursor.modstamp) > startedAt.getTime() ? { modstamp: startedAt.toISOString(), id: '' } : cursor;
}

export interface RememberWritesOptions {
  readonly store: StateStore;
  readonly sync: string;
  readonly accounts: readonly Account[];
  readonly current: ReadonlyMap<string, Readonly<Record<string, string | null>>>;
  /** The updates the CRM confirmed; a failed or unsent one leaves its snapshot as the CRM held it. */
  readonly updates: ReadonlyArray<{
    readonly accountId: string;
    readonly fields: Readonly<Record<string, string | null>>;
  }>;
}

/**
 * After writing, the snapshots hold what the CRM now has. An incremental read may not fetch these
 * records again (a write in the cursor's own second is not after it), and a stale snapshot would make
 * our own write look like a person's edit.
 */
export async function rememberWrites(options: RememberWritesOptions): Promise<void> {
  const byId = new Map(options.accounts.map((a) => [a.id, a]));
  const snapshots: AccountSnapshot[] = [];
  for (const update of options.updates) {
    const account = byId.get(update.accountId);
    if (account === undefined) continue;
    snapshots.push({
      accountId: update.accountId,
      account,
      current: { ...options.current.get(update.accountId), ...update.fields },
    });
  }
  if (snapshots.length > 0) await options.store.putAccountSnapshots(options.sync, snapshots);
}

import type { UsageDay } from '../model/usage.ts';
import type { SqliteConnection } from './sqlite-connection.ts';
import { eventsSerializer, text } from './sqlite-rows.ts';
import type { UsageQuery, UsageUpsertResult } from './store.ts';

// ON CONFLICT DO NOTHING (not INSERT OR IGNORE): only the primary-key clash is skipped, so a NOT NULL or
// type violation still fails loudly instead of silently dropping a row.
const INSERT_DAY = `INSERT INTO usage_days (account_key, date, active_users, seats_used, events)
  VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_key, date) DO NOTHING`;

// Touches the row only when a value differs, so `changes` tells "updated" from "unchanged". IS NOT, not
// !=, because a count may be NULL (not collected): NULL != 3 is NULL, which would hide the change.
const UPDATE_DAY = `UPDATE usage_days SET active_users = ?3, seats_used = ?4, events = ?5
  WHERE account_key = ?1 AND date = ?2 AND (active_users IS NOT ?3 OR seats_used IS NOT ?4 OR events != ?5)`;

/**
 * Stores the days in one transaction: a new (account, day) is inserted, a known one is replaced when any
 * value changed. Insert-then-update costs one statement for a new day, the common case on first import.
 */
export function upsertUsageDays(connection: SqliteConnection, days: readonly UsageDay[]): UsageUpsertResult {
  const insert = connection.statement(INSERT_DAY);
  const update = connection.statement(UPDATE_DAY);
  const eventsJson = eventsSerializer();
  return connection.transaction(() => {
    let inserted = 0;
    let updated = 0;
    for (const day of days) {
      const events = eventsJson(day.events);
      // A count the source did not collect is stored as NULL, never as zero.
      const activeUsers = day.activeUsers ?? null;
      const seatsUsed = day.seatsUsed ?? null;
      if (Number(insert.run(day.accountKey, day.date, activeUsers, seatsUsed, events).changes) > 0) {
        inserted += 1;
      } else if (Number(update.run(day.accountKey, day.date, activeUsers, seatsUsed, events).changes) > 0) {
        updated += 1;
      }
    }
    return { inserted, updated, unchanged: days.length - inserted - updated };
  });
}

// The keys travel as one JSON array parameter expanded by json_each, so any number of accounts costs one
// bound variable: no IN list to outgrow SQLITE_MAX_VARIABLE_NUMBER, no temp table to manage
// (https://www.sqlite.org/json1.html#jeach). Each account's days come back as one JSON array: building
// 900,000 row objects through node:sqlite costs about three times more than 10,000 JSON.parse calls.
const USAGE_FOR_KEYS = `SELECT account_key, json_group_array(json_array(date, active_users, seats_used, json(events))) AS days
  FROM usage_days
  WHERE account_key IN (SELECT value FROM json_each(?)) AND date >= ? AND date <= ?
  GROUP BY account_key`;

/** A NULL count comes back as JSON null: not collected that day. */
type DayTuple = [date: string, activeUsers: number | null, seatsUsed: number | null, events: Record<string, number>];

/** Each requested account that has days in [from, to], with its days in date order. */
export function usageForAccounts(
  connection: SqliteConnection,
  query: UsageQuery,
): ReadonlyMap<string, readonly UsageDay[]> {
  const result = new Map<string, readonly UsageDay[]>();
  if (query.accountKeys.length === 0 || query.from > query.to) return result;
  for (const row of connection
    .statement(USAGE_FOR_KEYS)
    .iterate(JSON.stringify(query.accountKeys), query.from, query.to)) {
    const accountKey = text(row, 'account_key');
    const tuples = JSON.parse(text(row, 'days')) as DayTuple[];
    const days = tuples.map((tuple) => dayOf(accountKey, tuple));
    result.set(accountKey, inDateOrder(days));
  }
  return result;
}

/** The day with only the counts that were collected: an absent count stays absent, never zero. */
function dayOf(accountKey: string, [date, activeUsers, seatsUsed, events]: DayTuple): UsageDay {
  const day: UsageDay = { accountKey, date, events };
  if (activeUsers !== null) day.activeUsers = activeUsers;
  if (seatsUsed !== null) day.seatsUsed = seatsUsed;
  return day;
}

// The primary-key scan already yields each account's days in date order; SQLite does not promise that
// for an aggregate, so check (linear) and sort only if a future planner changes its mind.
function inDateOrder(days: UsageDay[]): UsageDay[] {
  for (let i = 1; i < days.length; i += 1) {
    if ((days[i - 1]?.date ?? '') > (days[i]?.date ?? ''))
      return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }
  return days;
}

/** The latest stored usage day (one scan of the usage days). */
export function latestUsageDay(connection: SqliteConnection): string | undefined {
  const row = connection.statement('SELECT max(date) AS latest FROM usage_days').get();
  return typeof row?.['latest'] === 'string' ? row['latest'] : undefined;
}

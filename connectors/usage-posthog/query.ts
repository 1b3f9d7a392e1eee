/**
 * The one HogQL query the PostHog source sends: per company group key and day, the distinct users and the
 * count of each feature event, within the run's window, ordered by (key, day) and paged by keyset.
 * HogQL is PostHog's SQL over ClickHouse (https://posthog.com/docs/sql); group keys of group type N are
 * the `$group_N` column of the events table (https://posthog.com/docs/product-analytics/group-analytics).
 * Pages are cut by keyset, never OFFSET: "use timestamp-based pagination instead of offset"
 * (https://posthog.com/docs/api/queries).
 */

export interface UsageQuery {
  readonly groupIndex: number;
  /** Feature event names, each counted in its own column; undefined counts every event as `events`. */
  readonly events: readonly string[] | undefined;
  readonly activeUsersFrom: 'person' | 'distinct_id';
  /** First and last day, inclusive (YYYY-MM-DD). */
  readonly from: string;
  readonly to: string;
  /** The last (key, day) of the previous page; undefined for the first page. */
  readonly after: { readonly key: string; readonly day: string } | undefined;
  readonly limit: number;
}

/** The feature name each count column holds, in column order after account_key, day and active_users. */
export function countColumns(events: readonly string[] | undefined): ReadonlyArray<readonly [string, string]> {
  if (events === undefined) return [['events', 'events']];
  return events.map((name, i) => [`event_${i}`, name] as const);
}

/** HogQL string literal: backslash escapes, as ClickHouse reads them. */
export function hogqlString(text: string): string {
  const escaped = text.replace(/[\\'\n\r\t\0]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\0':
        return '\\0';
      default:
        return `\\${c}`;
    }
  });
  return `'${escaped}'`;
}

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The query text of one page, on one line. */
export function usageQueryText(q: UsageQuery): string {
  const group = `$group_${q.groupIndex}`;
  const users = q.activeUsersFrom === 'person' ? 'uniq(person_id)' : 'uniq(distinct_id)';
  const counts =
    q.events === undefined
      ? ['count() AS events']
      : q.events.map((name, i) => `countIf(event = ${hogqlString(name)}) AS event_${i}`);
  const where = [
    `${group} != ''`,
    `timestamp >= toDateTime(${hogqlString(`${q.from} 00:00:00`)})`,
    `timestamp < toDateTime(${hogqlString(`${dayAfter(q.to)} 00:00:00`)})`,
    ...(q.events === undefined ? [] : [`event IN (${q.events.map(hogqlString).join(', ')})`]),
    ...(q.after === undefined
      ? []
      : [`(${group}, toDate(timestamp)) > (${hogqlString(q.after.key)}, toDate(${hogqlString(q.after.day)}))`]),
  ];
  return [
    `SELECT ${group} AS account_key, toDate(timestamp) AS day, ${users} AS active_users, ${counts.join(', ')}`,
    'FROM events',
    `WHERE ${where.join(' AND ')}`,
    'GROUP BY account_key, day',
    'ORDER BY account_key, day',
    `LIMIT ${q.limit}`,
  ].join(' ');
}

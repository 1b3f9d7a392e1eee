-- Daily per-account usage from a rollup that is already in the long shape, for usage.source "postgres":
--   daily_usage(day date, account_key text, feature text, events bigint, users bigint)
-- where the row with feature NULL carries the day's distinct active users, and (optionally) a row whose
-- feature is usage.seatsFeature carries the seats in use in its users column.
-- An index on (account_key, day) lets PostgreSQL return the rows in order without sorting them.
SELECT day, account_key, feature, events, users
FROM daily_usage
WHERE day BETWEEN :from AND :to
  AND (feature IS NULL OR feature = ANY (:features::text[]))
ORDER BY account_key, day;

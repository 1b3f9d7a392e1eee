-- Daily per-account usage from a raw event table, for usage.source "postgres".
--
-- Expects: product_events(occurred_at timestamptz, account_key text, user_id text, event text)
-- Parameters (bound, never spliced in): :from and :to, the run's first and last day (inclusive, dates);
-- :features, the config's usage.features (and usage.seatsFeature, when set) as a text[].
-- Returns the long shape, one row per account, day and feature, plus one row per account and day whose
-- feature is NULL and whose users column is that day's distinct active users. Keep ORDER BY account_key, day:
-- the source assembles each account's day from adjacent rows.
WITH events AS (
  SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, account_key, user_id, event
  FROM product_events
  WHERE occurred_at >= :from::date
    AND occurred_at < :to::date + 1
)
SELECT day, account_key, event AS feature, count(*) AS events, count(DISTINCT user_id) AS users
FROM events
WHERE event = ANY (:features::text[])
GROUP BY account_key, day, event
UNION ALL
SELECT day, account_key, NULL, NULL, count(DISTINCT user_id)
FROM events
GROUP BY account_key, day
ORDER BY account_key, day;

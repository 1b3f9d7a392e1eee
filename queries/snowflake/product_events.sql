-- TEMPLATE, not run by expansion-sync today (there is no Snowflake source yet, and no Snowflake to test
-- against): the same long shape as queries/postgres/product_events.sql in Snowflake's SQL, for a team that
-- exports it to a table PostgreSQL can read, or for a future snowflake source binding the same parameters.
-- :from, :to (DATE) and :features (an ARRAY of event names) are the parameters; bind them with the
-- driver's named binds rather than splicing values in.
WITH events AS (
  SELECT TO_DATE(CONVERT_TIMEZONE('UTC', occurred_at)) AS day, account_key, user_id, event
  FROM product_events
  WHERE occurred_at >= TO_TIMESTAMP_TZ(:from)
    AND occurred_at < DATEADD(day, 1, TO_DATE(:to))
)
SELECT day, account_key, event AS feature, COUNT(*) AS events, COUNT(DISTINCT user_id) AS users
FROM events
WHERE ARRAY_CONTAINS(event::VARIANT, :features)
GROUP BY account_key, day, event
UNION ALL
SELECT day, account_key, NULL, NULL, COUNT(DISTINCT user_id)
FROM events
GROUP BY account_key, day
ORDER BY account_key, day;

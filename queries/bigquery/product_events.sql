-- TEMPLATE, not run by expansion-sync today (there is no BigQuery source yet, and no BigQuery to test
-- against): the same long shape as queries/postgres/product_events.sql in GoogleSQL. BigQuery's named
-- parameters are @from, @to (DATE) and @features (ARRAY<STRING>), bound by the client, never spliced in.
-- Partition product_events by DATE(occurred_at) so the window prunes what is scanned (and billed).
WITH events AS (
  SELECT DATE(occurred_at, 'UTC') AS day, account_key, user_id, event
  FROM `project.dataset.product_events`
  WHERE occurred_at >= TIMESTAMP(@from)
    AND occurred_at < TIMESTAMP(DATE_ADD(@to, INTERVAL 1 DAY))
)
SELECT day, account_key, event AS feature, COUNT(*) AS events, COUNT(DISTINCT user_id) AS users
FROM events
WHERE event IN UNNEST(@features)
GROUP BY account_key, day, event
UNION ALL
SELECT day, account_key, CAST(NULL AS STRING), CAST(NULL AS INT64), COUNT(DISTINCT user_id)
FROM events
GROUP BY account_key, day
ORDER BY account_key, day;

-- Daily per-account usage from Segment's warehouse tables, for usage.source "postgres".
--
-- Segment writes every track call to <source>.tracks (user_id, event, timestamp, context_* columns) and every
-- group call to <source>.groups (user_id, group_id, timestamp, traits as columns):
-- https://www.twilio.com/docs/segment/connections/storage/warehouses/schema
-- Set search_path to the Segment source's schema (or qualify the tables, e.g. my_app.tracks).
--
-- A track call belongs to an account by its context.groupId (the context_group_id column) when the client
-- sends it, otherwise by the group of the user's latest group call. account_key is Segment's group id: join it
-- to the CRM with usage.joinOn "usageKey" (a CRM field that holds the group id) or "id" when the group id is
-- the CRM record id. To join on the domain instead, select a groups trait (e.g. website) as account_key.
-- :features holds the `event` column's values (Segment's snake_case event names, e.g. report_exported).
WITH latest_group AS (
  SELECT DISTINCT ON (user_id) user_id, group_id
  FROM groups
  WHERE user_id IS NOT NULL AND group_id IS NOT NULL
  ORDER BY user_id, "timestamp" DESC
),
events AS (
  SELECT (t."timestamp" AT TIME ZONE 'UTC')::date AS day,
         COALESCE(t.context_group_id, g.group_id) AS account_key,
         t.user_id,
         t.event
  FROM tracks t
  LEFT JOIN latest_group g ON g.user_id = t.user_id
  WHERE t."timestamp" >= :from::date
    AND t."timestamp" < :to::date + 1
)
SELECT day, account_key, event AS feature, count(*) AS events, count(DISTINCT user_id) AS users
FROM events
WHERE account_key IS NOT NULL AND event = ANY (:features::text[])
GROUP BY account_key, day, event
UNION ALL
SELECT day, account_key, NULL, NULL, count(DISTINCT user_id)
FROM events
WHERE account_key IS NOT NULL
GROUP BY account_key, day
ORDER BY account_key, day;

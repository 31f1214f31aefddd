-- Each user's latest event of this run (greatest ts, ties to the greatest event_id), kept only where it is
-- at least as new as what the warehouse has: loading older data never overwrites newer values.
DROP TABLE IF EXISTS run_users;
CREATE TEMP TABLE run_users AS
WITH latest_ts AS (
    SELECT user_id, MAX(ts) AS ts FROM run_events WHERE user_id IS NOT NULL GROUP BY user_id
), latest AS (
    -- two grouped maxima instead of a window sorting every event: event_id is unique in run_events
    SELECT e.user_id, MAX(e.event_id) AS event_id
    FROM run_events e JOIN latest_ts l ON l.user_id = e.user_id AND l.ts = e.ts
    GROUP BY e.user_id
)
SELECT d.user_id, d.first_name, d.last_name, d.gender, d.level, d.ts, d.event_id
FROM run_events d
JOIN latest l ON l.user_id = d.user_id AND l.event_id = d.event_id
LEFT JOIN users u ON u.user_id = d.user_id
LEFT JOIN sparkify_user_events ue ON ue.user_id = d.user_id
WHERE u.user_id IS NULL OR d.ts > u.updated_at OR (d.ts = u.updated_at AND d.event_id >= ue.event_id);

-- metric: users.updated
UPDATE users
SET first_name = r.first_name, last_name = r.last_name, gender = r.gender, level = r.level, updated_at = r.ts
FROM run_users r
WHERE users.user_id = r.user_id
  AND ({{distinct(users.first_name, r.first_name)}} OR {{distinct(users.last_name, r.last_name)}}
       OR {{distinct(users.gender, r.gender)}} OR {{distinct(users.level, r.level)}}
       OR {{distinct(users.updated_at, r.ts)}});

-- metric: users.inserted
INSERT INTO users (user_id, first_name, last_name, gender, level, updated_at)
SELECT r.user_id, r.first_name, r.last_name, r.gender, r.level, r.ts
FROM run_users r
WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = r.user_id);

UPDATE sparkify_user_events SET event_id = r.event_id
FROM run_users r
WHERE sparkify_user_events.user_id = r.user_id;

INSERT INTO sparkify_user_events (user_id, event_id)
SELECT r.user_id, r.event_id
FROM run_users r
WHERE NOT EXISTS (SELECT 1 FROM sparkify_user_events ue WHERE ue.user_id = r.user_id);

-- This run's events, one row per event_id: duplicates keep the row of the smallest (source_key, source_line),
-- the same rule the later steps apply across runs. Duplicates are rare, so only they go through the window.
DROP TABLE IF EXISTS run_duplicate_ids;
CREATE TEMP TABLE run_duplicate_ids AS
SELECT event_id FROM staging_events GROUP BY event_id HAVING COUNT(*) > 1;

DROP TABLE IF EXISTS run_events;
CREATE TEMP TABLE run_events AS
SELECT s.event_id, s.ts, s.user_id, s.first_name, s.last_name, s.gender, s.level, s.auth, s.method, s.page,
       s.location, s.user_agent, s.artist, s.song, s.length, s.item_in_session, s.session_id, s.status,
       s.registration, s.source_key, s.source_line
FROM staging_events s
WHERE NOT EXISTS (SELECT 1 FROM run_duplicate_ids x WHERE x.event_id = s.event_id)
UNION ALL
SELECT d.event_id, d.ts, d.user_id, d.first_name, d.last_name, d.gender, d.level, d.auth, d.method, d.page,
       d.location, d.user_agent, d.artist, d.song, d.length, d.item_in_session, d.session_id, d.status,
       d.registration, d.source_key, d.source_line
FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.event_id ORDER BY s.source_key, s.source_line) AS rn
      FROM staging_events s
      WHERE EXISTS (SELECT 1 FROM run_duplicate_ids x WHERE x.event_id = s.event_id)) d
WHERE d.rn = 1;

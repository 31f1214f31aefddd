-- Redshift: as the common script, but run_events is a temporary table: Redshift has no temporary views (Database
-- Developer Guide, "CREATE VIEW": CREATE [ OR REPLACE ] VIEW, no TEMP).
DROP TABLE IF EXISTS run_events;
CREATE TEMP TABLE run_events AS
SELECT s.event_id, {{epoch_ms(s.ts)}} AS ts, s.user_id, s.first_name, s.last_name, s.gender, s.level, s.auth,
       s.method, s.page, s.location, s.user_agent, s.artist, s.song, s.length, s.item_in_session, s.session_id, s.status,
       s.registration, s.source_key, s.source_line
FROM staging_events s
LEFT JOIN run_duplicate_ids w
       ON w.event_id = s.event_id AND (w.source_key <> s.source_key OR w.source_line <> s.source_line)
WHERE w.event_id IS NULL;

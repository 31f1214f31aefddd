-- This run's events, one row per event_id: duplicates keep the row of the smallest (source_key, source_line),
-- the same rule the later steps apply across runs.
DROP TABLE IF EXISTS run_events;
CREATE TEMP TABLE run_events AS
SELECT d.*
FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.event_id ORDER BY s.source_key, s.source_line) AS rn
      FROM staging_events s) d
WHERE d.rn = 1;

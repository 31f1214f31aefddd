-- This run's duplicated event ids and the row each keeps: the smallest (source_key, source_line), the same rule
-- the later steps apply across runs. Duplicates are rare: the window runs over them only, and every other row
-- passes a join with this (small) table in 10_run_events.
DROP TABLE IF EXISTS run_duplicate_ids;
CREATE TEMP TABLE run_duplicate_ids AS
SELECT d.event_id, d.source_key, d.source_line
FROM (SELECT s.event_id, s.source_key, s.source_line,
             ROW_NUMBER() OVER (PARTITION BY s.event_id ORDER BY s.source_key, s.source_line) AS rn
      FROM staging_events s
      WHERE s.event_id IN (SELECT event_id FROM staging_events GROUP BY event_id HAVING COUNT(*) > 1)) d
WHERE d.rn = 1;

-- This run's events, one row per event_id: every row but the duplicates' losers (08_duplicate_events).
-- ts is staged as BIGINT epoch milliseconds (docs/semantics.md#timestamps) and becomes a UTC TIMESTAMP here: every later step reads
-- run_events.ts as a TIMESTAMP.
-- A view over the staging table ({{temp_view}}: a temporary table on Redshift, which has no temporary views; DuckDB
-- has its own script): the later steps read it four times, which costs less than copying a million wide rows into
-- a temporary table first (Postgres, 1 M events: merge 16.3-17.9 s -> 14.3-14.5 s).
DROP {{temp_view}} IF EXISTS run_events;
CREATE TEMP {{temp_view}} run_events AS
SELECT s.event_id, {{epoch_ms(s.ts)}} AS ts, s.user_id, s.first_name, s.last_name, s.gender, s.level, s.auth,
       s.method, s.page, s.location, s.user_agent, s.artist, s.song, s.length, s.item_in_session, s.session_id, s.status,
       s.registration, s.source_key, s.source_line
FROM staging_events s
-- (An anti-join: the losers' filter in the ON clause. With it in the WHERE clause, and no statistics on the fresh
-- staging table, Postgres planned a merge join and sorted every staged row on disk: 2.0 s -> 1.0 s at 1 M events.
-- DuckDB's view keeps the WHERE form, see Sql/duckdb.)
LEFT JOIN run_duplicate_ids w
       ON w.event_id = s.event_id AND (w.source_key <> s.source_key OR w.source_line <> s.source_line)
WHERE w.event_id IS NULL;

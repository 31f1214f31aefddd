-- DuckDB: run_events is a view (10_run_events).
DROP VIEW IF EXISTS run_events;
DROP TABLE IF EXISTS run_duplicate_ids;
-- The staging rows are temporary tables (clear_staging): dropped, so their memory is free before the commit.
DROP TABLE IF EXISTS temp.staging_events;
DROP TABLE IF EXISTS temp.staging_songs;
DROP TABLE IF EXISTS temp.staging_files;
DROP TABLE IF EXISTS temp.staging_field_counts;

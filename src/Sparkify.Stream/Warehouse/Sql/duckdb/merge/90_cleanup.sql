-- DuckDB: run_events is a view (10_run_events).
DROP TABLE IF EXISTS run_duplicate_ids;
DROP VIEW IF EXISTS run_events;
DROP TABLE IF EXISTS run_songs;
DROP TABLE IF EXISTS run_match_keys;
DROP TABLE IF EXISTS run_artist_ids;
DROP TABLE IF EXISTS run_artists;
DROP TABLE IF EXISTS run_users;
DROP TABLE IF EXISTS run_plays;
DROP TABLE IF EXISTS run_rematch;
DROP TABLE IF EXISTS run_matches;
DROP TABLE IF EXISTS run_replaced;
-- The staging rows are temporary tables (clear_staging): dropped, so their memory is free before the commit.
DROP TABLE IF EXISTS temp.staging_events;
DROP TABLE IF EXISTS temp.staging_songs;
DROP TABLE IF EXISTS temp.staging_files;

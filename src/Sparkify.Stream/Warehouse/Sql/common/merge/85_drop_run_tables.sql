-- The run's temporary tables (run_events, a view on DuckDB and Postgres, and run_duplicate_ids, which that view
-- reads, go in 90_cleanup).
DROP TABLE IF EXISTS run_songs;
DROP TABLE IF EXISTS run_match_keys;
DROP TABLE IF EXISTS run_artist_ids;
DROP TABLE IF EXISTS run_artists;
DROP TABLE IF EXISTS run_users;
DROP TABLE IF EXISTS run_plays;
DROP TABLE IF EXISTS run_rematch;
DROP TABLE IF EXISTS run_song_matches;
DROP TABLE IF EXISTS run_matches;
DROP TABLE IF EXISTS run_replaced;

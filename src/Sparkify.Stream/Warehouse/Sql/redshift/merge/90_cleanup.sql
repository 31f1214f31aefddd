-- Redshift: the staging tables are this load's TEMP tables (clear_staging), found before the permanent ones of the
-- same names: dropping them here, inside the transaction that created them, leaves the permanent tables untouched.
DROP TABLE IF EXISTS run_events;
DROP TABLE IF EXISTS run_duplicate_ids;
DROP TABLE staging_events;
DROP TABLE staging_songs;
DROP TABLE staging_files;
DROP TABLE staging_field_counts;

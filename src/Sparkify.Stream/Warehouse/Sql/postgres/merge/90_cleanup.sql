-- Postgres: run_events is a view (10_run_events).
DROP VIEW IF EXISTS run_events;
DROP TABLE IF EXISTS run_duplicate_ids;
{{clear(staging_events)}};
{{clear(staging_songs)}};
{{clear(staging_files)}};
{{clear(staging_field_counts)}};

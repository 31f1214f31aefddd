DROP TABLE IF EXISTS run_events;
{{clear(staging_events)}};
{{clear(staging_songs)}};
{{clear(staging_files)}};
{{clear(staging_field_counts)}};

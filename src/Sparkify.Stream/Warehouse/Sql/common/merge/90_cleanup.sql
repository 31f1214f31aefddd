DROP {{temp_view}} IF EXISTS run_events;
DROP TABLE IF EXISTS run_duplicate_ids;
{{clear(staging_events)}};
{{clear(staging_songs)}};
{{clear(staging_files)}};
{{clear(staging_field_counts)}};

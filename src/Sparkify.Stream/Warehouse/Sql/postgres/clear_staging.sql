-- The staging tables are emptied at the start of each layer of a load (after the load's lock, Sql/postgres/lock.sql).
{{clear(staging_events)}};
{{clear(staging_songs)}};
{{clear(staging_files)}};
{{clear(staging_field_counts)}};

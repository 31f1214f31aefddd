DELETE FROM staging_events;
DELETE FROM staging_songs;
DELETE FROM staging_files;
DELETE FROM staging_field_counts;

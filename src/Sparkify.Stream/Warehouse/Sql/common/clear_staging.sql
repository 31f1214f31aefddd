DELETE FROM staging_events;
DELETE FROM staging_songs;
DELETE FROM staging_files;

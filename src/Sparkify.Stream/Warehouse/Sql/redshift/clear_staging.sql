-- The run's staging rows go into TEMP tables of the permanent staging tables' shape: a temporary table is created
-- in the session's own schema, which Redshift searches first ("search_path"), so COPY and the merge's unqualified
-- names reach this run's rows only, and no DELETEd rows pile up in the permanent tables for VACUUM. They are created
-- inside the load transaction: a failed load rolls them back with everything else, a committed one drops them
-- (90_cleanup), so a watcher's next pass in the same session creates them afresh.
CREATE TEMP TABLE staging_events (LIKE staging_events);
CREATE TEMP TABLE staging_songs (LIKE staging_songs);
CREATE TEMP TABLE staging_files (LIKE staging_files);
CREATE TEMP TABLE staging_field_counts (LIKE staging_field_counts);

-- DuckDB: a run's staging rows live in temporary tables of the same names (DuckDB looks in temp first), so
-- they are never written to the database file (that write, and deleting it again, took longer than the merge).
-- Their columns are those of the permanent staging tables (Sql/common/create_tables.sql), copied, not restated.
CREATE OR REPLACE TEMP TABLE staging_events AS SELECT * FROM main.staging_events LIMIT 0;
CREATE OR REPLACE TEMP TABLE staging_songs AS SELECT * FROM main.staging_songs LIMIT 0;
CREATE OR REPLACE TEMP TABLE staging_files AS SELECT * FROM main.staging_files LIMIT 0;
CREATE OR REPLACE TEMP TABLE staging_field_counts AS SELECT * FROM main.staging_field_counts LIMIT 0;

-- Columns of the kept tables (not staging: stale_staging remakes those) that an older release named otherwise, with
-- their current names: each is renamed in place, so the table keeps its rows. sparkify_field_counts.nulls became
-- null_count: NULLS is a reserved word on Redshift (AWS Database Developer Guide, "Reserved words").
SELECT table_name, column_name, 'null_count'
FROM information_schema.columns
WHERE table_schema = current_schema() AND table_catalog = current_database()
  AND table_name = 'sparkify_field_counts' AND column_name = 'nulls';

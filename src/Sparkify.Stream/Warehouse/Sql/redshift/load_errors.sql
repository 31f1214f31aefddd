-- The rows a failed COPY rejected, among that COPY's own part files (newest first). The filter matches each part by
-- the names Redshift logs it under: s3://bucket/key, and for a columnar (Parquet) load, read through Spectrum, its
-- https:// URL (https://s3.<region>.amazonaws.com/bucket/key or https://bucket.s3.<region>.amazonaws.com/key).
SELECT e.file_name, e.line_number, e.column_name, e.error_message, NULL AS column_value
FROM (SELECT TRIM(file_name) AS file_name, line_number, TRIM(column_name) AS column_name,
             TRIM(error_message) AS error_message, start_time
      FROM sys_load_error_detail) e
WHERE {{files}}
ORDER BY e.start_time DESC
LIMIT 20;

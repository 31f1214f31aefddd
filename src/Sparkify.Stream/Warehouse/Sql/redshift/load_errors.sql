-- The rows a failed COPY rejected, for this run's staged files (newest first).
SELECT TRIM(file_name) AS file_name, line_number, TRIM(column_name) AS column_name,
       TRIM(error_message) AS error_message, NULL AS column_value
FROM sys_load_error_detail
WHERE {{file_filter}}
ORDER BY start_time DESC
LIMIT 20;

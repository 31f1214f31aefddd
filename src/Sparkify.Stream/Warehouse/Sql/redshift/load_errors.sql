-- The rows a failed COPY rejected, among that COPY's own part files (newest first).
SELECT TRIM(file_name) AS file_name, line_number, TRIM(column_name) AS column_name,
       TRIM(error_message) AS error_message, NULL AS column_value
FROM sys_load_error_detail
WHERE TRIM(file_name) IN ({{files}})
ORDER BY start_time DESC
LIMIT 20;

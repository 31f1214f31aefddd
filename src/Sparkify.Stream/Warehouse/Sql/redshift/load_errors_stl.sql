-- Fallback for clusters without SYS views: stl_load_errors.
SELECT TRIM(filename) AS file_name, line_number, TRIM(colname) AS column_name,
       TRIM(err_reason) AS error_message, TRIM(raw_field_value) AS column_value
FROM stl_load_errors
WHERE TRIM(filename) IN ({{files}})
ORDER BY starttime DESC
LIMIT 20;

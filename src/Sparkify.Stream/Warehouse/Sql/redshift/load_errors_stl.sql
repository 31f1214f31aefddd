-- Fallback for clusters without SYS views: stl_load_errors, its part files matched as in load_errors.sql.
SELECT e.file_name, e.line_number, e.column_name, e.error_message, e.column_value
FROM (SELECT TRIM(filename) AS file_name, line_number, TRIM(colname) AS column_name,
             TRIM(err_reason) AS error_message, TRIM(raw_field_value) AS column_value, starttime
      FROM stl_load_errors) e
WHERE {{files}}
ORDER BY e.starttime DESC
LIMIT 20;

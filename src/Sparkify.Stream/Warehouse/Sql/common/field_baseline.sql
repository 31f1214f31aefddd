-- The schema-drift baseline: per kind, the valid records of every loaded file (its '*' row), and per contract
-- field how many of them lacked the field or held null (a field every record of a file had has no row there).
-- Small (kinds x fields), whatever the history's size. {{null_count}}: the history's null-count column, by the name
-- has_field_counts found (a stager may read a warehouse that an older release made and no load has upgraded yet).
SELECT kind, field, CAST(SUM(records) AS BIGINT), CAST(SUM(missing + {{null_count}}) AS BIGINT)
FROM sparkify_field_counts
WHERE in_contract = 1
GROUP BY kind, field

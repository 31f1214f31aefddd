-- The schema-drift baseline: for each contract field, the valid records of every loaded file and how many of them
-- lacked the field or held null. Small (kinds x fields), whatever the history's size.
SELECT kind, field, CAST(SUM(records) AS BIGINT), CAST(SUM(missing + nulls) AS BIGINT)
FROM sparkify_field_counts
WHERE in_contract = 1
GROUP BY kind, field

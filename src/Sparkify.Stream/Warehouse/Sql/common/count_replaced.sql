-- backfill --replace: the songplays whose start_time falls in the range, from whatever source or file they came;
-- the run says how many before its load deletes them.
SELECT COUNT(*) AS songplays
FROM songplays
WHERE start_time >= {{replace_from}} AND start_time < {{replace_to}}

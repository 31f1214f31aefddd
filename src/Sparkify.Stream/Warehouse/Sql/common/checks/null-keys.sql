-- description: No NULL keys in the star schema
-- (Each check sums counts in a FROM clause rather than adding scalar subqueries in a FROM-less select: a query
-- without FROM is one Redshift may plan on its leader node alone, and this form is plain SQL on every target.)
SELECT CAST(SUM(n) AS BIGINT) AS violations
FROM (SELECT COUNT(*) AS n FROM songplays WHERE songplay_id IS NULL OR start_time IS NULL OR user_id IS NULL
      UNION ALL SELECT COUNT(*) FROM users WHERE user_id IS NULL
      UNION ALL SELECT COUNT(*) FROM songs WHERE song_id IS NULL
      UNION ALL SELECT COUNT(*) FROM artists WHERE artist_id IS NULL
      UNION ALL SELECT COUNT(*) FROM "time" WHERE start_time IS NULL) c;

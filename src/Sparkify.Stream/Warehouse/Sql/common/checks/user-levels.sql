-- description: User and songplay levels are 'free' or 'paid'
SELECT CAST(SUM(n) AS BIGINT) AS violations
FROM (SELECT COUNT(*) AS n FROM users WHERE level IS NULL OR level NOT IN ('free', 'paid')
      UNION ALL SELECT COUNT(*) FROM songplays WHERE level IS NULL OR level NOT IN ('free', 'paid')) c;

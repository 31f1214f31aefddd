-- description: Every songplay has its time row, and every time row a songplay
SELECT CAST(SUM(n) AS BIGINT) AS violations
FROM (SELECT COUNT(*) AS n FROM songplays sp LEFT JOIN "time" t ON t.start_time = sp.start_time
      WHERE t.start_time IS NULL
      UNION ALL
      SELECT COUNT(*) FROM "time" t LEFT JOIN (SELECT DISTINCT start_time FROM songplays) sp
             ON sp.start_time = t.start_time
      WHERE sp.start_time IS NULL) c;

-- description: Primary keys are unique
SELECT CAST(SUM(n) AS BIGINT) AS violations
FROM (SELECT COUNT(*) - COUNT(DISTINCT songplay_id) AS n FROM songplays
      UNION ALL SELECT COUNT(*) - COUNT(DISTINCT user_id) FROM users
      UNION ALL SELECT COUNT(*) - COUNT(DISTINCT song_id) FROM songs
      UNION ALL SELECT COUNT(*) - COUNT(DISTINCT artist_id) FROM artists
      UNION ALL SELECT COUNT(*) - COUNT(DISTINCT start_time) FROM "time") c;

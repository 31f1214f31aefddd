-- description: Matched songplays point at existing songs, artists and users
SELECT CAST(SUM(n) AS BIGINT) AS violations
FROM (SELECT COUNT(*) AS n FROM songplays sp LEFT JOIN songs s ON s.song_id = sp.song_id
      WHERE sp.song_id IS NOT NULL AND s.song_id IS NULL
      UNION ALL
      SELECT COUNT(*) FROM songplays sp LEFT JOIN artists a ON a.artist_id = sp.artist_id
      WHERE sp.artist_id IS NOT NULL AND a.artist_id IS NULL
      UNION ALL
      SELECT COUNT(*) FROM songplays sp LEFT JOIN users u ON u.user_id = sp.user_id
      WHERE u.user_id IS NULL) c;

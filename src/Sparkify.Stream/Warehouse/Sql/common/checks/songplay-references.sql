-- description: Matched songplays point at existing songs, artists and users
SELECT (SELECT COUNT(*) FROM songplays sp WHERE sp.song_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM songs s WHERE s.song_id = sp.song_id))
     + (SELECT COUNT(*) FROM songplays sp WHERE sp.artist_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM artists a WHERE a.artist_id = sp.artist_id))
     + (SELECT COUNT(*) FROM songplays sp WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = sp.user_id))
       AS violations;

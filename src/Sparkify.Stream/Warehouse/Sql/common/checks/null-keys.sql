-- description: No NULL keys in the star schema
SELECT (SELECT COUNT(*) FROM songplays WHERE songplay_id IS NULL OR start_time IS NULL OR user_id IS NULL)
     + (SELECT COUNT(*) FROM users WHERE user_id IS NULL)
     + (SELECT COUNT(*) FROM songs WHERE song_id IS NULL)
     + (SELECT COUNT(*) FROM artists WHERE artist_id IS NULL)
     + (SELECT COUNT(*) FROM "time" WHERE start_time IS NULL) AS violations;

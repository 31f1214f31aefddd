-- description: Primary keys are unique
SELECT (SELECT COUNT(*) - COUNT(DISTINCT songplay_id) FROM songplays)
     + (SELECT COUNT(*) - COUNT(DISTINCT user_id) FROM users)
     + (SELECT COUNT(*) - COUNT(DISTINCT song_id) FROM songs)
     + (SELECT COUNT(*) - COUNT(DISTINCT artist_id) FROM artists)
     + (SELECT COUNT(*) - COUNT(DISTINCT start_time) FROM "time") AS violations;

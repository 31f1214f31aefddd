-- metric: songs.updated
UPDATE songs
SET title = r.title, artist_id = r.artist_id, year = r.year, duration = r.duration
FROM run_songs r
WHERE songs.song_id = r.song_id
  AND ({{distinct(songs.title, r.title)}} OR {{distinct(songs.artist_id, r.artist_id)}}
       OR {{distinct(songs.year, r.year)}} OR {{distinct(songs.duration, r.duration)}});

-- metric: songs.inserted
INSERT INTO songs (song_id, title, artist_id, year, duration)
SELECT r.song_id, r.title, r.artist_id, r.year, r.duration
FROM run_songs r
WHERE NOT EXISTS (SELECT 1 FROM songs s WHERE s.song_id = r.song_id);

-- description: Most played songs (plays matched to a song in the catalogue)
SELECT s.title, a.name AS artist, COUNT(*) AS plays
FROM songplays sp
JOIN songs s ON s.song_id = sp.song_id
LEFT JOIN artists a ON a.artist_id = sp.artist_id
GROUP BY s.title, a.name
ORDER BY plays DESC, s.title, artist
LIMIT {{limit}};

-- description: Most played artists (plays matched to a song in the catalogue)
SELECT a.name AS artist, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS listeners
FROM songplays sp
JOIN artists a ON a.artist_id = sp.artist_id
GROUP BY a.name
ORDER BY plays DESC, artist
LIMIT {{limit}};

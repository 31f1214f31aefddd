-- description: Free vs paid plays (the level at the time of each play)
SELECT sp.level, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS users
FROM songplays sp
GROUP BY sp.level
ORDER BY sp.level
LIMIT {{limit}};

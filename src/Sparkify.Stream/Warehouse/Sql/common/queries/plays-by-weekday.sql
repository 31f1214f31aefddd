-- description: Plays per weekday (0 = Sunday … 6 = Saturday)
SELECT t.weekday, COUNT(*) AS plays
FROM songplays sp
JOIN "time" t ON t.start_time = sp.start_time
GROUP BY t.weekday
ORDER BY t.weekday
LIMIT {{limit}};

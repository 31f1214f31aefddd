-- description: Sessions with the most plays
SELECT sp.session_id, sp.user_id, COUNT(*) AS plays, MIN(sp.start_time) AS started, MAX(sp.start_time) AS ended
FROM songplays sp
GROUP BY sp.session_id, sp.user_id
ORDER BY plays DESC, sp.session_id, sp.user_id
LIMIT {{limit}};

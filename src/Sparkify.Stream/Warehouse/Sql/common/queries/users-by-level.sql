-- description: Users by their current level
SELECT u.level, COUNT(*) AS users
FROM users u
GROUP BY u.level
ORDER BY u.level
LIMIT {{limit}};

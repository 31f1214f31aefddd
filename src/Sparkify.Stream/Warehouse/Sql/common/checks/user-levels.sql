-- description: User and songplay levels are 'free' or 'paid'
SELECT (SELECT COUNT(*) FROM users WHERE level IS NULL OR level NOT IN ('free', 'paid'))
     + (SELECT COUNT(*) FROM songplays WHERE level IS NULL OR level NOT IN ('free', 'paid')) AS violations;

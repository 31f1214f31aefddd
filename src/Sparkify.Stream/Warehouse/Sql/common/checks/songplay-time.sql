-- description: Every songplay has its time row, and every time row a songplay
SELECT (SELECT COUNT(*) FROM songplays sp WHERE NOT EXISTS (SELECT 1 FROM "time" t WHERE t.start_time = sp.start_time))
     + (SELECT COUNT(*) FROM "time" t WHERE NOT EXISTS (SELECT 1 FROM songplays sp WHERE sp.start_time = t.start_time))
       AS violations;

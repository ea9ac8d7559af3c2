-- The latest dated fact of a programme per source (the as-of default is the latest of them,
-- capped at today: METRICS.md "As-of date").
-- Parameters: :programme.
SELECT 'expenditures' AS source, MAX(date) AS latest FROM expenditures WHERE programme_code = :programme
UNION ALL
SELECT 'receipts', MAX(r.date)
FROM receipts r JOIN grants g ON g.code = r.grant_code
WHERE g.programme_code = :programme
UNION ALL
SELECT 'measurements', MAX(period_end) FROM measurements WHERE programme_code = :programme
UNION ALL
SELECT 'sessions', MAX(end_date) FROM sessions WHERE programme_code = :programme

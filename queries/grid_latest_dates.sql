-- The latest dated fact of each programme per source, for many programmes at once (the grouped
-- form of latest_dates.sql: the as-of default of each programme is the latest of them, capped).
-- Parameters: :programmes (list of codes).
SELECT programme_code, MAX(date) AS latest FROM expenditures
WHERE programme_code IN :programmes GROUP BY programme_code
UNION ALL
SELECT g.programme_code, MAX(r.date)
FROM receipts r JOIN grants g ON g.code = r.grant_code
WHERE g.programme_code IN :programmes GROUP BY g.programme_code
UNION ALL
SELECT programme_code, MAX(period_end) FROM measurements
WHERE programme_code IN :programmes GROUP BY programme_code
UNION ALL
SELECT programme_code, MAX(end_date) FROM sessions
WHERE programme_code IN :programmes GROUP BY programme_code

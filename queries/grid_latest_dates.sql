-- The latest dated fact of each programme per source, for many programmes at once (the grouped
-- form of latest_dates.sql: the as-of default of each programme is the latest of them, capped).
-- One correlated MAX per programme and source: an index seek each (ix_expenditures_monthly
-- starts with programme_code, date), never a read of every expenditure.
-- Parameters: :programmes (list of codes).
SELECT p.code AS programme_code,
       (SELECT MAX(e.date) FROM expenditures e WHERE e.programme_code = p.code) AS latest
FROM programmes p WHERE p.code IN :programmes
UNION ALL
SELECT p.code, (SELECT MAX(r.date) FROM receipts r JOIN grants g ON g.code = r.grant_code
                WHERE g.programme_code = p.code)
FROM programmes p WHERE p.code IN :programmes
UNION ALL
SELECT p.code, (SELECT MAX(m.period_end) FROM measurements m WHERE m.programme_code = p.code)
FROM programmes p WHERE p.code IN :programmes
UNION ALL
SELECT p.code, (SELECT MAX(s.end_date) FROM sessions s WHERE s.programme_code = p.code)
FROM programmes p WHERE p.code IN :programmes

-- Per programme, the countries of its sessions started by the programme's as-of date
-- ('' = regional / online sessions).
-- Parameters: :asof (rows: programme code, as-of date).
WITH asof(programme_code, as_of) AS (:asof)
SELECT DISTINCT s.programme_code, COALESCE(s.country_iso3, '') AS country_iso3
FROM sessions s
JOIN asof x ON x.programme_code = s.programme_code AND s.start_date <= x.as_of
ORDER BY 1, 2

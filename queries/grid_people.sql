-- Per programme and country of its sessions started by the programme's as-of date: distinct
-- participants (0 for sessions without attendance; '' = regional / online sessions).
-- Parameters: :asof (rows: programme code, as-of date).
WITH asof(programme_code, as_of) AS (:asof)
SELECT s.programme_code, COALESCE(s.country_iso3, '') AS country_iso3,
       COUNT(DISTINCT a.participant_key) AS participants
FROM sessions s
JOIN asof x ON x.programme_code = s.programme_code AND s.start_date <= x.as_of
LEFT JOIN attendance a ON a.session_code = s.code
GROUP BY s.programme_code, COALESCE(s.country_iso3, '')
ORDER BY 1, 2

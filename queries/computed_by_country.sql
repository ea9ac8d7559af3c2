-- Figures of a computed indicator per country: sessions linked to the given logframe nodes (the
-- indicator's node and every node below it) started by the as-of date, their distinct
-- participants and distinct organisations ('' = regional / online sessions).
-- Parameters: :programme, :as_of, :nodes (list of logframe codes).
SELECT COALESCE(s.country_iso3, '') AS country_iso3,
       COUNT(DISTINCT s.code) AS sessions,
       COUNT(DISTINCT a.participant_key) AS participants,
       COUNT(DISTINCT a.organisation_code) AS organisations
FROM sessions s
LEFT JOIN attendance a ON a.session_code = s.code
WHERE s.programme_code = :programme
  AND s.start_date <= :as_of
  AND s.logframe_code IN :nodes
GROUP BY COALESCE(s.country_iso3, '')
ORDER BY 1

-- Distinct participants per country of the sessions they attended (a person counts in every
-- country where they attended; '' = regional / online sessions).
-- Parameters: :programme, :as_of.
SELECT COALESCE(s.country_iso3, '') AS country_iso3, COUNT(DISTINCT a.participant_key) AS participants
FROM sessions s
JOIN attendance a ON a.session_code = s.code
WHERE s.programme_code = :programme
  AND s.start_date <= :as_of
GROUP BY COALESCE(s.country_iso3, '')
ORDER BY 1

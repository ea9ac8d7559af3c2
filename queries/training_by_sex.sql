-- Distinct participants of the selected sessions by sex; a participant's sex is the non-blank
-- value of any of their attendance rows in sessions (of any programme) started on or before the
-- as-of date ('' = unknown): a row dated later never changes a figure as of that date.
-- Parameters: :programme, :as_of, :all_countries, :countries.
WITH people AS (
    SELECT DISTINCT a.participant_key
    FROM attendance a
    JOIN sessions s ON s.code = a.session_code
    WHERE s.programme_code = :programme
      AND s.start_date <= :as_of
      AND (:all_countries = 1 OR s.country_iso3 IN :countries)
), known AS (
    SELECT k.participant_key, MAX(k.sex) AS sex
    FROM attendance k
    JOIN sessions ks ON ks.code = k.session_code
    WHERE k.sex IS NOT NULL
      AND ks.start_date <= :as_of
      AND k.participant_key IN (SELECT participant_key FROM people)
    GROUP BY k.participant_key
)
SELECT COALESCE(known.sex, '') AS sex, COUNT(*) AS participants
FROM people
LEFT JOIN known ON known.participant_key = people.participant_key
GROUP BY COALESCE(known.sex, '')
ORDER BY 1

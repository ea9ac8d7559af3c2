-- Sessions per country started by the as-of date ('' = regional / online), with the distinct
-- participants of each country's sessions (a person counts in every country where they attended,
-- so the rows may add up to more than the programme's total) and their participant-hours.
-- Parameters: :programme, :as_of, :all_countries (1 = every country), :countries (list of ISO3).
WITH sel AS (
    SELECT code, COALESCE(country_iso3, '') AS country_iso3, hours
    FROM sessions
    WHERE programme_code = :programme
      AND start_date <= :as_of
      AND (:all_countries = 1 OR country_iso3 IN :countries)
), people AS (
    SELECT sel.country_iso3, COUNT(DISTINCT a.participant_key) AS participants,
           SUM(sel.hours) AS participant_hours
    FROM attendance a
    JOIN sel ON sel.code = a.session_code
    GROUP BY sel.country_iso3
)
SELECT c.country_iso3, c.sessions, COALESCE(people.participants, 0) AS participants,
       COALESCE(people.participant_hours, 0) AS participant_hours
FROM (SELECT country_iso3, COUNT(*) AS sessions FROM sel GROUP BY country_iso3) c
LEFT JOIN people ON people.country_iso3 = c.country_iso3
ORDER BY c.country_iso3

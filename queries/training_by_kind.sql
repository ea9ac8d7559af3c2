-- Sessions per kind (training, workshop, ...) started by the as-of date in the chosen countries,
-- with the distinct participants of those sessions and their participant-hours.
-- Parameters: :programme, :as_of, :all_countries (1 = every country), :countries (list of ISO3).
WITH sel AS (
    SELECT code, kind, hours
    FROM sessions
    WHERE programme_code = :programme
      AND start_date <= :as_of
      AND (:all_countries = 1 OR country_iso3 IN :countries)
), people AS (
    SELECT sel.kind, COUNT(DISTINCT a.participant_key) AS participants, SUM(sel.hours) AS participant_hours
    FROM attendance a
    JOIN sel ON sel.code = a.session_code
    GROUP BY sel.kind
)
SELECT k.kind, k.sessions, COALESCE(people.participants, 0) AS participants,
       COALESCE(people.participant_hours, 0) AS participant_hours
FROM (SELECT kind, COUNT(*) AS sessions FROM sel GROUP BY kind) k
LEFT JOIN people ON people.kind = k.kind
ORDER BY k.sessions DESC, k.kind

-- Training reach of a programme up to the as-of date: sessions started, attendance rows,
-- distinct participants and organisations, participant-hours, repeat participants.
-- Parameters: :programme, :as_of, :all_countries (1 = every country), :countries (list).
WITH sel AS (
    SELECT code, hours
    FROM sessions
    WHERE programme_code = :programme
      AND start_date <= :as_of
      AND (:all_countries = 1 OR country_iso3 IN :countries)
), att AS (
    SELECT a.participant_key, a.organisation_code, sel.hours
    FROM attendance a
    JOIN sel ON sel.code = a.session_code
)
SELECT (SELECT COUNT(*) FROM sel) AS sessions,
       (SELECT COUNT(*) FROM att) AS attendances,
       (SELECT COUNT(DISTINCT participant_key) FROM att) AS participants,
       (SELECT COUNT(DISTINCT organisation_code) FROM att) AS organisations,
       (SELECT COALESCE(SUM(hours), 0) FROM att) AS participant_hours,
       (SELECT COUNT(*) FROM (SELECT participant_key FROM att GROUP BY participant_key
                              HAVING COUNT(*) >= 2) rep) AS repeat_participants

-- Training reach of a programme up to the as-of date: sessions started, attendance rows,
-- distinct participants and organisations, participant-hours, repeat participants.
-- One pass over the selected attendance rows for the row figures, one grouping by participant
-- for the people figures (participants, and repeat participants: two rows or more).
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
), rows_ AS (
    SELECT COUNT(*) AS attendances, COUNT(DISTINCT organisation_code) AS organisations,
           COALESCE(SUM(hours), 0) AS participant_hours
    FROM att
), people AS (
    SELECT COUNT(*) AS participants, COALESCE(SUM(CASE WHEN rows_per_person >= 2 THEN 1 ELSE 0 END), 0)
           AS repeat_participants
    FROM (SELECT participant_key, COUNT(*) AS rows_per_person FROM att GROUP BY participant_key) per_person
)
SELECT (SELECT COUNT(*) FROM sel) AS sessions, rows_.attendances, people.participants, rows_.organisations,
       rows_.participant_hours, people.repeat_participants
FROM rows_, people

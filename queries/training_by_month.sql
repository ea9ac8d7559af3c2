-- Per month with a session started by the as-of date (chosen countries; year/month stored at
-- import): sessions, attendance rows, distinct participants of the month, participant-hours, and
-- new participants (those whose first session of the selection is in that month: their running
-- sum is the distinct participants reached so far).
-- Parameters: :programme, :as_of, :all_countries (1 = every country), :countries (list of ISO3).
WITH sel AS (
    SELECT code, year, month, hours
    FROM sessions
    WHERE programme_code = :programme
      AND start_date <= :as_of
      AND (:all_countries = 1 OR country_iso3 IN :countries)
), att AS (
    SELECT a.participant_key, sel.year * 100 + sel.month AS ym, sel.hours
    FROM attendance a
    JOIN sel ON sel.code = a.session_code
), monthly AS (
    SELECT ym, COUNT(*) AS attendances, COUNT(DISTINCT participant_key) AS participants,
           SUM(hours) AS participant_hours
    FROM att
    GROUP BY ym
), firsts AS (
    SELECT first_month, COUNT(*) AS new_participants
    FROM (SELECT participant_key, MIN(ym) AS first_month FROM att GROUP BY participant_key) f
    GROUP BY first_month
)
SELECT s.year, s.month, s.sessions, COALESCE(monthly.attendances, 0) AS attendances,
       COALESCE(monthly.participants, 0) AS participants,
       COALESCE(monthly.participant_hours, 0) AS participant_hours,
       COALESCE(firsts.new_participants, 0) AS new_participants
FROM (SELECT year, month, COUNT(*) AS sessions FROM sel GROUP BY year, month) s
LEFT JOIN monthly ON monthly.ym = s.year * 100 + s.month
LEFT JOIN firsts ON firsts.first_month = s.year * 100 + s.month
ORDER BY s.year, s.month

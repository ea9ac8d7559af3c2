-- One row per session of the programme started by the as-of date (in the chosen countries), with
-- its participants counted in SQL (attendance rows of the session = its distinct participants).
-- The base of the session table and of the map: the attendance table itself never leaves SQL.
-- Parameters: :programme, :as_of, :all_countries (1 = every country), :countries (list of ISO3).
SELECT s.code, s.title, s.kind, COALESCE(s.country_iso3, '') AS country_iso3, s.city,
       s.latitude, s.longitude, s.start_date, s.end_date, s.year, s.month, s.hours,
       COALESCE(s.theme, '') AS theme, s.logframe_code,
       (SELECT COUNT(*) FROM attendance a WHERE a.session_code = s.code) AS participants
FROM sessions s
WHERE s.programme_code = :programme
  AND s.start_date <= :as_of
  AND (:all_countries = 1 OR s.country_iso3 IN :countries)
ORDER BY s.start_date, s.code

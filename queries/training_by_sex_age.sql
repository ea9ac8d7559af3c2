-- Distinct participants of the selected sessions by sex and age band ('' = unknown). The sex is
-- the non-blank value of any of the participant's attendance rows in sessions (of any programme)
-- started on or before the as-of date (as in training_by_sex); the age band is the one recorded at their most recent selected session that
-- has one (latest start date, then session code).
-- Parameters: :programme, :as_of, :all_countries (1 = every country), :countries (list of ISO3).
WITH sel AS (
    SELECT code, start_date
    FROM sessions
    WHERE programme_code = :programme
      AND start_date <= :as_of
      AND (:all_countries = 1 OR country_iso3 IN :countries)
), att AS (
    SELECT a.participant_key, a.age_band, sel.start_date, sel.code
    FROM attendance a
    JOIN sel ON sel.code = a.session_code
), people AS (
    SELECT DISTINCT participant_key FROM att
), ages AS (
    SELECT participant_key, age_band
    FROM (SELECT participant_key, age_band,
                 ROW_NUMBER() OVER (PARTITION BY participant_key ORDER BY start_date DESC, code DESC) AS pos
          FROM att
          WHERE age_band IS NOT NULL) ranked
    WHERE pos = 1
), known AS (
    SELECT k.participant_key, MAX(k.sex) AS sex
    FROM attendance k
    JOIN sessions ks ON ks.code = k.session_code
    WHERE k.sex IS NOT NULL
      AND ks.start_date <= :as_of
      AND k.participant_key IN (SELECT participant_key FROM people)
    GROUP BY k.participant_key
)
SELECT COALESCE(known.sex, '') AS sex, COALESCE(ages.age_band, '') AS age_band, COUNT(*) AS participants
FROM people
LEFT JOIN known ON known.participant_key = people.participant_key
LEFT JOIN ages ON ages.participant_key = people.participant_key
GROUP BY COALESCE(known.sex, ''), COALESCE(ages.age_band, '')
ORDER BY 1, 2

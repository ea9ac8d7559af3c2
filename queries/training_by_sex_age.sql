-- Distinct participants of the selected sessions by sex and age band ('' = unknown). The sex is
-- the non-blank value of any of the participant's attendance rows in sessions (of any programme)
-- started on or before the as-of date (as in training_by_sex); the age band is the one recorded
-- at their most recent selected session that has one (latest start date, then session code).
-- Parameters: :programme, :as_of, :all_countries (1 = every country), :countries (list of ISO3).
-- ``person``: one row per participant, their first selected row in the order "has an age band,
-- latest start date, greatest session code" (it carries that age band, or none when no row of
-- theirs has one). The sex is looked up per person in the covering index of migration 0009;
-- "dated by the as-of date" is "not in a session started after it" (one set of codes, usually
-- small, instead of a look-up of each row's session).
WITH sel AS (
    SELECT code, start_date
    FROM sessions
    WHERE programme_code = :programme
      AND start_date <= :as_of
      AND (:all_countries = 1 OR country_iso3 IN :countries)
), person AS (
    SELECT participant_key, age_band
    FROM (SELECT a.participant_key, a.age_band,
                 ROW_NUMBER() OVER (PARTITION BY a.participant_key
                                    ORDER BY CASE WHEN a.age_band IS NULL THEN 1 ELSE 0 END,
                                             sel.start_date DESC, sel.code DESC) AS pos
          FROM attendance a
          JOIN sel ON sel.code = a.session_code) ranked
    WHERE pos = 1
), known AS (
    SELECT person.age_band,
           (SELECT MAX(k.sex)
            FROM attendance k
            WHERE k.participant_key = person.participant_key
              AND k.sex IS NOT NULL
              AND k.session_code NOT IN (SELECT code FROM sessions WHERE start_date > :as_of)) AS sex
    FROM person
)
SELECT COALESCE(sex, '') AS sex, COALESCE(age_band, '') AS age_band, COUNT(*) AS participants
FROM known
GROUP BY COALESCE(sex, ''), COALESCE(age_band, '')
ORDER BY 1, 2

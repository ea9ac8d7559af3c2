-- Distinct organisations that sent participants to the selected sessions, per organisation type,
-- with the distinct participants who attended on behalf of an organisation of that type (a person
-- who came for two types counts in both; people without organisation are in no type).
-- The (organisation, participant) pairs are made distinct first: each organisation's type is then
-- looked up once per pair instead of once per attendance row.
-- Parameters: :programme, :as_of, :all_countries (1 = every country), :countries (list of ISO3).
WITH sel AS (
    SELECT code
    FROM sessions
    WHERE programme_code = :programme
      AND start_date <= :as_of
      AND (:all_countries = 1 OR country_iso3 IN :countries)
), pairs AS (
    SELECT DISTINCT a.organisation_code, a.participant_key
    FROM attendance a
    JOIN sel ON sel.code = a.session_code
    WHERE a.organisation_code IS NOT NULL
)
SELECT o.type AS organisation_type, COUNT(DISTINCT pairs.organisation_code) AS organisations,
       COUNT(DISTINCT pairs.participant_key) AS participants
FROM pairs
JOIN organisations o ON o.code = pairs.organisation_code
GROUP BY o.type
ORDER BY organisations DESC, o.type

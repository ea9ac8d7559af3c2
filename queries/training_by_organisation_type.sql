-- Distinct organisations that sent participants to the selected sessions, per organisation type,
-- with the distinct participants who attended on behalf of an organisation of that type (a person
-- who came for two types counts in both; people without organisation are in no type).
-- Parameters: :programme, :as_of, :all_countries (1 = every country), :countries (list of ISO3).
WITH sel AS (
    SELECT code
    FROM sessions
    WHERE programme_code = :programme
      AND start_date <= :as_of
      AND (:all_countries = 1 OR country_iso3 IN :countries)
)
SELECT o.type AS organisation_type, COUNT(DISTINCT a.organisation_code) AS organisations,
       COUNT(DISTINCT a.participant_key) AS participants
FROM attendance a
JOIN sel ON sel.code = a.session_code
JOIN organisations o ON o.code = a.organisation_code
GROUP BY o.type
ORDER BY organisations DESC, o.type

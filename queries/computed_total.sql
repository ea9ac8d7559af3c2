-- Figures of a computed indicator over all countries (its regional row): distinct counts are not
-- additive, so they are counted again rather than summed from computed_by_country.
-- Parameters: :programme, :as_of, :nodes (list of logframe codes).
SELECT COUNT(DISTINCT s.code) AS sessions,
       COUNT(DISTINCT a.participant_key) AS participants,
       COUNT(DISTINCT a.organisation_code) AS organisations
FROM sessions s
LEFT JOIN attendance a ON a.session_code = s.code
WHERE s.programme_code = :programme
  AND s.start_date <= :as_of
  AND s.logframe_code IN :nodes

-- Signed funding per funder up to the as-of date, in EUR (in kind included): the funding base
-- of the diversification figures, for one programme or the whole organisation.
-- Parameters: :as_of, :all_programmes (1 = organisation), :programme.
SELECT g.funder_code, f.type AS funder_type, f.name AS funder_name, SUM(g.amount_eur) AS amount_eur
FROM grants g
JOIN funders f ON f.code = g.funder_code
WHERE g.status = 'signed'
  AND g.signed_date <= :as_of
  AND (:all_programmes = 1 OR g.programme_code = :programme)
GROUP BY g.funder_code, f.type, f.name
ORDER BY g.funder_code

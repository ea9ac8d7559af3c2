-- Signed grants ending after the as-of date and on or before a cut-off, that have no signed
-- successor: no other grant of the same funder signed by the as-of date and ending later.
-- Parameters: :all_programmes (1 = organisation), :programme, :as_of, :cutoff.
SELECT g.code, g.programme_code, g.funder_code, f.name AS funder_name, g.end_date, g.amount_eur
FROM grants g
JOIN funders f ON f.code = g.funder_code
WHERE (:all_programmes = 1 OR g.programme_code = :programme)
  AND g.status = 'signed'
  AND g.signed_date <= :as_of
  AND g.end_date > :as_of
  AND g.end_date <= :cutoff
  AND NOT EXISTS (
      SELECT 1 FROM grants n
      WHERE n.funder_code = g.funder_code
        AND n.code <> g.code
        AND n.status = 'signed'
        AND n.signed_date <= :as_of
        AND n.end_date > g.end_date
  )
ORDER BY g.end_date, g.code

-- Cash received per month up to the as-of date on the programme's grants, in EUR.
-- Parameters: :programme, :as_of.
SELECT r.year, r.month, SUM(r.amount_eur) AS received_eur
FROM receipts r
JOIN grants g ON g.code = r.grant_code
WHERE g.programme_code = :programme
  AND r.date <= :as_of
GROUP BY r.year, r.month
ORDER BY r.year, r.month

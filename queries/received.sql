-- Cash received up to the as-of date on any grant of the programme, in EUR.
-- Parameters: :programme, :as_of.
SELECT COALESCE(SUM(r.amount_eur), 0) AS received_eur
FROM receipts r
JOIN grants g ON g.code = r.grant_code
WHERE g.programme_code = :programme
  AND r.date <= :as_of

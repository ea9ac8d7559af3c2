-- Prospects and submitted applications: raw and probability-weighted amounts in EUR. Future
-- money, so the as-of date does not filter it. Default probabilities: prospect 0.25, submitted 0.5.
-- Parameters: :all_programmes (1 = organisation), :programme.
SELECT g.status,
       COUNT(*) AS grants,
       COALESCE(SUM(g.amount_eur), 0) AS amount_eur,
       COALESCE(SUM(g.amount_eur * COALESCE(g.probability,
                    CASE g.status WHEN 'prospect' THEN 0.25 ELSE 0.5 END)), 0) AS weighted_eur
FROM grants g
WHERE g.status IN ('prospect', 'submitted')
  AND (:all_programmes = 1 OR g.programme_code = :programme)
GROUP BY g.status
ORDER BY g.status

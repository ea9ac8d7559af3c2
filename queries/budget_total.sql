-- Total budget in EUR of one programme or of the whole organisation (all budget lines).
-- Parameters: :all_programmes (1 = organisation), :programme.
SELECT COALESCE(SUM(amount_eur), 0) AS budget_eur
FROM budget_lines
WHERE (:all_programmes = 1 OR programme_code = :programme)

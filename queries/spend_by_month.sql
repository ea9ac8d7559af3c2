-- Spending per month up to the as-of date, in EUR, for the budget lines of the chosen countries
-- (year and month are stored at import: no date function in SQL). Read from the covering index
-- ix_expenditures_monthly; the budget lines are only consulted when countries are chosen.
-- Parameters: :programme, :as_of, :all_countries (1 = every line), :countries (list of ISO3).
SELECT e.year, e.month, SUM(e.amount_eur) AS spent_eur
FROM expenditures e
WHERE e.programme_code = :programme
  AND e.date <= :as_of
  AND (:all_countries = 1 OR e.budget_line_code IN (
          SELECT bl.code FROM budget_lines bl
          WHERE bl.programme_code = :programme AND bl.country_iso3 IN :countries))
GROUP BY e.year, e.month
ORDER BY e.year, e.month

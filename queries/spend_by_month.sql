-- Spending per month up to the as-of date, in EUR, for the budget lines of the chosen countries
-- (year and month are stored at import: no date function in SQL).
-- Parameters: :programme, :as_of, :all_countries (1 = every line), :countries (list of ISO3).
SELECT e.year, e.month, SUM(e.amount_eur) AS spent_eur
FROM expenditures e
JOIN budget_lines bl ON bl.programme_code = e.programme_code AND bl.code = e.budget_line_code
WHERE e.programme_code = :programme
  AND e.date <= :as_of
  AND (:all_countries = 1 OR bl.country_iso3 IN :countries)
GROUP BY e.year, e.month
ORDER BY e.year, e.month

-- Budget lines of a programme with what was spent on each up to the as-of date, in EUR
-- (expenditures aggregated in SQL; one row per budget line).
-- Parameters: :programme, :as_of, :all_countries (1 = every line), :countries (list of ISO3).
SELECT bl.code, bl.country_iso3, bl.category, bl.logframe_code, bl.label,
       bl.amount, bl.currency, bl.amount_eur,
       COALESCE(sp.spent_eur, 0) AS spent_eur,
       COALESCE(sp.vouchers, 0) AS vouchers
FROM budget_lines bl
LEFT JOIN (
    SELECT budget_line_code, SUM(amount_eur) AS spent_eur, COUNT(*) AS vouchers
    FROM expenditures
    WHERE programme_code = :programme AND date <= :as_of
    GROUP BY budget_line_code
) sp ON sp.budget_line_code = bl.code
WHERE bl.programme_code = :programme
  AND (:all_countries = 1 OR bl.country_iso3 IN :countries)
ORDER BY bl.code

-- Budget lines of a programme with what was spent on each up to the as-of date, in EUR
-- (expenditures aggregated in SQL; one row per budget line). spent_local sums the vouchers in
-- the line's own currency; foreign_vouchers counts those in another currency.
-- Parameters: :programme, :as_of, :all_countries (1 = every line), :countries (list of ISO3).
SELECT bl.code, bl.country_iso3, bl.category, bl.logframe_code, bl.label,
       bl.amount, bl.currency, bl.amount_eur,
       COALESCE(sp.spent_eur, 0) AS spent_eur,
       COALESCE(sp.spent_local, 0) AS spent_local,
       COALESCE(sp.vouchers, 0) AS vouchers,
       COALESCE(sp.foreign_vouchers, 0) AS foreign_vouchers
FROM budget_lines bl
LEFT JOIN (
    SELECT e.budget_line_code,
           SUM(e.amount_eur) AS spent_eur,
           SUM(CASE WHEN e.currency = l.currency THEN e.amount ELSE 0 END) AS spent_local,
           COUNT(*) AS vouchers,
           SUM(CASE WHEN e.currency = l.currency THEN 0 ELSE 1 END) AS foreign_vouchers
    FROM expenditures e
    JOIN budget_lines l ON l.programme_code = e.programme_code AND l.code = e.budget_line_code
    WHERE e.programme_code = :programme AND e.date <= :as_of
    GROUP BY e.budget_line_code
) sp ON sp.budget_line_code = bl.code
WHERE bl.programme_code = :programme
  AND (:all_countries = 1 OR bl.country_iso3 IN :countries)
ORDER BY bl.code

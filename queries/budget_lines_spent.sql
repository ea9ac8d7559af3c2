-- Budget lines of a programme with what was spent on each up to the as-of date, in EUR
-- (expenditures aggregated in SQL; one row per budget line). spent_local sums the vouchers in
-- the line's own currency; foreign_vouchers counts those in another currency.
-- Expenditures are first summed per line and currency from the covering index
-- ix_expenditures_line_spent (no table lookup, no join per voucher), then matched to the lines.
-- Parameters: :programme, :as_of, :all_countries (1 = every line), :countries (list of ISO3).
SELECT bl.code, bl.country_iso3, bl.category, bl.logframe_code, bl.label,
       bl.amount, bl.currency, bl.amount_eur,
       COALESCE(SUM(sp.spent_eur), 0) AS spent_eur,
       COALESCE(SUM(CASE WHEN sp.currency = bl.currency THEN sp.spent_amount ELSE 0 END), 0) AS spent_local,
       CAST(COALESCE(SUM(sp.vouchers), 0) AS INTEGER) AS vouchers,
       CAST(COALESCE(SUM(CASE WHEN sp.currency = bl.currency THEN 0 ELSE sp.vouchers END), 0) AS INTEGER)
           AS foreign_vouchers
FROM budget_lines bl
LEFT JOIN (
    SELECT e.budget_line_code, e.currency,
           SUM(e.amount_eur) AS spent_eur, SUM(e.amount) AS spent_amount, COUNT(*) AS vouchers
    FROM expenditures e
    WHERE e.programme_code = :programme AND e.date <= :as_of
    GROUP BY e.budget_line_code, e.currency
) sp ON sp.budget_line_code = bl.code
WHERE bl.programme_code = :programme
  AND (:all_countries = 1 OR bl.country_iso3 IN :countries)
GROUP BY bl.code, bl.country_iso3, bl.category, bl.logframe_code, bl.label, bl.amount, bl.currency, bl.amount_eur
ORDER BY bl.code

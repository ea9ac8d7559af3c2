-- Budget (EUR) per programme and country ('' = regional lines), for the programmes of :asof
-- (its dates are not needed: budget lines are not dated).
-- Parameters: :asof (rows: programme code, as-of date).
WITH asof(programme_code, as_of) AS (:asof)
SELECT bl.programme_code, COALESCE(bl.country_iso3, '') AS country_iso3, SUM(bl.amount_eur) AS amount_eur
FROM budget_lines bl
JOIN asof a ON a.programme_code = bl.programme_code
GROUP BY bl.programme_code, COALESCE(bl.country_iso3, '')
ORDER BY 1, 2

-- Spent (EUR) per programme and country of the budget line, each programme up to its own as-of
-- date ('' = regional lines): the grouped form of budget_lines_spent.sql summed per country.
-- It reads every expenditure of every programme: the grid asks it only for a budget figure.
-- Parameters: :asof (rows: programme code, as-of date).
WITH asof(programme_code, as_of) AS (:asof),
spent AS (
    SELECT e.programme_code, e.budget_line_code, SUM(e.amount_eur) AS spent_eur
    FROM expenditures e
    JOIN asof a ON a.programme_code = e.programme_code AND e.date <= a.as_of
    GROUP BY e.programme_code, e.budget_line_code
)
SELECT bl.programme_code, COALESCE(bl.country_iso3, '') AS country_iso3, SUM(sp.spent_eur) AS spent_eur
FROM budget_lines bl
JOIN spent sp ON sp.programme_code = bl.programme_code AND sp.budget_line_code = bl.code
GROUP BY bl.programme_code, COALESCE(bl.country_iso3, '')
ORDER BY 1, 2

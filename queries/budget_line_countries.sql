-- Countries of a programme's budget lines (every line, whatever the date: those of
-- budget_lines_spent, without summing the expenditures).
-- Parameters: :programme.
SELECT DISTINCT country_iso3
FROM budget_lines
WHERE programme_code = :programme
  AND country_iso3 IS NOT NULL
ORDER BY 1

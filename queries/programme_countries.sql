-- Countries a programme works in: those of its budget lines, sessions, targets and measurements.
-- Parameters: :programme.
SELECT country_iso3 FROM budget_lines WHERE programme_code = :programme AND country_iso3 IS NOT NULL
UNION
SELECT country_iso3 FROM sessions WHERE programme_code = :programme AND country_iso3 IS NOT NULL
UNION
SELECT country_iso3 FROM targets WHERE programme_code = :programme AND country_iso3 <> ''
UNION
SELECT country_iso3 FROM measurements WHERE programme_code = :programme AND country_iso3 <> ''

-- The targets (milestones) of one indicator for the editing grid, with their version.
-- Parameters: :programme, :indicator.
SELECT country_iso3, period_end, target, version
FROM targets
WHERE programme_code = :programme
  AND indicator_code = :indicator
ORDER BY country_iso3, period_end

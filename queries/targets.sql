-- Cumulative milestones of every indicator of a programme ('' country = regional target).
-- Parameters: :programme.
SELECT indicator_code, country_iso3, period_end, target
FROM targets
WHERE programme_code = :programme
ORDER BY indicator_code, country_iso3, period_end

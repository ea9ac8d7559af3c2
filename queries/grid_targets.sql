-- Cumulative milestones of every indicator of many programmes ('' country = regional target).
-- Parameters: :programmes (list of codes).
SELECT programme_code, indicator_code, country_iso3, period_end, target
FROM targets
WHERE programme_code IN :programmes
ORDER BY programme_code, indicator_code, country_iso3, period_end

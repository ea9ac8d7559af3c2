-- The measurements of one indicator as the editing grid shows them, with their version (the
-- optimistic-concurrency token). '' country = regional.
-- Parameters: :programme, :indicator, :all_countries (1 = every country), :countries (list of ISO3).
SELECT country_iso3, period_end, value, source, comment, version
FROM measurements
WHERE programme_code = :programme
  AND indicator_code = :indicator
  AND (:all_countries = 1 OR country_iso3 IN :countries)
ORDER BY country_iso3, period_end

-- Countries where a programme has held sessions by the as-of date.
-- Parameters: :programme, :as_of.
SELECT DISTINCT COALESCE(country_iso3, '') AS country_iso3
FROM sessions
WHERE programme_code = :programme
  AND start_date <= :as_of
ORDER BY 1

-- Measurements up to the as-of date per indicator and country: the sum of values (for `sum`
-- indicators) and the value of the latest period_end (for `latest` indicators).
-- Parameters: :programme, :as_of.
WITH upto AS (
    SELECT indicator_code, country_iso3, period_end, value
    FROM measurements
    WHERE programme_code = :programme AND period_end <= :as_of
), agg AS (
    SELECT indicator_code, country_iso3, SUM(value) AS total, COUNT(*) AS n, MAX(period_end) AS last_period
    FROM upto
    GROUP BY indicator_code, country_iso3
)
SELECT agg.indicator_code, agg.country_iso3, agg.total, agg.n, agg.last_period, upto.value AS latest_value
FROM agg
JOIN upto ON upto.indicator_code = agg.indicator_code
         AND upto.country_iso3 = agg.country_iso3
         AND upto.period_end = agg.last_period
ORDER BY agg.indicator_code, agg.country_iso3

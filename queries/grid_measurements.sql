-- Measurements per programme, indicator and country up to each programme's as-of date: the sum
-- of values and the value of the latest period_end (grouped form of measurements_asof.sql).
-- Parameters: :asof (rows: programme code, as-of date).
WITH asof(programme_code, as_of) AS (:asof),
upto AS (
    SELECT m.programme_code, m.indicator_code, m.country_iso3, m.period_end, m.value
    FROM measurements m
    JOIN asof x ON x.programme_code = m.programme_code AND m.period_end <= x.as_of
), agg AS (
    SELECT programme_code, indicator_code, country_iso3, SUM(value) AS total, COUNT(*) AS n,
           MAX(period_end) AS last_period
    FROM upto
    GROUP BY programme_code, indicator_code, country_iso3
)
SELECT agg.programme_code, agg.indicator_code, agg.country_iso3, agg.total, agg.n, agg.last_period,
       upto.value AS latest_value
FROM agg
JOIN upto ON upto.programme_code = agg.programme_code
         AND upto.indicator_code = agg.indicator_code
         AND upto.country_iso3 = agg.country_iso3
         AND upto.period_end = agg.last_period
ORDER BY 1, 2, 3

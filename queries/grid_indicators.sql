-- Indicator definitions of many programmes.
-- Parameters: :programmes (list of codes).
SELECT programme_code, code, logframe_code, label, unit, direction, aggregation, baseline, computed_from
FROM indicators
WHERE programme_code IN :programmes
ORDER BY programme_code, code

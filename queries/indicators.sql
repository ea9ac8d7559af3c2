-- Indicator definitions of a programme.
-- Parameters: :programme.
SELECT code, logframe_code, label, unit, direction, aggregation, baseline, computed_from
FROM indicators
WHERE programme_code = :programme
ORDER BY code

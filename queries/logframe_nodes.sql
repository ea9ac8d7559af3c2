-- The logframe tree of a programme (goal > objectives > results > activities).
-- Parameters: :programme.
SELECT code, level, parent_code, title, description
FROM logframe
WHERE programme_code = :programme
ORDER BY code

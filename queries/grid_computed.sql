-- Figures of every computed indicator of many programmes per country: the sessions linked to the
-- indicator's logframe node or any node below it (recursive walk of the logframe), started by the
-- programme's as-of date, their distinct participants and organisations ('' = regional / online).
-- The grouped form of computed_by_country.sql.
-- Parameters: :asof (rows: programme code, as-of date).
WITH RECURSIVE asof(programme_code, as_of) AS (:asof),
tree(programme_code, root, code) AS (
    SELECT i.programme_code, i.logframe_code, i.logframe_code
    FROM indicators i
    JOIN asof x ON x.programme_code = i.programme_code
    WHERE i.computed_from IS NOT NULL
    UNION
    SELECT t.programme_code, t.root, l.code
    FROM logframe l
    JOIN tree t ON l.programme_code = t.programme_code AND l.parent_code = t.code
)
SELECT i.programme_code, i.code AS indicator_code, COALESCE(s.country_iso3, '') AS country_iso3,
       COUNT(DISTINCT s.code) AS sessions,
       COUNT(DISTINCT a.participant_key) AS participants,
       COUNT(DISTINCT a.organisation_code) AS organisations
FROM indicators i
JOIN asof x ON x.programme_code = i.programme_code
JOIN tree t ON t.programme_code = i.programme_code AND t.root = i.logframe_code
JOIN sessions s ON s.programme_code = i.programme_code AND s.logframe_code = t.code AND s.start_date <= x.as_of
LEFT JOIN attendance a ON a.session_code = s.code
WHERE i.computed_from IS NOT NULL
GROUP BY i.programme_code, i.code, COALESCE(s.country_iso3, '')
ORDER BY 1, 2, 3

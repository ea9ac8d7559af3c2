-- The figure of every computed indicator of many programmes per country: the sessions linked to
-- the indicator's logframe node or any node below it (recursive walk of the logframe), started by
-- the programme's as-of date, and of them the one figure the indicator counts (``computed_from``):
-- the sessions, their distinct participants or their distinct organisations ('' = regional).
-- Parameters: :asof (rows: programme code, as-of date); :kinds (list: the computed_from values to count,
-- so that two parts can be read at once on two connections).
-- The grouped form of computed_by_country.sql; each indicator's count alone is computed (a
-- distinct count over the attendance rows is the cost; a sessions indicator reads none). A group
-- without attendance rows has no row: its figure is 0.
WITH RECURSIVE asof(programme_code, as_of) AS (:asof),
tree(programme_code, root, code) AS (
    SELECT i.programme_code, i.logframe_code, i.logframe_code
    FROM indicators i
    JOIN asof x ON x.programme_code = i.programme_code
    WHERE i.computed_from IN :kinds
    UNION
    SELECT t.programme_code, t.root, l.code
    FROM logframe l
    JOIN tree t ON l.programme_code = t.programme_code AND l.parent_code = t.code
),
hits AS (
    SELECT i.programme_code, i.code AS indicator_code, i.computed_from,
           COALESCE(s.country_iso3, '') AS country_iso3, s.code AS session_code
    FROM indicators i
    JOIN asof x ON x.programme_code = i.programme_code
    JOIN tree t ON t.programme_code = i.programme_code AND t.root = i.logframe_code
    JOIN sessions s ON s.programme_code = i.programme_code AND s.logframe_code = t.code AND s.start_date <= x.as_of
    WHERE i.computed_from IN :kinds
)
SELECT programme_code, indicator_code, country_iso3, COUNT(DISTINCT session_code) AS figure
FROM hits
WHERE computed_from = 'sessions'
GROUP BY programme_code, indicator_code, country_iso3
UNION ALL
SELECT h.programme_code, h.indicator_code, h.country_iso3, COUNT(DISTINCT a.participant_key) AS figure
FROM hits h
JOIN attendance a ON a.session_code = h.session_code
WHERE h.computed_from = 'participants'
GROUP BY h.programme_code, h.indicator_code, h.country_iso3
UNION ALL
SELECT h.programme_code, h.indicator_code, h.country_iso3, COUNT(DISTINCT a.organisation_code) AS figure
FROM hits h
JOIN attendance a ON a.session_code = h.session_code
WHERE h.computed_from = 'organisations'
GROUP BY h.programme_code, h.indicator_code, h.country_iso3
ORDER BY 1, 2, 3

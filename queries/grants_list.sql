-- Grants of one programme or of the whole organisation, with their funder, in EUR: the base of
-- the funding pages (pipeline, timeline, trend). Grants are agreements, a few per programme.
-- Parameters: :all_programmes (1 = organisation), :programme.
SELECT g.code, g.programme_code, g.funder_code, f.name AS funder_name, f.type AS funder_type,
       g.status, g.amount, g.currency, g.amount_eur, g.signed_date, g.start_date, g.end_date,
       g.probability, g.in_kind
FROM grants g
JOIN funders f ON f.code = g.funder_code
WHERE (:all_programmes = 1 OR g.programme_code = :programme)
ORDER BY g.end_date, g.code

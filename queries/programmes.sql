-- All programmes, for the programme picker.
-- Parameters: none.
SELECT code, name, start_date, end_date, lead_organisation
FROM programmes
ORDER BY code

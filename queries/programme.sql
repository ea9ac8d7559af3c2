-- One programme's period and names.
-- Parameters: :programme (code).
SELECT code, name, start_date, end_date, lead_organisation, description
FROM programmes
WHERE code = :programme

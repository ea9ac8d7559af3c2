-- Programmes the user may see (all of them for the organisation-wide roles), for the picker.
-- Parameters: :all_programmes (1 = every programme), :programmes (list of codes).
SELECT code, name, start_date, end_date, lead_organisation
FROM programmes
WHERE (:all_programmes = 1 OR code IN :programmes)
ORDER BY code

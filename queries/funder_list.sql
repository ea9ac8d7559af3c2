-- Every funder (code, name, type), for account administration.
-- Parameters: none.
SELECT code, name, type FROM funders ORDER BY code

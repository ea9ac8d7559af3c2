-- Codes of the grants of one funder (what a funder account may see of the grant list).
-- Parameters: :funder.
SELECT code FROM grants WHERE funder_code = :funder ORDER BY code

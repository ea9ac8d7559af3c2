-- The latest audit entries (imports, edits, refusals, account changes), newest first, filtered.
-- Parameters: :actor ('' = anyone), :action ('' = any), :since (date), :limit.
SELECT id, at, actor, action, entity, entity_key, before, after, details
FROM audit_log
WHERE (:actor = '' OR actor = :actor)
  AND (:action = '' OR action = :action)
  AND at >= :since
ORDER BY id DESC
LIMIT :limit

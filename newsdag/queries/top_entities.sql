-- name: top_entities
-- description: People, organisations, places and other names mentioned most often, one row per actor across the corpus (its label decided over all its mentions); names without an actor (numbers, dates) are grouped by entity_key.
-- param: label = '' | only this label (PERSON, ORG, GPE, ...); empty for every label
-- param: names_only = True | leave out numbers, dates and amounts (CARDINAL, ORDINAL, DATE, TIME, MONEY, PERCENT, QUANTITY); false to keep them
-- param: limit = 20 at least 0 | how many entities to list
WITH mentions AS (
    SELECT e.doc_id, coalesce(e.actor_id, e.entity_key) AS id, coalesce(a.name, e.canonical) AS name,
           coalesce(a.label, e.label) AS label
    FROM entities e LEFT JOIN actors a USING (actor_id)
)
SELECT
    first(name ORDER BY name) AS entity,
    first(label) AS label,
    count(*) AS mentions,
    count(DISTINCT doc_id) AS articles,
    id AS actor_id
FROM mentions
WHERE ($label = '' OR label = upper($label))
  AND (NOT $names_only OR coalesce(label, '') NOT IN ('CARDINAL', 'ORDINAL', 'DATE', 'TIME', 'MONEY', 'PERCENT', 'QUANTITY'))
GROUP BY id
ORDER BY mentions DESC, articles DESC, entity
LIMIT $limit

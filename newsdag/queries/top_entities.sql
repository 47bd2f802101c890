-- name: top_entities
-- description: Entities mentioned most often across articles, grouped by entity_key and shown under their most frequent canonical name.
-- param: label = '' | only this label (PERSON, ORG, GPE, ...); empty for every label
-- param: names_only = True | leave out numbers, dates and amounts (CARDINAL, ORDINAL, DATE, TIME, MONEY, PERCENT, QUANTITY); false to keep them
-- param: limit = 20 at least 0 | how many entities to list
WITH named AS (
    SELECT entity_key, first(canonical ORDER BY n DESC, canonical) AS entity
    FROM (SELECT entity_key, canonical, count(*) AS n FROM entities GROUP BY ALL)
    GROUP BY entity_key
)
SELECT
    n.entity,
    e.label,
    count(*) AS mentions,
    count(DISTINCT e.doc_id) AS articles,
    e.entity_key
FROM entities e
JOIN named n USING (entity_key)
WHERE ($label = '' OR e.label = upper($label))
  AND (NOT $names_only OR coalesce(e.label, '') NOT IN ('CARDINAL', 'ORDINAL', 'DATE', 'TIME', 'MONEY', 'PERCENT', 'QUANTITY'))
GROUP BY n.entity, e.label, e.entity_key
ORDER BY mentions DESC, articles DESC, n.entity
LIMIT $limit

-- name: entity_cooccurrence
-- description: Pairs of different entities mentioned in the same sentence, counted once per sentence however often each is named there.
-- param: entity = '' | only pairs that include this entity (canonical name, case-insensitive); empty for every pair
-- param: names_only = True | leave out numbers, dates and amounts (CARDINAL, ORDINAL, DATE, TIME, MONEY, PERCENT, QUANTITY); false to keep them
-- param: limit = 50 at least 0 | how many pairs to list
WITH named AS (
    SELECT entity_key, first(canonical ORDER BY n DESC, canonical) AS entity
    FROM (SELECT entity_key, canonical, count(*) AS n FROM entities GROUP BY ALL)
    GROUP BY entity_key
),
mentioned AS (
    SELECT DISTINCT e.doc_id, e.sent_id, e.entity_key, e.label, n.entity
    FROM entities e
    JOIN named n USING (entity_key)
    WHERE e.sent_id IS NOT NULL
      AND (NOT $names_only OR coalesce(e.label, '') NOT IN ('CARDINAL', 'ORDINAL', 'DATE', 'TIME', 'MONEY', 'PERCENT', 'QUANTITY'))
)
SELECT
    a.entity AS entity_a,
    a.label AS label_a,
    b.entity AS entity_b,
    b.label AS label_b,
    count(*) AS sentences,
    count(DISTINCT a.doc_id) AS articles
FROM mentioned a
JOIN mentioned b
  ON a.doc_id = b.doc_id AND a.sent_id = b.sent_id AND a.entity_key < b.entity_key
WHERE $entity = '' OR lower(a.entity) = lower($entity) OR lower(b.entity) = lower($entity)
GROUP BY ALL
ORDER BY sentences DESC, articles DESC, entity_a, entity_b
LIMIT $limit

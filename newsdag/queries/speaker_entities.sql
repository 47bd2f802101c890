-- name: speaker_entities
-- description: Who talks about whom: entities (one row per actor across the corpus) mentioned inside a named speaker's quotations (inside the quoted segments, so the attribution between two segments does not count); a speaker's mentions of themselves are left out.
-- param: speaker = '' | only this speaker (actor name, case-insensitive); empty for every speaker
-- param: label = '' | only entities with this label (PERSON, ORG, GPE, ...); empty for every label
-- param: names_only = True | leave out numbers, dates and amounts (CARDINAL, ORDINAL, DATE, TIME, MONEY, PERCENT, QUANTITY); false to keep them
-- param: limit = 50 at least 0 | how many speaker-entity pairs to list
WITH segments AS (
    SELECT doc_id, quote_id, speaker_id, speaker_name, unnest(
        CASE WHEN len(segments) > 0 THEN segments
             ELSE [{'start_char': start_char, 'end_char': end_char}] END
    ) AS segment
    FROM quotes
    WHERE speaker_id IS NOT NULL
      AND ($speaker = '' OR lower(speaker_name) = lower($speaker))
),
named AS (
    SELECT e.doc_id, e.start_char, e.end_char, coalesce(e.actor_id, e.entity_key) AS id,
           coalesce(a.name, e.canonical) AS entity, coalesce(a.label, e.label) AS label
    FROM entities e LEFT JOIN actors a USING (actor_id)
)
SELECT
    s.speaker_name AS speaker,
    e.entity,
    e.label,
    count(*) AS mentions,
    count(DISTINCT (s.doc_id, s.quote_id)) AS quotes,
    e.id AS actor_id
FROM segments s
JOIN named e
  ON e.doc_id = s.doc_id
 AND e.start_char >= s.segment.start_char
 AND e.end_char <= s.segment.end_char
WHERE e.id IS DISTINCT FROM s.speaker_id
  AND ($label = '' OR e.label = upper($label))
  AND (NOT $names_only OR coalesce(e.label, '') NOT IN ('CARDINAL', 'ORDINAL', 'DATE', 'TIME', 'MONEY', 'PERCENT', 'QUANTITY'))
GROUP BY s.speaker_name, e.entity, e.label, e.id
ORDER BY mentions DESC, quotes DESC, speaker, e.entity
LIMIT $limit

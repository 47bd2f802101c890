-- name: speaker_entities
-- description: Who talks about whom: entities mentioned inside a speaker's quotations (inside the quoted segments, so the attribution between two segments does not count); a speaker's mentions of their own name are left out.
-- param: speaker = '' | only this speaker (canonical name, case-insensitive); empty for every speaker
-- param: label = '' | only entities with this label (PERSON, ORG, GPE, ...); empty for every label
-- param: names_only = True | leave out numbers, dates and amounts (CARDINAL, ORDINAL, DATE, TIME, MONEY, PERCENT, QUANTITY); false to keep them
-- param: limit = 50 at least 0 | how many speaker-entity pairs to list
WITH named AS (
    SELECT entity_key, first(canonical ORDER BY n DESC, canonical) AS entity
    FROM (SELECT entity_key, canonical, count(*) AS n FROM entities GROUP BY ALL)
    GROUP BY entity_key
),
segments AS (
    SELECT doc_id, quote_id, speaker_canonical, unnest(
        CASE WHEN len(segments) > 0 THEN segments
             ELSE [{'start_char': start_char, 'end_char': end_char}] END
    ) AS segment
    FROM quotes
    WHERE speaker_canonical IS NOT NULL
      AND ($speaker = '' OR lower(speaker_canonical) = lower($speaker))
)
SELECT
    s.speaker_canonical AS speaker,
    n.entity,
    e.label,
    count(*) AS mentions,
    count(DISTINCT (s.doc_id, s.quote_id)) AS quotes,
    e.entity_key
FROM segments s
JOIN entities e
  ON e.doc_id = s.doc_id
 AND e.start_char >= s.segment.start_char
 AND e.end_char <= s.segment.end_char
JOIN named n USING (entity_key)
WHERE e.canonical IS DISTINCT FROM s.speaker_canonical
  AND ($label = '' OR e.label = upper($label))
  AND (NOT $names_only OR coalesce(e.label, '') NOT IN ('CARDINAL', 'ORDINAL', 'DATE', 'TIME', 'MONEY', 'PERCENT', 'QUANTITY'))
GROUP BY s.speaker_canonical, n.entity, e.label, e.entity_key
ORDER BY mentions DESC, quotes DESC, speaker, n.entity
LIMIT $limit

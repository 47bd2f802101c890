-- name: top_speakers
-- description: Named speakers (persons and organisations, one row per actor across the corpus) with the most attributed quotations; unnamed sources, groups and documents are left out (see source_types and unnamed_sources).
-- param: type = '' | only persons (person) or only organisations (organisation); empty for both
-- param: limit = 20 at least 0 | how many speakers to list
SELECT
    any_value(speaker_name) AS speaker,
    any_value(speaker_type) AS type,
    any_value(speaker_gender) AS gender,
    count(*) AS quotes,
    count(*) FILTER (WHERE kind = 'direct') AS direct,
    count(*) FILTER (WHERE kind = 'indirect') AS indirect,
    count(*) FILTER (WHERE kind = 'mixed') AS mixed,
    count(DISTINCT doc_id) AS articles,
    speaker_id
FROM quotes
WHERE speaker_id IS NOT NULL
  AND speaker_type IN ('person', 'organisation')
  AND ($type = '' OR speaker_type = $type)
GROUP BY speaker_id
ORDER BY quotes DESC, speaker
LIMIT $limit

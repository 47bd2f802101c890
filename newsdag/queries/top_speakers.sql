-- name: top_speakers
-- description: Named speakers (persons and organisations, one row per actor across the corpus) with the most attributed quotations; unnamed sources, groups and documents are left out (see source_types and unnamed_sources). With distinct_stories, a story's copies count once: a quotation once per story, articles as stories.
-- param: type = '' | only persons (person) or only organisations (organisation); empty for both
-- param: distinct_stories = False | count stories (groups of copied articles) instead of articles
-- param: limit = 20 at least 0 | how many speakers to list
WITH counted AS (
    SELECT
        q.speaker_id, q.speaker_name, q.speaker_type, q.speaker_gender, q.kind,
        CASE WHEN $distinct_stories THEN coalesce(a.story_id, q.doc_id) ELSE q.doc_id END AS unit,
        CASE WHEN $distinct_stories
             THEN coalesce(a.story_id, q.doc_id) || '/' || coalesce(q.quote_group, q.doc_id || ':' || q.quote_id)
             ELSE q.doc_id || ':' || q.quote_id END AS said
    FROM quotes q JOIN articles a USING (doc_id)
    WHERE q.speaker_id IS NOT NULL
      AND q.speaker_type IN ('person', 'organisation')
      AND ($type = '' OR q.speaker_type = $type)
)
SELECT
    any_value(speaker_name) AS speaker,
    any_value(speaker_type) AS type,
    any_value(speaker_gender) AS gender,
    count(DISTINCT said) AS quotes,
    count(DISTINCT said) FILTER (WHERE kind = 'direct') AS direct,
    count(DISTINCT said) FILTER (WHERE kind = 'indirect') AS indirect,
    count(DISTINCT said) FILTER (WHERE kind = 'mixed') AS mixed,
    count(DISTINCT unit) AS articles,
    speaker_id
FROM counted
GROUP BY speaker_id
ORDER BY quotes DESC, speaker
LIMIT $limit

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
             END AS said
    FROM quotes q JOIN articles a USING (doc_id)
    WHERE q.speaker_id IS NOT NULL
      AND q.speaker_type IN ('person', 'organisation')
      AND ($type = '' OR q.speaker_type = $type)
)
SELECT
    any_value(speaker_name) AS speaker,
    any_value(speaker_type) AS type,
    any_value(speaker_gender) AS gender,
    -- each row is one quotation: only story counting needs DISTINCT (whose string keys cost most of the query)
    CASE WHEN $distinct_stories THEN count(DISTINCT said) ELSE count(*) END AS quotes,
    CASE WHEN $distinct_stories THEN count(DISTINCT said) FILTER (WHERE kind = 'direct') ELSE count(*) FILTER (WHERE kind = 'direct') END AS direct,
    CASE WHEN $distinct_stories THEN count(DISTINCT said) FILTER (WHERE kind = 'indirect') ELSE count(*) FILTER (WHERE kind = 'indirect') END AS indirect,
    CASE WHEN $distinct_stories THEN count(DISTINCT said) FILTER (WHERE kind = 'mixed') ELSE count(*) FILTER (WHERE kind = 'mixed') END AS mixed,
    count(DISTINCT unit) AS articles,
    speaker_id
FROM counted
GROUP BY speaker_id
ORDER BY quotes DESC, speaker
LIMIT $limit

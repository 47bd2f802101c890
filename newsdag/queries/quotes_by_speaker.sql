-- name: quotes_by_speaker
-- description: Every quotation of one speaker (an actor's name, any of its aliases or its id, case-insensitive; or an article-level canonical name), with its article's title and date, newest first.
-- param: speaker | speaker name or actor id, e.g. from top_speakers
-- param: limit = 1000 at least 0 | most quotations to list
WITH wanted AS (
    SELECT actor_id FROM actors
    WHERE lower(name) = lower($speaker) OR actor_id = $speaker OR list_contains(list_transform(aliases, lambda x: lower(x)), lower($speaker))
)
SELECT
    coalesce(q.speaker_name, q.speaker_canonical) AS speaker,
    q.speaker AS speaker_as_written,
    q.kind,
    q.cue,
    q.text AS quote,
    a.title,
    a.published_at,
    q.doc_id,
    q.quote_id
FROM quotes q
JOIN articles a USING (doc_id)
WHERE q.speaker_id IN (SELECT actor_id FROM wanted)
   OR (q.speaker_id IS NULL AND lower(q.speaker_canonical) = lower($speaker))
ORDER BY a.published_at DESC NULLS LAST, a.title, q.doc_id, q.quote_id
LIMIT $limit

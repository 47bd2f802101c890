-- name: quote_contexts
-- description: Every quotation with its speaker, cue and article, and the article text just before and after it, for reading quotes in context.
-- param: context = 160 at least 0 | characters of article text to show on each side
-- param: limit = 100000 at least 0 | most quotations to list
SELECT
    coalesce(q.speaker_name, q.speaker_canonical, q.speaker) AS speaker,
    q.speaker_type,
    q.speaker AS speaker_as_written,
    q.kind,
    q.cue,
    substr(a.text, greatest(q.start_char - $context, 0) + 1, q.start_char - greatest(q.start_char - $context, 0)) AS before,
    substr(a.text, q.start_char + 1, q.end_char - q.start_char) AS quote,
    substr(a.text, q.end_char + 1, $context) AS after,
    a.title,
    a.url,
    a.source_path,
    a.published_at,
    q.doc_id,
    q.quote_id
FROM quotes q
JOIN articles a USING (doc_id)
ORDER BY a.published_at DESC NULLS LAST, a.title, q.doc_id, q.quote_id
LIMIT $limit

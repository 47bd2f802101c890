-- name: quotes_by_speaker
-- description: Every quotation of one speaker (canonical name, case-insensitive), with its article's title and date, newest first.
-- param: speaker | canonical speaker name, e.g. from top_speakers
-- param: limit = 1000 at least 0 | most quotations to list
SELECT
    q.speaker_canonical AS speaker,
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
WHERE lower(q.speaker_canonical) = lower($speaker)
ORDER BY a.published_at DESC NULLS LAST, a.title, q.doc_id, q.quote_id
LIMIT $limit

-- name: quote_trail
-- description: One quotation's trail: every article that carries it (its quote_group, or the groups whose words contain the text given, case-insensitive), in time order (publication, then ingestion), with publisher, story and speaker.
-- param: quote | a quote_group id (from repeated_quotes) or words of the quotation
-- param: limit = 1000 at least 0 | most articles to list
WITH wanted AS (
    SELECT DISTINCT quote_group FROM quotes
    WHERE quote_group = $quote OR strpos(lower(text), lower($quote)) > 0
)
SELECT
    a.published_at,
    a.ingested_at,
    a.source,
    a.title,
    coalesce(q.speaker_name, q.speaker_canonical) AS speaker,
    q.kind,
    q.text AS quote,
    q.doc_id = q.first_doc_id AS first_seen,
    a.story_id,
    q.quote_group,
    q.doc_id,
    q.quote_id
FROM quotes q JOIN articles a USING (doc_id)
-- by text_key, a column of the quotes themselves (so DuckDB filters the scan): the keys of
-- the wanted groups' rows, and the groups without rows, whose id is their one key
WHERE q.text_key IN (SELECT text_key FROM quote_echoes WHERE quote_group IN (SELECT quote_group FROM wanted)
                     UNION ALL SELECT quote_group FROM wanted)
ORDER BY q.quote_group, a.published_at NULLS LAST, a.ingested_at NULLS LAST, q.doc_id, q.quote_id
LIMIT $limit

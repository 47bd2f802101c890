-- name: articles_without_quotes
-- description: Articles in which no quotation is attributed to a speaker, with how many unattributed quotations they hold.
-- param: limit = 1000 at least 0 | most articles to list
SELECT
    a.doc_id,
    a.title,
    a.published_at,
    a.source_path,
    count(q.quote_id) AS unattributed_quotes
FROM articles a
LEFT JOIN quotes q USING (doc_id)
GROUP BY a.doc_id, a.title, a.published_at, a.source_path
HAVING count(q.speaker) + count(q.speaker_canonical) = 0
ORDER BY a.published_at DESC NULLS LAST, a.title, a.doc_id
LIMIT $limit

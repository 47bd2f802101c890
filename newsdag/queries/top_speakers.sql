-- name: top_speakers
-- description: Speakers with the most attributed quotations, by resolved canonical name; quotations without a resolved speaker are left out.
-- param: limit = 20 at least 0 | how many speakers to list
SELECT
    speaker_canonical AS speaker,
    count(*) AS quotes,
    count(*) FILTER (WHERE kind = 'direct') AS direct,
    count(*) FILTER (WHERE kind = 'indirect') AS indirect,
    count(*) FILTER (WHERE kind = 'mixed') AS mixed,
    count(DISTINCT doc_id) AS articles
FROM quotes
WHERE speaker_canonical IS NOT NULL
GROUP BY speaker_canonical
ORDER BY quotes DESC, speaker
LIMIT $limit

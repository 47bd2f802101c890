-- name: unnamed_sources
-- description: Quotations from sources without a name (unnamed individuals and groups), by how the article describes them and whom they speak for: how much a publisher relies on "a spokesman", "analysts" or "sources".
-- param: limit = 50 at least 0 | how many descriptions to list
SELECT
    lower(q.speaker_role) AS described_as,
    q.speaker_affiliation AS speaks_for,
    q.speaker_type AS source_type,
    count(*) AS quotes,
    count(DISTINCT q.doc_id) AS articles
FROM quotes q
WHERE q.speaker_type IN ('unnamed', 'group')
GROUP BY ALL
ORDER BY quotes DESC, described_as
LIMIT $limit

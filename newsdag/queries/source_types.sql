-- name: source_types
-- description: What kind of source the quotations come from (named persons, organisations, unnamed individuals, groups, documents, unknown), by publisher and period, with each kind's share of the publisher's quotations in that period; articles without a publisher or date are grouped under null.
-- param: bucket = 'month' one of day, week, month, quarter, year | length of each period
WITH counted AS (
    SELECT
        a.source AS publisher,
        date_trunc($bucket, timezone('UTC', a.published_at))::DATE AS period,
        q.speaker_type AS source_type,
        count(*) AS quotes,
        count(DISTINCT q.doc_id) AS articles
    FROM quotes q
    JOIN articles a USING (doc_id)
    GROUP BY ALL
)
SELECT
    publisher, period, source_type, quotes,
    round(quotes / sum(quotes) OVER (PARTITION BY publisher, period), 3) AS share,
    articles
FROM counted
ORDER BY publisher NULLS LAST, period NULLS LAST, quotes DESC, source_type

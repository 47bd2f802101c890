-- name: quotes_over_time
-- description: Quotations of named speakers (one per actor across the corpus) per period of the article's publication date (UTC); articles without a date are left out.
-- param: speaker = '' | only this speaker (actor name, case-insensitive); empty for every speaker
-- param: bucket = 'month' one of day, week, month, quarter, year | length of each period
SELECT
    q.speaker_name AS speaker,
    date_trunc($bucket, timezone('UTC', a.published_at))::DATE AS period,
    count(*) AS quotes,
    count(DISTINCT q.doc_id) AS articles
FROM quotes q
JOIN articles a USING (doc_id)
WHERE a.published_at IS NOT NULL
  AND q.speaker_id IS NOT NULL
  AND ($speaker = '' OR lower(q.speaker_name) = lower($speaker))
GROUP BY ALL
ORDER BY period, quotes DESC, speaker

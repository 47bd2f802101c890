-- name: gender_balance
-- description: Women and men among quoted persons (each quotation of a named person counts) or among mentioned persons (each person once per article), by publisher and period; gender is as the text conventionally marks it (see the actors table), unknown where it does not.
-- param: of = 'quoted' one of quoted, mentioned | quotations of persons, or persons mentioned
-- param: bucket = 'month' one of day, week, month, quarter, year | length of each period
WITH people AS (
    SELECT q.doc_id, q.speaker_gender AS gender
    FROM quotes q
    WHERE $of = 'quoted' AND q.speaker_type = 'person'
    UNION ALL
    SELECT doc_id, gender FROM (
        SELECT DISTINCT e.doc_id, a.actor_id, a.gender
        FROM entities e JOIN actors a USING (actor_id)
        WHERE $of = 'mentioned' AND a.type = 'person'
    )
)
SELECT
    a.source AS publisher,
    date_trunc($bucket, timezone('UTC', a.published_at))::DATE AS period,
    count(*) FILTER (WHERE p.gender = 'female') AS women,
    count(*) FILTER (WHERE p.gender = 'male') AS men,
    count(*) FILTER (WHERE p.gender NOT IN ('female', 'male') OR p.gender IS NULL) AS unknown,
    round(count(*) FILTER (WHERE p.gender = 'female') / nullif(count(*) FILTER (WHERE p.gender IN ('female', 'male')), 0), 3) AS women_share
FROM people p
JOIN articles a USING (doc_id)
GROUP BY ALL
ORDER BY publisher NULLS LAST, period NULLS LAST

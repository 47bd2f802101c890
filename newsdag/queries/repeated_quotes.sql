-- name: repeated_quotes
-- description: The quotations repeated across the most articles (the same words, or one a trimmed part of the other): the words as first seen, the speaker, where and when it was first seen, and how many articles, stories and publishers carry it.
-- param: min_articles = 2 at least 1 | only quotations carried by at least this many articles
-- param: min_words = 5 at least 1 | only quotations of at least this many words (a one-word scare quote repeats by chance)
-- param: distinct_stories = False | rank by stories (groups of copied articles) instead of articles
-- param: limit = 20 at least 0 | how many quotations to list
WITH grouped AS (
    SELECT quote_group, mode(coalesce(speaker_name, speaker_canonical)) AS any_speaker
    FROM quotes WHERE quote_group IS NOT NULL AND group_articles >= $min_articles
      AND len(string_split(trim(text), ' ')) >= $min_words
    GROUP BY quote_group
),
first AS (
    SELECT q.* FROM quotes q JOIN grouped USING (quote_group)
    WHERE q.doc_id = q.first_doc_id
    QUALIFY row_number() OVER (PARTITION BY q.quote_group ORDER BY q.quote_id) = 1
)
SELECT
    f.text AS quote,
    coalesce(f.speaker_name, f.speaker_canonical, g.any_speaker) AS speaker,
    f.first_source,
    f.first_published_at,
    a.title AS first_title,
    f.group_articles AS articles,
    f.group_stories AS stories,
    f.group_publishers AS publishers,
    f.quote_group,
    f.first_doc_id
FROM first f JOIN grouped g USING (quote_group) JOIN articles a ON a.doc_id = f.first_doc_id
ORDER BY CASE WHEN $distinct_stories THEN f.group_stories ELSE f.group_articles END DESC,
         f.group_publishers DESC, f.first_published_at NULLS LAST, f.quote_group
LIMIT $limit

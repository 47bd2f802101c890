-- name: overview
-- description: One row of totals: articles, quotations (and how many have a resolved speaker), distinct named speakers (actors), entity mentions and distinct entities (actors).
SELECT
    (SELECT count(*) FROM articles) AS articles,
    (SELECT count(*) FROM quotes) AS quotes,
    (SELECT count(*) FROM quotes WHERE speaker_canonical IS NOT NULL) AS attributed_quotes,
    (SELECT count(DISTINCT speaker_id) FROM quotes) AS speakers,
    (SELECT count(*) FROM entities) AS entity_mentions,
    (SELECT count(DISTINCT coalesce(actor_id, entity_key)) FROM entities) AS entities,
    (SELECT count(*) FROM articles WHERE published_at IS NOT NULL) AS dated_articles

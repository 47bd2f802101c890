-- name: overview
-- description: One row of totals: articles, quotations (and how many have a resolved speaker), distinct named speakers (actors), entity mentions and distinct entities (actors), stories (groups of copied articles) and quotation groups. With distinct_stories, articles and quotations count a story's copies once.
-- param: distinct_stories = False | count stories instead of articles (and a quotation once per story)
WITH said AS (
    SELECT q.speaker_canonical,
        CASE WHEN $distinct_stories
             THEN coalesce(a.story_id, q.doc_id) || '/' || coalesce(q.quote_group, q.doc_id || ':' || q.quote_id)
             ELSE q.doc_id || ':' || q.quote_id END AS said
    FROM quotes q JOIN articles a USING (doc_id)
)
SELECT
    (SELECT CASE WHEN $distinct_stories THEN count(DISTINCT coalesce(story_id, doc_id)) ELSE count(*) END FROM articles) AS articles,
    (SELECT count(DISTINCT said) FROM said) AS quotes,
    (SELECT count(DISTINCT said) FROM said WHERE speaker_canonical IS NOT NULL) AS attributed_quotes,
    (SELECT count(DISTINCT speaker_id) FROM quotes) AS speakers,
    (SELECT count(*) FROM entities) AS entity_mentions,
    (SELECT count(DISTINCT coalesce(actor_id, entity_key)) FROM entities) AS entities,
    (SELECT CASE WHEN $distinct_stories THEN count(DISTINCT coalesce(story_id, doc_id)) ELSE count(*) END
       FROM articles WHERE published_at IS NOT NULL) AS dated_articles,
    (SELECT count(DISTINCT coalesce(story_id, doc_id)) FROM articles) AS stories,
    (SELECT count(DISTINCT quote_group) FROM quotes) AS quote_groups

"""The tables newsdag writes: one explicit pyarrow schema each, the single source of truth.

Writers cast their rows to these schemas, the store checks them on write, the DuckDB
catalog builds its views from them and the README documents them. Column descriptions
live in field metadata so that ``describe()`` can print them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

import pyarrow as pa


def _field(name: str, type_: pa.DataType, doc: str, *, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": doc})


_DOC_ID = _field("doc_id", pa.string(), "stable hash of the article text", nullable=False)
_START = _field("start_char", pa.int64(), "offset of the first character in articles.text")
_TIMESTAMP = pa.timestamp("us", tz="UTC")
_END = _field("end_char", pa.int64(), "offset after the last character (exclusive)")

ARTICLES = pa.schema(
    [
        _DOC_ID,
        _field("source_path", pa.string(), "input file path as given (plus #record for multi-record files)"),
        _field("title", pa.string(), "headline: a record's title, or a plain-text file's first non-empty line"),
        _field("text", pa.string(), "full text as decoded; every offset indexes into it"),
        _field("url", pa.string(), "address of the article, when the input gives one"),
        _field("published_at", _TIMESTAMP, "publication time (UTC), when the input gives one"),
        _field("source", pa.string(), "publisher, when the input gives one"),
        _field("author", pa.string(), "byline, when the input gives one"),
        _field("record", pa.string(), "locator of the record inside a multi-record file"),
        _field("batch_id", pa.string(), "the run that first ingested the article"),
        _field("ingested_at", _TIMESTAMP, "when the article was first ingested (UTC)"),
        _field("warning", pa.string(), "what was wrong with the input but did not cost the article, e.g. an unparseable date"),
    ]
)

SENTENCES = pa.schema(
    [
        _DOC_ID,
        _field("sent_id", pa.int32(), "0-based sentence number in the article", nullable=False),
        _START,
        _END,
    ]
)

TOKENS = pa.schema(
    [
        _DOC_ID,
        _field("token_id", pa.int32(), "0-based token number in the article", nullable=False),
        _field("sent_id", pa.int32(), "sentence the token belongs to"),
        _field("text", pa.string(), "token as written"),
        _START,
        _END,
        _field("lemma", pa.string(), "base form"),
        _field("pos", pa.string(), "universal part of speech"),
        _field("tag", pa.string(), "fine-grained (Penn) tag"),
        _field("dep", pa.string(), "dependency label"),
        _field("head_token_id", pa.int32(), "token_id of the syntactic head"),
    ]
)

ENTITIES = pa.schema(
    [
        _DOC_ID,
        _field("entity_id", pa.int32(), "0-based mention number in the article", nullable=False),
        _field("text", pa.string(), "mention as written"),
        _field("label", pa.string(), "OntoNotes label after document-level normalisation"),
        _START,
        _END,
        _field("canonical", pa.string(), "document-level canonical name of the referent"),
        _field("cluster_id", pa.int32(), "mentions of one referent in the article share it"),
        _field("entity_key", pa.string(), "cross-article key: normalised canonical + label"),
        _field("sent_id", pa.int32(), "sentence of the mention"),
        _field("role", pa.string(), "role or description the article gives beside the name ('Chancellor', 'England coach')"),
        _field("gender", pa.string(), "gender the article marks for the referent (male, female; neuter when it calls it 'its'), or null; see actors.gender"),
        _field("gender_evidence", pa.string(), "what marks it in the article: honorific, noun or pronoun"),
    ]
)

QUOTES = pa.schema(
    [
        _DOC_ID,
        _field("quote_id", pa.int32(), "0-based quotation number in the article", nullable=False),
        _field("kind", pa.string(), "direct, indirect or mixed"),
        _field("text", pa.string(), "quoted words without marks; split segments joined by a space"),
        _START,
        _END,
        _field(
            "segments",
            pa.list_(pa.struct([("start_char", pa.int64()), ("end_char", pa.int64())])),
            "character spans of each quoted segment",
        ),
        _field("speaker", pa.string(), "speaker mention as written, or null"),
        _field("speaker_start_char", pa.int64(), "offset of the speaker mention"),
        _field("speaker_end_char", pa.int64(), "end offset of the speaker mention"),
        _field("speaker_canonical", pa.string(), "resolved canonical name of the speaker"),
        _field("cue", pa.string(), "attributing words as written, e.g. 'said'"),
        _field("cue_start_char", pa.int64(), "offset of the cue"),
        _field("cue_end_char", pa.int64(), "end offset of the cue"),
        _field(
            "rule", pa.string(), "attribution rule that found the speaker or cue, e.g. 'nearest_cue'; null if none did"
        ),
        _field("speaker_kind", pa.string(), "kind of source as the article presents it: person, organisation, unnamed, group, document or unknown"),
        _field("speaker_key", pa.string(), "entity_key of the named entity the speaker resolves to in the article"),
        _field("speaker_role", pa.string(), "the speaker's role as the article gives it ('Chancellor', 'NATO secretary-general')"),
        _field("speaker_affiliation", pa.string(), "the organisation an unnamed source (or a person's role) speaks for"),
        _field("speaker_article_gender", pa.string(), "gender the article marks for the speaker (male, female), or null"),
        _field("text_key", pa.string(), "stable hash of the quotation's normalised words (null when it has none): the key of its quotation group"),
        _field("speaker_ref", pa.string(), "hash of the speaker columns the corpus-level speaker depends on; joins quote_speakers"),
    ]
)

REJECTS = pa.schema(
    [
        _field("source_path", pa.string(), "input that could not be ingested", nullable=False),
        _field("reason", pa.string(), "why it was rejected", nullable=False),
    ]
)

_ACTOR_ID = _field("actor_id", pa.string(), "stable id of one real-world person or organisation across the corpus")

ACTORS = pa.schema(
    [
        _field("actor_id", pa.string(), "stable id of one real-world person or organisation across the corpus", nullable=False),
        _field("name", pa.string(), "name for display: the fullest form the corpus gives"),
        _field("type", pa.string(), "person, organisation (also a country or a party) or other (a place, a work, an event)"),
        _field("label", pa.string(), "entity label decided over all the corpus's mentions"),
        _field("aliases", pa.list_(pa.string()), "other names of the actor in the corpus"),
        _field("gender", pa.string(), "for persons: male, female or unknown, as the text conventionally marks it"),
        _field("gender_evidence", pa.string(), "what decided the gender: honorific, noun, pronoun or first_name"),
        _field("roles", pa.list_(pa.string()), "the roles the articles give most often"),
        _field("mentions", pa.int64(), "entity mentions of the actor"),
        _field("articles", pa.int64(), "articles that mention the actor"),
        _field("quotes", pa.int64(), "quotations attributed to the actor"),
    ]
)

ACTOR_KEYS = pa.schema(
    [
        _field("entity_key", pa.string(), "cross-article key of an article-level name", nullable=False),
        _ACTOR_ID,
    ]
)

QUOTE_SPEAKERS = pa.schema(
    [
        _field("speaker_ref", pa.string(), "the quotations' speaker_ref: one row per distinct speaker as the articles give it", nullable=False),
        _field("speaker_id", pa.string(), "actor_id of the speaker, when a named person or organisation"),
        _field("speaker_name", pa.string(), "the actor's name, or null for an unnamed source"),
        _field("speaker_type", pa.string(), "person, organisation, unnamed, group, document or unknown"),
        _field("speaker_gender", pa.string(), "male, female or unknown: the actor's, or what the article marks for an unnamed source"),
    ]
)

STORIES = pa.schema(
    [
        _DOC_ID,
        _field("story_id", pa.string(), "doc_id of the story's first article: near-identical articles (copies) share it"),
        _field("story_similarity", pa.float64(), "estimated Jaccard similarity of the article's word shingles to the story's first article (1 for it)"),
        _field("story_articles", pa.int64(), "articles in the story"),
    ]
)

# One row per quotation key (text_key) of a group that more than one article, or more
# than one distinct wording, carries: a quotation found in one article only needs no
# row, the quotes view gives it its own defaults (JOIN_DEFAULTS), so a run that adds a
# batch rewrites only the repeated quotations' rows.
QUOTE_ECHOES = pa.schema(
    [
        _field("text_key", pa.string(), "stable hash of the quotation's normalised words", nullable=False),
        _field("quote_group", pa.string(), "id of the same quotation across articles (the same words, or one a trimmed part of the other): the text_key of its first quotation"),
        _field("first_doc_id", pa.string(), "article where the quotation was first seen (by publication, then ingestion)"),
        _field("first_source", pa.string(), "publisher of that article, when known"),
        _field("first_published_at", _TIMESTAMP, "publication time of that article, when known"),
        _field("group_articles", pa.int64(), "articles that carry the quotation"),
        _field("group_stories", pa.int64(), "stories (groups of copies) that carry the quotation"),
        _field("group_publishers", pa.int64(), "distinct known publishers that carry the quotation"),
    ]
)

# The MinHash signature of each article, one part per chunk: the index a new batch is
# compared against (not a view; the echoes stage reads and writes it).
SIGNATURES = pa.schema(
    [
        _DOC_ID,
        _field("hashvalues", pa.list_(pa.uint32()), "MinHash values of the article's word shingles"),
        _field("shingles", pa.int64(), "distinct word shingles of the article"),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "tokens": TOKENS,
    "entities": ENTITIES,
    "quotes": QUOTES,
    "rejects": REJECTS,
    "actors": ACTORS,
    "actor_keys": ACTOR_KEYS,
    "quote_speakers": QUOTE_SPEAKERS,
    "stories": STORIES,
    "quote_echoes": QUOTE_ECHOES,
}
# Tables the corpus-level stages rewrite as one part each, from all published chunks.
CORPUS_TABLES = ("actors", "actor_keys", "quote_speakers", "stories", "quote_echoes")
# Views that show a chunk table with corpus-level columns joined on: view -> ((table, join columns), ...).
JOINED: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "articles": (("stories", ("doc_id",)),),
    "entities": (("actor_keys", ("entity_key",)),),
    "quotes": (("quote_speakers", ("speaker_ref",)), ("quote_echoes", ("text_key",))),
}
# What a view shows for a joined table's columns when the join finds no row (a
# quotation only one article carries): table -> (SQL over the chunk row ``p`` and its
# article ``a``, by column). Not applied where the key is null (a quotation with no words).
JOIN_DEFAULTS: dict[str, dict[str, str]] = {
    "quote_echoes": {
        "quote_group": "p.text_key",
        "first_doc_id": "p.doc_id",
        "first_source": "a.source",
        "first_published_at": "a.published_at",
        "group_articles": "1",
        "group_stories": "1",
        "group_publishers": "CASE WHEN a.source IS NULL THEN 0 ELSE 1 END",
    },
}


def _view_schema(name: str) -> pa.Schema:
    schema = SCHEMAS[name]
    for other, keys in JOINED.get(name, ()):
        schema = pa.schema(list(schema) + [f for f in SCHEMAS[other] if f.name not in keys])
    return schema


# What each DuckDB view (and export) shows: the table's columns, corpus-level ones joined on.
VIEW_SCHEMAS: dict[str, pa.Schema] = {name: _view_schema(name) for name in SCHEMAS}


class Article(NamedTuple):
    doc_id: str
    source_path: str
    title: str
    text: str
    url: str | None = None
    published_at: datetime | None = None
    source: str | None = None
    author: str | None = None
    record: str | None = None
    batch_id: str | None = None
    ingested_at: datetime | None = None
    warning: str | None = None


class Reject(NamedTuple):
    source_path: str
    reason: str


def to_table(rows: Iterable[Sequence], schema: pa.Schema) -> pa.Table:
    """Build a table from row tuples whose fields follow ``schema``'s column order."""
    columns = list(zip(*rows)) or [() for _ in schema]
    return pa.Table.from_arrays(
        [pa.array(list(col), type=field.type) for col, field in zip(columns, schema)],
        schema=schema,
    )


def describe(schema: pa.Schema) -> list[tuple[str, str, str]]:
    """(column, type, description) for documentation and ``newsdag`` help output."""
    return [
        (f.name, str(f.type), (f.metadata or {}).get(b"description", b"").decode())
        for f in schema
    ]

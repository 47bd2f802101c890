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
    ]
)

REJECTS = pa.schema(
    [
        _field("source_path", pa.string(), "input that could not be ingested", nullable=False),
        _field("reason", pa.string(), "why it was rejected", nullable=False),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "tokens": TOKENS,
    "entities": ENTITIES,
    "quotes": QUOTES,
    "rejects": REJECTS,
}


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

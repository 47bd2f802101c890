"""A small hand-built data dir with known answers for the analytics tests (no NLP needed).

Five articles, written as Parquet with the real schemas and published as the catalog
is in production:

- d1 "Budget row" (2024-01-15): Alice Smith twice (one split quotation, with Bob Jones
  named between its segments), Bob Jones once, indirectly.
- d2 "Talks resume" (2024-02-03): Bob Jones indirectly; Carol O'Neil directly, about "Jones".
- d3 "Quiet day" (no date): no quotation; "ACME" is a variant canonical name of Acme.
- d4 "Unattributed" (2024-02-20): one quotation of an unnamed spokesperson.
- d5 a title and quotation holding HTML markup (2024-03-01): Alice Smith once.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from newsdag.catalog import publish_views
from newsdag.stages.publish import corpus
from newsdag.store import Chunk, Manifest, Store
from newsdag.quotes.sources import speaker_ref
from newsdag.tables import ARTICLES, ENTITIES, QUOTES, Article, to_table
from newsdag.wording import text_key

HOSTILE_TITLE = '<script>alert("pwned")</script> & more'

def _date(day: str | None) -> datetime | None:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc) if day else None


def _span(text: str, part: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


# (doc_id, title, body lines as sentences, published)
_ARTICLES = [
    ("d1", "Budget row", [
        'Alice Smith said "Bob Jones and Acme must pay."',
        "Bob Jones replied that Acme would not pay.",
        '"Paris is far," Alice Smith told Bob Jones, "and Acme knows it."',
    ], "2024-01-15"),
    ("d2", "Talks resume", [
        "Bob Jones said Paris and Acme agreed.",
        '"Mr. Jones is right," Carol O\'Neil said.',
    ], "2024-02-03"),
    ("d3", "Quiet day", ["Nothing was said about ACME in Paris."], None),
    ("d4", "Unattributed", ['"We will see," a spokesperson said.'], "2024-02-20"),
    ("d5", HOSTILE_TITLE, ['Alice Smith said "<b>bold</b> & Acme."'], "2024-03-01"),
]

# (doc_id, sentence, mention as written, occurrence in the text, label, canonical)
_MENTIONS = [
    ("d1", 1, "Alice Smith", 0, "PERSON", "Alice Smith"),
    ("d1", 1, "Bob Jones", 0, "PERSON", "Bob Jones"),
    ("d1", 1, "Acme", 0, "ORG", "Acme"),
    ("d1", 2, "Bob Jones", 1, "PERSON", "Bob Jones"),
    ("d1", 2, "Acme", 1, "ORG", "Acme"),
    ("d1", 3, "Paris", 0, "GPE", "Paris"),
    ("d1", 3, "Alice Smith", 1, "PERSON", "Alice Smith"),
    ("d1", 3, "Bob Jones", 2, "PERSON", "Bob Jones"),
    ("d1", 3, "Acme", 2, "ORG", "Acme"),
    ("d2", 1, "Bob Jones", 0, "PERSON", "Bob Jones"),
    ("d2", 1, "Paris", 0, "GPE", "Paris"),
    ("d2", 1, "Acme", 0, "ORG", "Acme"),
    ("d2", 2, "Jones", 1, "PERSON", "Bob Jones"),
    ("d2", 2, "Carol O'Neil", 0, "PERSON", "Carol O'Neil"),
    ("d3", 1, "ACME", 0, "ORG", "ACME"),
    ("d3", 1, "Paris", 0, "GPE", "Paris"),
    ("d5", 1, "Alice Smith", 0, "PERSON", "Alice Smith"),
    ("d5", 1, "Acme", 0, "ORG", "Acme"),
]

# (doc_id, kind, quoted segments, (speaker as written, occurrence), canonical, (cue, occurrence))
_QUOTES = [
    ("d1", "direct", ["Bob Jones and Acme must pay."], ("Alice Smith", 0), "Alice Smith", ("said", 0)),
    ("d1", "indirect", ["Acme would not pay"], ("Bob Jones", 1), "Bob Jones", ("replied", 0)),
    ("d1", "direct", ["Paris is far,", "and Acme knows it."], ("Alice Smith", 1), "Alice Smith", ("told", 0)),
    ("d2", "indirect", ["Paris and Acme agreed"], ("Bob Jones", 0), "Bob Jones", ("said", 0)),
    ("d2", "direct", ["Mr. Jones is right,"], ("Carol O'Neil", 0), "Carol O'Neil", ("said", 1)),
    ("d4", "direct", ["We will see,"], None, None, ("said", 0)),
    ("d5", "direct", ["<b>bold</b> & Acme."], ("Alice Smith", 0), "Alice Smith", ("said", 0)),
]


def texts() -> dict[str, str]:
    """doc_id -> article text: the title line, a blank line, one sentence per line."""
    return {doc: "\n\n".join([title, *sentences]) for doc, title, sentences, _ in _ARTICLES}


def _articles() -> list[Article]:
    text = texts()
    return [
        Article(doc, f"{doc}.txt", title, text[doc], published_at=_date(day))
        for doc, title, _, day in _ARTICLES
    ]


def _entities(text: dict[str, str]) -> list[tuple]:
    rows, numbers = [], {}
    for doc, sent, written, occurrence, label, canonical in _MENTIONS:
        start, end = _span(text[doc], written, occurrence)
        number = numbers[doc] = numbers.get(doc, -1) + 1
        key = f"{label}:{canonical.lower()}"
        rows.append((doc, number, written, label, start, end, canonical, 0, key, sent, None, None, None))
    return rows


def _quotes(text: dict[str, str]) -> list[tuple]:
    rows, numbers = [], {}
    for doc, kind, parts, speaker, canonical, cue in _QUOTES:
        spans, after = [], 0
        for part in parts:
            start = text[doc].index(part, after)
            after = start + len(part)
            spans.append({"start_char": start, "end_char": after})
        s_start, s_end = _span(text[doc], *speaker) if speaker else (None, None)
        c_start, c_end = _span(text[doc], *cue)
        number = numbers[doc] = numbers.get(doc, -1) + 1
        source_kind, source_key = ("person", f"PERSON:{canonical.lower()}") if speaker else ("unnamed", None)
        rows.append((
            doc, number, kind, " ".join(parts), spans[0]["start_char"], spans[-1]["end_char"], spans,
            speaker[0] if speaker else None, s_start, s_end, canonical, cue[0], c_start, c_end,
            "nearest_cue" if speaker else "speakerless_cue",
            source_kind, source_key, None, None, None, text_key(" ".join(parts)),
            speaker_ref(source_key, source_kind, None, None, speaker[0] if speaker else None, canonical),
        ))
    return rows


def build_lake(root: Path) -> Store:
    """Write the articles, entities and quotes as one chunk and publish the DuckDB views."""
    store = Store(root)
    text = texts()
    parts = {
        "articles": store.write_part("articles", "c0", to_table(_articles(), ARTICLES)),
        "entities": store.write_part("entities", "c0", to_table(_entities(text), ENTITIES)),
        "quotes": store.write_part("quotes", "c0", to_table(_quotes(text), QUOTES)),
    }
    manifest = Manifest({"c0": Chunk("c0", list(text), parts)})
    manifest.corpus = corpus(store, manifest)
    store.save_manifest(manifest)
    publish_views(store, manifest)
    return store

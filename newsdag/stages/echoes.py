"""Echoes stage: stories (groups of near-identical articles) and quotation groups, over
all published chunks.

Runs once per run after the actors stage, on the parts the run is about to publish.
Each chunk's MinHash signatures are kept in ``cache/signatures/`` (named by the chunk and
this stage's code), so only new chunks have their texts read and hashed. When the
previous run's ``stories`` part was made by the same code over a subset of today's
articles, its groups are kept and only the new articles query the LSH index: old pairs
are never compared again, and the result is the one a cold run would give. Quotation
groups are recomputed from the quotations' words (a hash join, cheap at any size).
Its parts are keyed by the live article and quote parts and its code, so a run that
changes no chunk reuses them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from newsdag import echoes
from newsdag.lifeline import stop_if_orphaned
from newsdag.plan import code_fingerprint, digest
from newsdag.stages.stage import Stage
from newsdag.store import Manifest, Store, file_ok, part_name, signatures_name, temp_path
from newsdag.tables import QUOTE_ECHOES, SIGNATURES, STORIES, to_table

TABLES = ("stories", "quote_echoes")
_NEVER = datetime.max.replace(tzinfo=timezone.utc)


def _code() -> str:
    return code_fingerprint(STAGE)[:8]


def corpus_key(manifest: Manifest) -> str:
    """What the stage's result depends on: the live article and quote parts and its code.
    The code's hash leads, so a later run can tell whether a part is its own kind."""
    parts = sorted(manifest.parts("articles")) + sorted(manifest.parts("quotes"))
    return f"{_code()}-{digest(STAGE.name, code_fingerprint(STAGE), *parts)}"


def planned(manifest: Manifest) -> dict[str, str]:
    """The corpus-level parts (table -> part) that ``manifest`` calls for."""
    key = corpus_key(manifest)
    return {table: part_name(table, key) for table in TABLES}


def run(store: Store, manifest: Manifest) -> dict[str, str]:
    """The corpus-level parts for ``manifest`` (table -> part), computed unless a run with
    the same key already wrote them."""
    parts = planned(manifest)
    if store.has(parts.values()):
        return parts
    tables = build(store, manifest)
    key = corpus_key(manifest)
    return {table: store.write_part(table, key, tables[table]) for table in TABLES}


def _read(files: list[Path]) -> str:
    listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    return f"read_parquet([{listed}], union_by_name = true)"


def _signatures(store: Store, manifest: Manifest) -> dict[str, echoes.Signature]:
    """Every published article's signature: read from the chunk's index part, or computed
    from its texts (and kept) for a chunk seen for the first time."""
    found: dict[str, echoes.Signature] = {}
    for chunk in manifest.chunks.values():
        path = store.path(signatures_name(chunk.chunk_id, _code()))
        if file_ok(path):
            table = pq.read_table(path)
        else:
            texts = store.read_part(chunk.parts["articles"], columns=["doc_id", "text"])
            rows = []
            for doc_id, text in zip(texts.column("doc_id").to_pylist(), texts.column("text").to_pylist()):
                sig = echoes.signature(text or "")
                rows.append((doc_id, sig.hashvalues, sig.size))
            table = to_table(rows, SIGNATURES)
            for stale in path.parent.glob(f"{chunk.chunk_id}-*.parquet"):  # made by other code
                stale.unlink(missing_ok=True)
            _write(path, table)
        values = table.column("hashvalues").combine_chunks()
        flat = values.values.to_numpy(zero_copy_only=False).reshape(len(table), -1) if len(table) else None
        for n, (doc_id, size) in enumerate(zip(table.column("doc_id").to_pylist(), table.column("shingles").to_pylist())):
            found[doc_id] = echoes.Signature(flat[n], size)
    return found


def _write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    pq.write_table(table, tmp, compression="zstd")
    stop_if_orphaned()
    os.replace(tmp, path)


def _known(store: Store, manifest: Manifest, docs: set[str]) -> dict[str, str] | None:
    """The previous run's stories, when this code made them over a subset of ``docs``."""
    previous = manifest.corpus.get("stories")
    if not previous or not previous.startswith(part_name("stories", _code() + "-")[: -len(".parquet")]):
        return None
    if not store.has([previous]):
        return None
    table = store.read_part(previous, columns=["doc_id", "story_id"])
    known = dict(zip(table.column("doc_id").to_pylist(), table.column("story_id").to_pylist()))
    return known if docs.issuperset(known) else None  # an article gone: its pairs may have held a story


def build(store: Store, manifest: Manifest) -> dict[str, pa.Table]:
    """The ``stories`` and ``quote_echoes`` tables of the articles and quotes ``manifest`` publishes."""
    articles = [store.path(p) for p in manifest.files("articles")]
    quotes = [store.path(p) for p in manifest.files("quotes")]
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        info = {
            row[0]: row[1:]
            for row in (con.execute(f"SELECT doc_id, published_at, ingested_at, source FROM {_read(articles)}").fetchall()
                        if articles else [])
        }
        rows = con.execute(f"SELECT doc_id, quote_id, text FROM {_read(quotes)}").fetchall() if quotes else []

    ranks = {d: (p or _NEVER, i or _NEVER, d) for d, (p, i, _) in info.items()}
    order = ranks.__getitem__

    sigs = {d: s for d, s in _signatures(store, manifest).items() if d in info}
    story = echoes.stories(sigs, order, known=_known(store, manifest, set(sigs)))
    sizes: dict[str, int] = defaultdict(int)
    for story_id, _ in story.values():
        sizes[story_id] += 1
    story_rows = sorted((d, s, round(score, 4), sizes[s]) for d, (s, score) in story.items())

    groups = echoes.quote_groups(echoes.Quote(d, q, t or "") for d, q, t in rows if d in info)
    members: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for quote, group in groups.items():
        members[group].append(quote)
    echo_rows = []
    for quoted in members.values():
        first_doc, first_quote = min(quoted, key=lambda q: (order(q[0]), q[1]))
        docs = {d for d, _ in quoted}
        publishers = {info[d][2] for d in docs if info[d][2]}
        stories = {story[d][0] if d in story else d for d in docs}
        group_id = digest("quote", first_doc, str(first_quote))
        published, _, source = info[first_doc]
        for doc_id, quote_id in quoted:
            echo_rows.append((doc_id, quote_id, group_id, first_doc, source, published, len(docs), len(stories), len(publishers)))
    return {"stories": to_table(story_rows, STORIES), "quote_echoes": to_table(sorted(echo_rows), QUOTE_ECHOES)}


STAGE = Stage(
    name="echoes",
    sources=("echoes.py", "stages/echoes.py"),
    pipes=(),
    tables=TABLES,
    run=run,
    scope="corpus",
)

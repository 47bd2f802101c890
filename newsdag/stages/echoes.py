"""Echoes stage: stories (groups of near-identical articles) and quotation groups, over
all published chunks.

Runs once per run after the actors stage, on the parts the run is about to publish.
Its cost for a new batch is the batch's, not the data dir's: what earlier runs learnt is
kept in ``cache/echoes/`` (see :class:`Segment`), so the new articles look their bands
up in the band index and the new quotations their words in the key and run indexes,
and only the stories and quotation groups they touch are recomputed. The rest of the
previous run's ``stories`` and ``quote_echoes`` parts is copied over, so the result is
the one a cold run gives. Whenever that state does not match the previous run's parts
and chunks (a chunk replaced or removed, other code, a file missing or damaged) the
stage computes everything afresh and writes the state anew.

Each chunk's MinHash signatures are also kept in ``cache/signatures/`` (named by the
chunk and the code that makes them, :mod:`newsdag.signatures`), so a cold run does not hash the texts again. The parts are
keyed by the live article and quote parts and the code, so a run that changes no chunk
reuses them.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsdag import echoes
from newsdag.lifeline import stop_if_orphaned
from newsdag.plan import code_fingerprint, digest
from newsdag.stages.stage import Stage
from newsdag.store import Chunk, Manifest, Store, atomic_parquet, atomic_write, file_ok, part_name, signatures_name, temp_path
from newsdag.tables import ARTICLES, QUOTE_ECHOES, QUOTES, SIGNATURES, STORIES, to_table

TABLES = ("stories", "quote_echoes")
STATE_DIR = "cache/echoes"
# Timestamps as microseconds; an unknown one sorts last.
NEVER = np.iinfo(np.int64).max
# A segment is merged with the next older one once that is at most this many times its size,
# so a data dir has a few segments (about log2 of its runs), each row rewritten a few times.
MERGE_RATIO = 2


def _code() -> str:
    return code_fingerprint(STAGE)[:8]


def _signature_code() -> str:
    """What the kept signatures depend on: their module and the words, not the grouping."""
    return code_fingerprint(_SIGNING)[:8]


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
    if all(file_ok(store.path(p)) for p in parts.values()):  # corpus parts are never in segments
        return parts
    result = _compute(store, manifest)
    key = corpus_key(manifest)
    written = {table: store.write_part(table, key, result.tables[table]) for table in TABLES}
    result.state.save(store, written)
    return written


def build(store: Store, manifest: Manifest) -> dict[str, pa.Table]:
    """The ``stories`` and ``quote_echoes`` tables of the articles and quotes ``manifest`` publishes."""
    return _compute(store, manifest).tables


# Reading the chunks.


@dataclass
class Docs:
    """Articles as the stage needs them, in one order: ids, signatures, order and publisher."""

    doc_ids: list[str]
    values: np.ndarray  # (n, NUM_PERM) uint32
    shingles: np.ndarray  # int64
    published: np.ndarray  # int64 microseconds, NEVER when unknown
    ingested: np.ndarray
    sources: list[str | None]

    def rank(self, n: int) -> tuple[int, int, str]:
        return int(self.published[n]), int(self.ingested[n]), self.doc_ids[n]


@dataclass
class Quotes:
    """Quotations with words: (text_key, doc_id, quote_id) each, and the words of each key."""

    found: list[tuple[str, str, int]]
    words: dict[str, list[str]]
    keys_agree: bool = True  # did the parts' own text_key columns say the same?


def _micros(column: pa.ChunkedArray) -> np.ndarray:
    values = pc.cast(column, pa.timestamp("us", tz="UTC")).cast(pa.int64())
    return values.fill_null(NEVER).to_numpy()


def _read_articles(store: Store, manifest: Manifest, chunks: list[Chunk], files: list[str]) -> Docs:
    """The articles of ``chunks`` (whose rows ``files`` hold), with their signatures."""
    table = _columns(store, files, ARTICLES, ["doc_id", "published_at", "ingested_at", "source"]) if files else None
    wanted = {d for c in chunks for d in c.doc_ids}
    sigs = _signatures(store, chunks)
    doc_ids: list[str] = []
    keep: list[int] = []
    if table is not None:
        for n, doc_id in enumerate(table.column("doc_id").to_pylist()):
            if doc_id in wanted and doc_id in sigs:
                doc_ids.append(doc_id)
                keep.append(n)
        table = table.take(pa.array(keep, pa.int64()))
    values = np.stack([sigs[d][0] for d in doc_ids]) if doc_ids else np.zeros((0, echoes.NUM_PERM), np.uint32)
    return Docs(
        doc_ids,
        values.astype(np.uint32),
        np.asarray([sigs[d][1] for d in doc_ids], dtype=np.int64),
        _micros(table.column("published_at")) if doc_ids else np.zeros(0, np.int64),
        _micros(table.column("ingested_at")) if doc_ids else np.zeros(0, np.int64),
        table.column("source").to_pylist() if doc_ids else [],
    )


def _columns(store: Store, files: list[str], schema: pa.Schema, columns: list[str]) -> pa.Table:
    """These columns of the rows of ``files`` (null where an older part lacks one)."""
    tables = []
    for f in files:
        path = store.path(f)
        present = [c for c in columns if c in pq.read_schema(path).names]
        table = pq.read_table(path, columns=present)
        tables.append(pa.table({c: table.column(c) if c in present else pa.nulls(len(table), schema.field(c).type)
                                for c in columns}))
    target = pa.schema([schema.field(c) for c in columns])
    return pa.concat_tables([t.cast(target) for t in tables]) if tables else target.empty_table()


def _read_quotes(store: Store, files: list[str], docs: set[str]) -> Quotes:
    """The quotations with words of ``docs`` in ``files``, keyed as the quote stage keys them."""
    table = _columns(store, files, QUOTES, ["doc_id", "quote_id", "text", "text_key"])
    rows = zip(*(table.column(c).to_pylist() for c in table.column_names))
    keyed: dict[str, str | None] = {}
    found: list[tuple[str, str, int]] = []
    words: dict[str, list[str]] = {}
    agree = True
    for doc_id, quote_id, text, stated in rows:
        if doc_id not in docs:
            continue
        text = text or ""
        if text not in keyed:
            keyed[text] = key = echoes.text_key(text)
            if key is not None:
                words.setdefault(key, echoes.words(text))
        key = keyed[text]
        agree = agree and key == stated
        if key is not None:
            found.append((key, doc_id, quote_id))
    return Quotes(found, words, agree)


def _signatures(store: Store, chunks: Iterable[Chunk]) -> dict[str, tuple[np.ndarray, int]]:
    """Every article's signature: read from the chunk's index part, or computed from its
    texts (and kept) for a chunk seen for the first time."""
    found: dict[str, tuple[np.ndarray, int]] = {}
    for chunk in chunks:
        path = store.path(signatures_name(chunk.chunk_id, _signature_code()))
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
            atomic_parquet(path, table)
        values = table.column("hashvalues").combine_chunks()
        flat = values.values.to_numpy(zero_copy_only=False).reshape(len(table), -1) if len(table) else None
        for n, (doc_id, size) in enumerate(zip(table.column("doc_id").to_pylist(), table.column("shingles").to_pylist())):
            found[doc_id] = (flat[n], size)
    return found


# The kept state.


def _bytes(values: Iterable[str]) -> np.ndarray:
    encoded = [v.encode() for v in values]
    return np.array(encoded, dtype=f"S{max((len(v) for v in encoded), default=1)}")


def _find(sorted_values: np.ndarray, wanted: Sequence[str]) -> np.ndarray:
    """The row of each of ``wanted`` in ``sorted_values`` (bytes), or -1."""
    if not len(wanted) or not len(sorted_values):
        return np.full(len(wanted), -1, dtype=np.int64)
    query = _bytes(wanted)
    rows = np.searchsorted(sorted_values, query)
    rows = np.minimum(rows, len(sorted_values) - 1)
    hit = sorted_values[rows] == query
    return np.where(hit, rows, -1)


def _gather(sorted_values: np.ndarray, wanted: np.ndarray, payload: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(query numbers, payload values) of every row of ``sorted_values`` equal to one of ``wanted``."""
    if not len(sorted_values) or not len(wanted):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.searchsorted(sorted_values, wanted, side="left")
    ends = np.searchsorted(sorted_values, wanted, side="right")
    counts = ends - starts
    if not counts.sum():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    numbers = np.repeat(np.arange(len(wanted)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    rows = np.repeat(starts, counts) + offsets
    return numbers, np.asarray(payload[rows], dtype=np.int64)


def _ranges(sorted_values: np.ndarray, wanted: np.ndarray) -> Iterable[tuple[int, int, int]]:
    """(query number, start, end) of the rows equal to each of ``wanted``."""
    if not len(sorted_values) or not len(wanted):
        return
    starts = np.searchsorted(sorted_values, wanted, side="left")
    ends = np.searchsorted(sorted_values, wanted, side="right")
    for n in np.flatnonzero(ends > starts):
        yield int(n), int(starts[n]), int(ends[n])


_ARRAYS = (
    "doc_ids", "values", "shingles", "published", "ingested", "source_codes",
    "band_keys", "band_docs",
    "occ_keys", "occ_docs", "occ_quotes", "occ_by_doc",
    "keys", "word_offsets", "word_blob",
    "run_hashes", "run_keys", "run_first",
)


@dataclass
class Segment:
    """The kept state of some chunks: sorted arrays the stage looks values up in.

    Articles by doc_id (signature, order, publisher); the band index (band key -> article);
    the quotations (text_key -> article, quote_id, and each article's in turn); the
    distinct keys with their words; the run index (hash of each 5-word run of a key ->
    the key, and whether it is the key's first run). Stored as ``.npy`` files read by
    memory map, so a look-up reads a few pages, not the segment.
    """

    chunks: dict[str, list[str]]  # chunk_id -> [articles part, quotes part]
    arrays: dict[str, np.ndarray]
    sources: list[str]
    name: str = ""
    stored: bool = False
    _words: dict[int, list[str]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.arrays["doc_ids"])

    @classmethod
    def of(cls, chunks: dict[str, list[str]], docs: Docs, quotes: Quotes) -> Segment:
        order = sorted(range(len(docs.doc_ids)), key=docs.doc_ids.__getitem__)
        doc_ids = _bytes([docs.doc_ids[n] for n in order])
        sources = sorted({s for s in docs.sources if s is not None})
        code = {s: n for n, s in enumerate(sources)}
        arrays: dict[str, np.ndarray] = {
            "doc_ids": doc_ids,
            "values": docs.values[order].astype(np.uint32).reshape(len(order), echoes.NUM_PERM),
            "shingles": docs.shingles[order].astype(np.int64),
            "published": docs.published[order].astype(np.int64),
            "ingested": docs.ingested[order].astype(np.int64),
            "source_codes": np.asarray([code.get(docs.sources[n], -1) for n in order], dtype=np.int32),
        }
        live = np.flatnonzero(arrays["shingles"] > 0)
        keys = echoes.band_keys(arrays["values"][live]).ravel()
        rows = np.repeat(live, echoes.BANDS).astype(np.int32)
        by_key = np.lexsort((rows, keys))
        arrays["band_keys"], arrays["band_docs"] = keys[by_key], rows[by_key]

        found = sorted(quotes.found)
        occ_docs = _find(doc_ids, [d for _, d, _ in found]).astype(np.int32)
        arrays["occ_keys"] = _bytes([k for k, _, _ in found])
        arrays["occ_docs"] = occ_docs
        arrays["occ_quotes"] = np.asarray([q for _, _, q in found], dtype=np.int32)
        arrays["occ_by_doc"] = np.lexsort((arrays["occ_quotes"], occ_docs)).astype(np.int64)

        distinct = sorted({k for k, _, _ in found})
        arrays["keys"] = _bytes(distinct)
        blobs = [" ".join(quotes.words[k]).encode() for k in distinct]
        arrays["word_offsets"] = np.cumsum([0, *map(len, blobs)]).astype(np.int64)
        arrays["word_blob"] = np.frombuffer(b"".join(blobs), dtype=np.uint8).copy()
        runs = sorted(
            (h, k, n == 0) for k in distinct for n, h in enumerate(echoes.run_hashes(quotes.words[k]))
        )
        arrays["run_hashes"] = np.asarray([h for h, _, _ in runs], dtype=np.uint64)
        arrays["run_keys"] = _bytes([k for _, k, _ in runs])
        arrays["run_first"] = np.asarray([f for _, _, f in runs], dtype=bool)
        return cls(chunks, arrays, sources, _segment_name(chunks))

    # Storage.

    def write(self, directory: Path) -> None:
        """Into ``directory/NAME`` (a directory renamed into place when complete)."""
        target = directory / self.name
        if target.exists():
            shutil.rmtree(target)
        tmp = temp_path(target)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name in _ARRAYS:
            np.save(tmp / f"{name}.npy", self.arrays[name])
        meta = {"sources": self.sources, "shape": {n: list(self.arrays[n].shape) for n in _ARRAYS}}
        (tmp / "meta.json").write_text(json.dumps(meta))
        stop_if_orphaned()
        os.replace(tmp, target)
        self.stored = True

    @classmethod
    def load(cls, directory: Path, name: str, chunks: dict[str, list[str]]) -> Segment:
        """A stored segment; ValueError (or OSError) when it is not whole."""
        path = directory / name
        meta = json.loads((path / "meta.json").read_text())
        arrays = {}
        for array in _ARRAYS:
            file = path / f"{array}.npy"
            big = file.stat().st_size > 1 << 20
            arrays[array] = np.load(file, mmap_mode="r" if big else None, allow_pickle=False)
            if list(arrays[array].shape) != meta["shape"][array]:
                raise ValueError(f"{file}: not the shape it was written with")
        return cls(chunks, arrays, list(meta["sources"]), name, stored=True)

    def decoded(self) -> tuple[Docs, Quotes]:
        """Its contents as :meth:`of` takes them (to merge segments)."""
        a = self.arrays
        docs = Docs(
            [d.decode() for d in a["doc_ids"].tolist()], np.asarray(a["values"]), np.asarray(a["shingles"]),
            np.asarray(a["published"]), np.asarray(a["ingested"]),
            [self.sources[c] if c >= 0 else None for c in a["source_codes"].tolist()],
        )
        ids = docs.doc_ids
        found = [(k.decode(), ids[d], int(q)) for k, d, q in zip(a["occ_keys"].tolist(), a["occ_docs"].tolist(), a["occ_quotes"].tolist())]
        words = {k.decode(): self.words_of(i) for i, k in enumerate(a["keys"].tolist())}
        return docs, Quotes(found, words)

    # Look-ups.

    def doc_rows(self, doc_ids: Sequence[str]) -> np.ndarray:
        return _find(self.arrays["doc_ids"], doc_ids)

    def doc_id(self, row: int) -> str:
        return self.arrays["doc_ids"][row].decode()

    def rank(self, row: int) -> tuple[int, int, str]:
        return int(self.arrays["published"][row]), int(self.arrays["ingested"][row]), self.doc_id(row)

    def signature(self, row: int) -> echoes.Signature:
        return echoes.Signature(np.asarray(self.arrays["values"][row]), int(self.arrays["shingles"][row]))

    def band_candidates(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(query numbers, article rows): the articles sharing each band key."""
        return _gather(self.arrays["band_keys"], keys, self.arrays["band_docs"])

    def doc_ids(self, rows: np.ndarray) -> list[str]:
        return [d.decode() for d in self.arrays["doc_ids"][np.asarray(rows, dtype=np.int64)].tolist()]

    def ranks(self, rows: np.ndarray) -> list[tuple[int, int, str]]:
        rows = np.asarray(rows, dtype=np.int64)
        return list(zip(self.arrays["published"][rows].tolist(), self.arrays["ingested"][rows].tolist(), self.doc_ids(rows)))

    def sources_of(self, rows: np.ndarray) -> list[str | None]:
        codes = self.arrays["source_codes"][np.asarray(rows, dtype=np.int64)].tolist()
        return [self.sources[c] if c >= 0 else None for c in codes]

    def has_keys(self, keys: Sequence[str]) -> np.ndarray:
        return _find(self.arrays["keys"], keys) >= 0

    def words_of(self, key_row: int) -> list[str]:
        if key_row not in self._words:
            offsets = self.arrays["word_offsets"]
            blob = np.asarray(self.arrays["word_blob"][offsets[key_row] : offsets[key_row + 1]]).tobytes()
            self._words[key_row] = blob.decode().split()
        return self._words[key_row]

    def key_words(self, key: str) -> list[str] | None:
        row = int(_find(self.arrays["keys"], [key])[0])
        return self.words_of(row) if row >= 0 else None

    def runs(self, hashes: Sequence[int], *, first: bool) -> set[str]:
        """The keys with any of these run hashes (as their first run only, with ``first``)."""
        wanted = np.asarray(hashes, dtype=np.uint64)
        found: set[str] = set()
        keys, firsts = self.arrays["run_keys"], self.arrays["run_first"]
        for _, start, end in _ranges(self.arrays["run_hashes"], wanted):
            for key, is_first in zip(keys[start:end].tolist(), firsts[start:end].tolist()):
                if is_first or not first:
                    found.add(key.decode())
        return found

    def occurrences(self, keys: Sequence[str]) -> list[tuple[str, str, int, tuple[int, int, str], str | None]]:
        """(text_key, doc_id, quote_id, the article's rank, its publisher) of every quotation with one of ``keys``."""
        ordered = sorted(keys)
        wanted = _bytes(ordered) if keys else np.zeros(0, "S1")
        numbers, at = _gather(self.arrays["occ_keys"], wanted, np.arange(len(self.arrays["occ_keys"])))
        if not len(at):
            return []
        rows = np.asarray(self.arrays["occ_docs"][at], dtype=np.int64)
        quotes = self.arrays["occ_quotes"][at].tolist()
        unique, back = np.unique(rows, return_inverse=True)
        ranks, sources = self.ranks(unique), self.sources_of(unique)
        return [(ordered[n], ranks[b][2], q, ranks[b], sources[b]) for n, q, b in zip(numbers.tolist(), quotes, back.tolist())]

    def keys_of(self, rows: Sequence[int]) -> set[str]:
        """The text_keys of the quotations of these article rows."""
        by_doc = self.arrays["occ_by_doc"]
        docs = np.asarray(self.arrays["occ_docs"])[np.asarray(by_doc)] if len(by_doc) else np.zeros(0, np.int32)
        keys = self.arrays["occ_keys"]
        found: set[str] = set()
        for _, start, end in _ranges(docs, np.asarray(sorted(rows), dtype=docs.dtype)):
            found.update(keys[int(i)].decode() for i in by_doc[start:end])
        return found


def _segment_name(chunks: dict[str, list[str]]) -> str:
    """A segment is named by its code and the chunks (with their parts) it covers, so a
    state can check its segments against the manifest by name alone."""
    return digest("segment", _code(), *sorted(f"{c}:{':'.join(p)}" for c, p in chunks.items()))


def _merge(older: Segment, newer: Segment) -> Segment:
    docs_a, quotes_a = older.decoded()
    docs_b, quotes_b = newer.decoded()
    docs = Docs(
        docs_a.doc_ids + docs_b.doc_ids, np.concatenate([docs_a.values, docs_b.values]),
        np.concatenate([docs_a.shingles, docs_b.shingles]), np.concatenate([docs_a.published, docs_b.published]),
        np.concatenate([docs_a.ingested, docs_b.ingested]), docs_a.sources + docs_b.sources,
    )
    quotes = Quotes(quotes_a.found + quotes_b.found, quotes_a.words | quotes_b.words)
    return Segment.of(older.chunks | newer.chunks, docs, quotes)


@dataclass
class State:
    """What the stage keeps between runs: its segments, the chunks they cover and the
    parts they were made with; ``cache/echoes/CODE.json`` names them."""

    segments: list[Segment]
    usable: bool = True  # False: the parts disagree with the stage's keys, keep nothing

    @staticmethod
    def path(store: Store) -> Path:
        return store.path(f"{STATE_DIR}/{_code()}.json")

    def covered(self) -> dict[str, list[str]]:
        return {c: p for s in self.segments for c, p in s.chunks.items()}

    @classmethod
    def load(cls, store: Store, manifest: Manifest) -> State | None:
        """The kept state, when it was made by this code with the previous run's parts over
        chunks all still published as they were; None otherwise."""
        try:
            data = json.loads(cls.path(store).read_text())
            if any(manifest.corpus.get(t) != data["parts"].get(t) for t in TABLES) or not all(
                file_ok(store.path(manifest.corpus[t])) for t in TABLES  # corpus parts are never in segments
            ):
                return None
            segments = []
            for entry in data["segments"]:
                chunks = {c: _chunk_parts(manifest.chunks[c]) for c in entry["chunks"] if c in manifest.chunks}
                if len(chunks) != len(entry["chunks"]) or _segment_name(chunks) != entry["name"]:
                    return None  # a chunk removed or replaced: what it linked may no longer hold
                segments.append(Segment.load(store.path(STATE_DIR), entry["name"], chunks))
            return cls(segments)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(self, store: Store, parts: dict[str, str]) -> None:
        """Write the new segments, then name them (atomically), then delete what is no longer named."""
        directory = store.path(STATE_DIR)
        if not self.usable:
            shutil.rmtree(directory, ignore_errors=True)
            return
        directory.mkdir(parents=True, exist_ok=True)
        for segment in self.segments:
            if not segment.stored:
                segment.write(directory)
        data = {
            "parts": {t: parts[t] for t in TABLES},
            "segments": [{"name": s.name, "chunks": sorted(s.chunks)} for s in self.segments],
        }
        target = self.path(store)
        atomic_write(target, json.dumps(data, indent=1).encode("utf-8"))
        named = {target.name, *(s.name for s in self.segments)}
        for path in directory.iterdir():
            if path.name not in named and not path.name.startswith("."):
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


def _chunk_parts(chunk: Chunk) -> list[str]:
    return [chunk.parts.get("articles"), chunk.parts.get("quotes")]


# The computation.


@dataclass
class Result:
    tables: dict[str, pa.Table]
    state: State


def _compute(store: Store, manifest: Manifest) -> Result:
    state = State.load(store, manifest)
    if state is not None:
        try:
            return _incremental(store, manifest, state)
        except (OSError, ValueError, KeyError, IndexError):
            pass  # the state does not hold what it should: start afresh
    return _cold(store, manifest)


def _story_rows(rows: Iterable[tuple[str, str, float, int]]) -> pa.Table:
    return to_table(sorted(rows), STORIES)


def _echo_table(rows: Iterable[tuple]) -> pa.Table:
    return to_table(sorted(rows), QUOTE_ECHOES)


def _group_rows(keys: Iterable[str], found: list[tuple[str, str, int]], rank, source, story) -> list[tuple]:
    """The ``quote_echoes`` rows of one quotation group: its keys and their quotations
    (text_key, doc_id, quote_id). None for a group of one wording in one article (the view's defaults)."""
    keys = sorted(set(keys))
    docs = {d for _, d, _ in found}
    if len(keys) == 1 and len(docs) == 1:
        return []
    first_key, first_doc, _ = min(found, key=lambda f: (rank(f[1]), f[2]))
    published = rank(first_doc)[0]
    stories = {story(d) for d in docs}
    publishers = {p for p in map(source, docs) if p is not None}
    first = (first_key, first_doc, source(first_doc), None if published == NEVER else published)
    return [(key, *first, len(docs), len(stories), len(publishers)) for key in keys]


def _timestamps(rows: list[tuple]) -> list[tuple]:
    """Microseconds as the timestamps the schema has."""
    from datetime import datetime, timedelta, timezone

    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    return [(*r[:4], None if r[4] is None else epoch + timedelta(microseconds=r[4]), *r[5:]) for r in rows]


def _cold(store: Store, manifest: Manifest) -> Result:
    chunks = list(manifest.chunks.values())
    docs = _read_articles(store, manifest, chunks, manifest.files("articles"))
    quotes = _read_quotes(store, manifest.files("quotes"), set(docs.doc_ids))
    number = {d: n for n, d in enumerate(docs.doc_ids)}
    sigs = {d: echoes.Signature(docs.values[n], int(docs.shingles[n])) for d, n in number.items()}
    rank = lambda d: docs.rank(number[d])  # noqa: E731
    story = echoes.stories(sigs, rank)
    sizes: dict[str, int] = defaultdict(int)
    for story_id, _ in story.values():
        sizes[story_id] += 1
    stories = _story_rows((d, s, round(score, 4), sizes[s]) for d, (s, score) in story.items())

    roots = echoes.key_groups(quotes.words)
    members: dict[str, list[str]] = defaultdict(list)
    for key, root in roots.items():
        members[root].append(key)
    found: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for quote in quotes.found:
        found[roots[quote[0]]].append(quote)
    source = lambda d: docs.sources[number[d]]  # noqa: E731
    rows = [r for root, keys in members.items() for r in _group_rows(keys, found[root], rank, source, lambda d: story[d][0])]
    segment = Segment.of({c.chunk_id: _chunk_parts(c) for c in chunks}, docs, quotes)
    tables = {"stories": stories, "quote_echoes": _echo_table(_timestamps(rows))}
    return Result(tables, State([segment], usable=quotes.keys_agree))


def _incremental(store: Store, manifest: Manifest, state: State) -> Result:
    covered = state.covered()
    new = [c for c in manifest.chunks.values() if c.chunk_id not in covered]
    held = manifest.held()
    article_files = list(dict.fromkeys(held.get(c.parts["articles"], c.parts["articles"]) for c in new))
    quote_files = list(dict.fromkeys(held.get(c.parts["quotes"], c.parts["quotes"]) for c in new))
    docs = _read_articles(store, manifest, new, article_files)
    quotes = _read_quotes(store, quote_files, set(docs.doc_ids))
    fresh = Segment.of({c.chunk_id: _chunk_parts(c) for c in new}, docs, quotes)
    old = state.segments

    stories, changed = _new_stories(store, manifest, old, fresh)
    echo = _new_echoes(store, manifest, old, fresh, stories, changed)

    segments = [*old, fresh]
    while len(segments) >= 2 and segments[-2].size <= MERGE_RATIO * segments[-1].size:
        segments[-2:] = [_merge(segments[-2], segments[-1])]
    return Result({"stories": stories, "quote_echoes": echo}, State(segments, usable=quotes.keys_agree))


def _new_stories(store: Store, manifest: Manifest, old: list[Segment], fresh: Segment) -> tuple[pa.Table, dict[str, int]]:
    """The previous ``stories`` with the new articles joined in, and the old articles whose
    story changed (doc_id -> segment number, or the new segment's number for a new one)."""
    previous = store.read_part(manifest.corpus["stories"])
    everything = [*old, fresh]
    groups = echoes._Groups()
    new_ids = fresh.doc_ids(np.arange(fresh.size))
    live = np.flatnonzero(np.asarray(fresh.arrays["shingles"]) > 0)
    # Candidates: (new row, segment number, row) sharing a band, each pair once.
    pairs: list[tuple[int, int, int]] = []
    other_ids: dict[tuple[int, int], str] = {}
    if len(live):
        flat = echoes.band_keys(np.asarray(fresh.arrays["values"])[live]).ravel()
        owner = np.repeat(live, echoes.BANDS)
        for number, segment in enumerate(everything):
            queries, rows = segment.band_candidates(flat)
            if not len(rows):
                continue
            found = np.unique(owner[queries] * (segment.size + 1) + rows)
            mine, theirs = np.divmod(found, segment.size + 1)
            distinct = np.unique(theirs)
            other_ids.update(zip(((number, r) for r in distinct.tolist()), segment.doc_ids(distinct)))
            pairs.extend((m, number, r) for m, r in zip(mine.tolist(), theirs.tolist()))
    old_ids = sorted({d for (s, _), d in other_ids.items() if s < len(old)})
    story_of = _lookup(previous, "doc_id", old_ids, "story_id")
    if len(story_of) != len(old_ids):
        raise KeyError("an indexed article has no story")
    where: dict[str, tuple[int, int]] = {}  # an article -> (segment number, row)
    for n, d in enumerate(new_ids):
        where[d] = (len(old), n)
        groups.find(d)
    for a, s, r in pairs:
        other = other_ids[s, r]
        mine = new_ids[a]
        if other == mine:
            continue
        node = other if s == len(old) else story_of[other]
        where.setdefault(other, (s, r))
        if groups.find(mine) == groups.find(node):
            continue
        if echoes.is_copy(fresh.signature(a), everything[s].signature(r)):
            groups.union(node, mine)

    # The components the new articles are in, with the old stories they joined.
    components: dict[str, set[str]] = defaultdict(set)
    for d in new_ids:
        components[groups.find(d)].add(d)
    joined: dict[str, set[str]] = defaultdict(set)
    for story in set(story_of.values()):
        root = groups.find(story)
        if root in components:
            joined[root].add(story)
    touched = sorted({s for stories in joined.values() for s in stories})
    firsts = _locate(old, touched) if touched else {}
    members_at = pc.is_in(previous.column("story_id"), value_set=pa.array(touched, pa.string()))
    members = previous.filter(members_at)
    by_story: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for d, s, sim in zip(members.column("doc_id").to_pylist(), members.column("story_id").to_pylist(),
                         members.column("story_similarity").to_pylist()):
        by_story[s].append((d, sim))
    rows: list[tuple[str, str, float, int]] = []
    changed: dict[str, int] = {}
    for root, new_docs in components.items():
        stories = joined.get(root, set())
        rank = {d: fresh.rank(where[d][1]) for d in new_docs}
        rank |= {s: old[firsts[s][0]].rank(firsts[s][1]) for s in stories}
        first = min(rank, key=rank.__getitem__)
        olds = [(d, sim, s) for s in sorted(stories) for d, sim in by_story[s]]
        size = len(new_docs) + len(olds)
        first_sig = _signature_of(first, where, firsts, everything, old)
        for d in sorted(new_docs):
            sim = 1.0 if d == first else echoes.similarity(fresh.signature(where[d][1]), first_sig)
            rows.append((d, first, round(sim, 4), size))
        if len(stories) == 1 and first in stories:  # the old story's first stays: its scores too
            rows.extend((d, first, sim, size) for d, sim, _ in olds)
            continue
        located = _locate(old, [d for d, _, _ in olds])
        for d, _, s in olds:
            seg, row = located[d]
            sim = 1.0 if d == first else echoes.similarity(old[seg].signature(row), first_sig)
            rows.append((d, first, round(sim, 4), size))
            if s != first:
                changed[d] = seg
    kept = previous.filter(pc.invert(members_at)).select(["doc_id", "story_id", "story_similarity", "story_articles"])
    added = to_table(rows, STORIES)
    table = pa.concat_tables([kept.cast(STORIES), added]).sort_by("doc_id")
    return table, changed


def _lookup(table: pa.Table, key: str, wanted: Sequence[str], column: str) -> dict[str, object]:
    """key -> column of ``table``'s rows whose ``key`` is one of ``wanted`` (a few, in many rows)."""
    rows = table.filter(pc.is_in(table.column(key), value_set=pa.array(list(wanted), pa.string())))
    return dict(zip(rows.column(key).to_pylist(), rows.column(column).to_pylist()))


def _locate(segments: list[Segment], doc_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """doc_id -> (segment number, row) for articles of these segments; KeyError for one in none."""
    found: dict[str, tuple[int, int]] = {}
    wanted = list(doc_ids)
    for number, segment in enumerate(segments):
        if not wanted:
            break
        rows = segment.doc_rows(wanted)
        rest = []
        for d, row in zip(wanted, rows.tolist()):
            if row >= 0:
                found[d] = (number, row)
            else:
                rest.append(d)
        wanted = rest
    if wanted:
        raise KeyError(f"articles not in the kept state: {wanted[:3]}")
    return found


def _signature_of(doc_id, where, firsts, everything, old) -> echoes.Signature:
    if doc_id in where and where[doc_id][0] == len(old):
        return everything[-1].signature(where[doc_id][1])
    seg, row = firsts[doc_id] if doc_id in firsts else _locate(old, [doc_id])[doc_id]
    return old[seg].signature(row)


def _new_echoes(store: Store, manifest: Manifest, old: list[Segment], fresh: Segment, stories: pa.Table,
                changed: dict[str, int]) -> pa.Table:
    """The previous ``quote_echoes`` with the groups the new quotations (and the articles
    whose story changed) touch recomputed."""
    previous = store.read_part(manifest.corpus["quote_echoes"])
    prev_keys = previous.column("text_key")
    prev_groups = previous.column("quote_group")
    everything = [*old, fresh]
    batch = [k.decode() for k in fresh.arrays["keys"].tolist()]
    seen = np.zeros(len(batch), dtype=bool)
    for segment in old:
        seen |= segment.has_keys(batch)
    new_keys = [k for k, s in zip(batch, seen.tolist()) if not s]
    involved = {k for k, s in zip(batch, seen.tolist()) if s}

    links: list[tuple[str, str]] = []
    for key in new_keys:
        mine = fresh.key_words(key)
        if len(mine) < echoes.MIN_TRIMMED_WORDS:
            continue
        hashes = echoes.run_hashes(mine)
        for segment in everything:
            for other in segment.runs(hashes[:1], first=False):  # the new one a trimmed part of another
                theirs = segment.key_words(other)
                if other != key and echoes.is_trimmed_part(mine, theirs):
                    links.append((key, other))
            for other in segment.runs(hashes, first=True):  # another a trimmed part of the new one
                theirs = segment.key_words(other)
                if other != key and echoes.is_trimmed_part(theirs, mine):
                    links.append((key, other))
    involved.update(o for _, o in links)
    by_segment: dict[int, list[int]] = defaultdict(list)
    if changed:
        for d, (seg, row) in _locate(old, sorted(changed)).items():
            by_segment[seg].append(row)
    for seg, rows in by_segment.items():
        involved |= old[seg].keys_of(rows)

    # Each old key's node is its group as the previous run found it (a key without a row is its own).
    old_keys = sorted(involved - set(new_keys))
    known = _lookup(previous, "text_key", old_keys, "quote_group")
    node = {k: known.get(k, k) for k in old_keys}
    node |= {k: k for k in new_keys}
    groups = echoes._Groups()
    for k in node:
        groups.find(node[k])
    for a, b in links:
        groups.union(node[a], node[b])
    roots = {groups.find(n) for n in node.values()}
    old_nodes = sorted({n for n in node.values() if groups.find(n) in roots})
    in_old = pc.is_in(prev_groups, value_set=pa.array(old_nodes, pa.string()))
    members: dict[str, set[str]] = defaultdict(set)
    for k, g in zip(previous.filter(in_old).column("text_key").to_pylist(), previous.filter(in_old).column("quote_group").to_pylist()):
        members[groups.find(g)].add(k)
    for k, n in node.items():
        members[groups.find(n)].add(k)

    all_keys = sorted({k for keys in members.values() for k in keys})
    found: list[tuple[str, str, int]] = []
    info: dict[str, tuple[tuple[int, int, str], str | None]] = {}
    for segment in everything:
        for key, d, quote, rank, source in segment.occurrences(all_keys):
            found.append((key, d, quote))
            info.setdefault(d, (rank, source))
    story = _lookup(stories, "doc_id", sorted(info), "story_id")
    by_root: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    root_of = {k: r for r, keys in members.items() for k in keys}
    for quote in found:
        by_root[root_of[quote[0]]].append(quote)
    rows = []
    for root, keys in members.items():
        rows.extend(_group_rows(keys, by_root[root], lambda d: info[d][0], lambda d: info[d][1], story.__getitem__))
    gone = pc.is_in(prev_keys, value_set=pa.array(all_keys, pa.string()))
    kept = previous.filter(pc.invert(gone))
    table = pa.concat_tables([kept.cast(QUOTE_ECHOES), to_table(_timestamps(rows), QUOTE_ECHOES)])
    return table.sort_by("text_key")


# The files the signatures are made by (named like a stage, for their fingerprint).
_SIGNING = Stage(name="signatures", sources=("signatures.py", "wording.py"), pipes=(), tables=(), run=signatures_name)

def prepare(store: Store, chunk: Chunk) -> None:
    """Hash a new chunk's articles where it was processed (kept in ``cache/signatures/``)."""
    if not file_ok(store.path(signatures_name(chunk.chunk_id, _signature_code()))):
        _signatures(store, [chunk])


STAGE = Stage(
    name="echoes",
    sources=("echoes.py", "signatures.py", "wording.py", "stages/echoes.py"),
    pipes=(),
    tables=TABLES,
    run=run,
    scope="corpus",
    prepare=prepare,
)

"""The data dir: immutable Parquet parts, a manifest of the live ones, and a writer lock.

Layout::

    DIR/tables/<table>/<key>.parquet   immutable parts, named by the content that made them
    DIR/tables/<table>/seg-<key>.parquet  segments: many parts rewritten as one file
    DIR/manifest.json                  which parts are live, chunk by chunk, and the segments
    DIR/cache/                         Prefect cache records, stage intermediates, article signatures
    DIR/newsdag.duckdb                 views over the live parts

Every file is written to a temporary name and renamed into place, and a run becomes
visible only when the manifest is replaced; so a run killed at any moment leaves the
previous state, and a re-run never duplicates rows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from newsdag.errors import DamagedManifest, DataDirBusy, DataDirNotADir
from newsdag.lifeline import stop_if_orphaned
from newsdag.plan import digest
from newsdag.tables import CORPUS_TABLES, SCHEMAS

MANIFEST = "manifest.json"
DATABASE = "newsdag.duckdb"
SIGNATURES_DIR = "cache/signatures"
ACTORS_DIR = "cache/actors"
# The actors stage's running totals: which chunk aggregates they cover is written inside.
ACTORS_STATE = "cache/actors-state.bin"
_FORMAT = 1


@dataclass
class Chunk:
    """Documents processed together; once published, its membership never changes."""

    chunk_id: str
    doc_ids: list[str]
    parts: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    """The live state of a data dir: chunks with their parts, the rejects part, and the
    segments (path -> the parts it holds) that compaction made of many small parts.

    A chunk always names its own parts; a part held by a segment may have no file of its
    own any more, and is read from the segment.
    """

    chunks: dict[str, Chunk] = field(default_factory=dict)
    rejects: str | None = None
    segments: dict[str, list[str]] = field(default_factory=dict)
    # The corpus-level tables, one part each: table -> part.
    corpus: dict[str, str] = field(default_factory=dict)

    def chunk_of(self) -> dict[str, str]:
        """doc_id -> chunk_id for every published document."""
        return {d: c.chunk_id for c in self.chunks.values() for d in c.doc_ids}

    def parts(self, table: str) -> list[str]:
        """Relative paths of the live parts of ``table``."""
        if table == "rejects":
            return [self.rejects] if self.rejects else []
        if table in CORPUS_TABLES:
            return [self.corpus[table]] if table in self.corpus else []
        return [c.parts[table] for c in self.chunks.values() if table in c.parts]

    def live(self) -> set[str]:
        """Every live part of every table."""
        return {p for c in self.chunks.values() for p in c.parts.values()}

    def held(self) -> dict[str, str]:
        """part -> segment, for the segments all of whose parts are still live."""
        live = self.live()
        return {p: s for s, parts in self.segments.items() if live.issuperset(parts) for p in parts}

    def files(self, table: str, held: dict[str, str] | None = None) -> list[str]:
        """The files holding exactly the live rows of ``table``: segments stand in for their
        parts (``held``, when the caller has it for many tables)."""
        held = self.held() if held is None else held
        return list(dict.fromkeys(held.get(p, p) for p in self.parts(table)))

    def to_json(self) -> str:
        chunks = {k: {"doc_ids": c.doc_ids, "parts": c.parts} for k, c in sorted(self.chunks.items())}
        segments = dict(sorted(self.segments.items()))
        return json.dumps(
            {"format": _FORMAT, "chunks": chunks, "rejects": self.rejects, "segments": segments, "corpus": self.corpus},
            separators=(",", ":"),  # no indent: the C encoder, a few ms for 200,000 articles
        )

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        data = json.loads(raw)
        chunks = {k: Chunk(k, v["doc_ids"], v["parts"]) for k, v in data["chunks"].items()}
        return cls(chunks, data.get("rejects"), data.get("segments", {}), data.get("corpus", {}))


def part_name(table: str, key: str) -> str:
    """Where the part ``key`` of ``table`` lives, relative to the data dir."""
    return f"tables/{table}/{key}.parquet"


def signatures_name(chunk_id: str, code: str) -> str:
    """Where the echoes stage keeps a chunk's article signatures (made by ``code``), relative to the data dir."""
    return f"{SIGNATURES_DIR}/{chunk_id}-{code}.parquet"


def actors_parts(chunk: Chunk) -> str:
    """A short hash of the chunk parts the actors stage reads."""
    return digest(chunk.parts.get("entities", ""), chunk.parts.get("quotes", ""))[:12]


def actors_cache_name(chunk: Chunk, code: str) -> str:
    """Where the actors stage keeps a chunk's aggregates (made by ``code`` from its current
    parts), relative to the data dir."""
    return f"{ACTORS_DIR}/{chunk.chunk_id}-{actors_parts(chunk)}-{code}.parquet"


def docs_name(stage: str, key: str) -> str:
    """Where a stage keeps its parsed docs for the next stage, relative to the data dir."""
    return f"cache/docs/{stage}-{key}.spacy"


def temp_path(path: Path) -> Path:
    """The hidden name a file is written under before it is renamed to ``path``."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def atomic_parquet(path: Path, table: pa.Table) -> None:
    """Write ``table`` as the Parquet file ``path`` (zstd) under a temporary name, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    pq.write_table(table, tmp, compression="zstd")
    stop_if_orphaned()
    os.replace(tmp, path)


def atomic_write(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    with open(tmp, "wb") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
    stop_if_orphaned()
    os.replace(tmp, path)


class Store:
    """A data dir. Paths handed out are relative to it, so the dir can be moved."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root).resolve()

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    @property
    def database(self) -> Path:
        return self.root / DATABASE

    def path(self, relative: str) -> Path:
        return self.root / relative

    def load_manifest(self) -> Manifest:
        """The live state; DamagedManifest (with what to do) if the file cannot be read."""
        path = self.root / MANIFEST
        if not path.exists():
            return Manifest()
        try:
            return Manifest.from_json(path.read_text("utf-8"))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            why = "not valid JSON" if isinstance(exc, ValueError) else f"missing {exc}"
            raise DamagedManifest(str(path), why) from None

    def save_manifest(self, manifest: Manifest) -> None:
        atomic_write(self.root / MANIFEST, manifest.to_json().encode("utf-8"))

    def write_part(self, table: str, key: str, data: pa.Table) -> str:
        """Write ``data`` as the part ``key`` of ``table`` (cast to its schema); return its path.

        Parts are immutable and named by what produced them, so an existing part is kept.
        """
        relative = part_name(table, key)
        target = self.path(relative)
        if not file_ok(target):
            atomic_parquet(target, data.cast(SCHEMAS[table]))
        return relative

    def read_part(self, relative: str, columns: list[str] | None = None) -> pa.Table:
        """The rows of part ``relative``: from its file, or from the segment that holds it."""
        path = self.path(relative)
        if path.exists():
            return pq.read_table(path, columns=columns)
        manifest = self.load_manifest()
        segment = manifest.held().get(relative)
        if segment is None:
            raise FileNotFoundError(str(path))
        doc_ids = next(c.doc_ids for c in manifest.chunks.values() if relative in c.parts.values())
        return pq.read_table(self.path(segment), columns=columns, filters=[("doc_id", "in", doc_ids)])

    def empty_part(self, table: str) -> str:
        """A zero-row part, so a table with no rows still has its columns in DuckDB
        (rewritten when the table has gained a column since it was written)."""
        relative = part_name(table, "empty")
        target = self.path(relative)
        try:
            current = target.exists() and pq.read_schema(target).equals(SCHEMAS[table], check_metadata=False)
        except (pa.ArrowException, OSError):
            current = False
        if not current:
            target.unlink(missing_ok=True)
        return self.write_part(table, "empty", SCHEMAS[table].empty_table())

    def has(self, relatives: Iterable[str]) -> bool:
        """Can all these files be read, whole, from their own file or from a live segment?
        (A cache record is only as good as its files.)"""
        missing = [r for r in relatives if not file_ok(self.path(r))]
        return not missing or _held_parts(self).issuperset(missing)

    def sweep_temp_files(self) -> int:
        """Delete the temporary files of writes that a killed run left half done.

        Only safe under the writer lock: no other run is writing then.
        """
        swept = 0
        for path in self.root.rglob(".*.tmp*"):
            if path.is_file():
                path.unlink(missing_ok=True)
                swept += 1
        return swept

    def unreferenced_parts(self, manifest: Manifest) -> Iterator[Path]:
        """Parts no manifest entry points to: leftovers of killed or superseded runs."""
        live = {self.path(p) for t in SCHEMAS for p in manifest.parts(t)} | {self.path(s) for s in manifest.segments}
        live |= {self.path(f"tables/{t}/empty.parquet") for t in SCHEMAS}
        for path in sorted((self.root / "tables").glob("*/*.parquet")):
            if path not in live:
                yield path

    @contextmanager
    def writer_lock(self, *, wait_seconds: float = 0, sweep: bool = True) -> Iterator[None]:
        """Hold the data dir's writer lock; raise DataDirBusy if another run holds it,
        DataDirNotADir if the data dir is a file. Inside :meth:`reserved` (the CLI takes
        the lock before the run's start-up) the run's own lock is the reservation's."""
        if self.root in _RESERVED:
            if sweep:
                self.sweep_temp_files()
            yield
            return
        if self.root.exists() and not self.root.is_dir():
            raise DataDirNotADir(str(self.root))
        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.root / ".lock")
        try:
            lock.acquire(timeout=wait_seconds)
        except Timeout:
            raise DataDirBusy(str(self.root)) from None
        try:
            if sweep:
                self.sweep_temp_files()
            yield
        finally:
            lock.release()

    @contextmanager
    def reserved(self) -> Iterator[None]:
        """Take the writer lock now, for a run this process starts within the block, so a
        second run is refused at once rather than after its start-up."""
        with self.writer_lock(sweep=False):
            _RESERVED.add(self.root)
            try:
                yield
            finally:
                _RESERVED.discard(self.root)


def file_ok(path: Path) -> bool:
    """Is the file at ``path`` there and whole (see ``newsdag.integrity``)?"""
    from newsdag.integrity import file_ok as check

    return check(path)


# Data dirs whose writer lock this process holds for the run it is starting.
_RESERVED: set[Path] = set()

_HELD: dict[Path, tuple[tuple[int, int], frozenset[str]]] = {}


def _held_parts(store: Store) -> frozenset[str]:
    """The parts held by live segments, re-read only when the manifest file changes."""
    manifest = store.root / MANIFEST
    try:
        stat = manifest.stat()
    except FileNotFoundError:
        return frozenset()
    signature = (stat.st_mtime_ns, stat.st_size)
    cached = _HELD.get(store.root)
    if cached is None or cached[0] != signature:
        cached = _HELD[store.root] = (signature, frozenset(store.load_manifest().held()))
    return cached[1]


def merge_rejects(old: pa.Table | None, new: Iterable[tuple[str, str]], ingested: set[str]) -> list[tuple[str, str]]:
    """One reject per source path, the latest reason winning; a path that now ingests is dropped."""
    merged: dict[str, str] = {}
    if old is not None:
        merged.update(zip(old.column("source_path").to_pylist(), old.column("reason").to_pylist()))
    merged.update(new)
    return sorted((p, r) for p, r in merged.items() if p not in ingested)

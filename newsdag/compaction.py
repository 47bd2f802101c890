"""Compaction: many small Parquet parts rewritten as a few large segments.

Every chunk writes one small part per table, so a lake fed in many small batches ends
with thousands of files, and DuckDB's cost of opening them outgrows the work of a
query. Compaction writes segments (each the rows of many parts), then records them in
the manifest in one rename, and only then deletes the parts they hold; a run killed at
any moment leaves either the old files or the new ones live, never both, never neither.

Chunks keep naming their own parts, so cache records and incremental runs are not
affected: a part held by a segment is read from the segment. When a run replaces a
part that a segment holds (a new model or new code), :func:`settle` rewrites that
segment without the replaced rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from newsdag.catalog import publish_views
from newsdag.errors import DamagedParts
from newsdag.integrity import damaged_files
from newsdag.plan import digest
from newsdag.store import ACTORS_DIR, SIGNATURES_DIR, Manifest, Store, actors_parts, part_name, temp_path
from newsdag.tables import CORPUS_TABLES, SCHEMAS

# A file smaller than this is worth merging; segments grow up to about this size.
SEGMENT_BYTES = 128 * 1024 * 1024
# Rows per Parquet row group in a segment: large enough for DuckDB to scan in parallel.
ROW_GROUP_ROWS = 122_880
COMPACTED_TABLES = tuple(t for t in SCHEMAS if t != "rejects" and t not in CORPUS_TABLES)


@dataclass
class Compaction:
    """What :func:`compact` did: files before and after, per table."""

    before: dict[str, int]
    after: dict[str, int]


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with ``schema``'s columns in order (missing ones null, as the views show them)."""
    columns = [
        table.column(f.name) if f.name in table.column_names else pa.nulls(table.num_rows, f.type) for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema).cast(schema)


def _write_segment(store: Store, table: str, parts: list[str], sources: Iterable[pa.Table]) -> str:
    """Stream ``sources`` into one segment holding ``parts``; return its path."""
    relative = part_name(table, "seg-" + digest(*sorted(parts)))
    target = store.path(relative)
    if target.exists():
        return relative
    schema = SCHEMAS[table]
    tmp = temp_path(target)
    pending: list[pa.Table] = []
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for source in sources:
            pending.append(_conform(source, schema))
            if sum(t.num_rows for t in pending) >= ROW_GROUP_ROWS:
                writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_ROWS)
                pending = []
        if pending:
            writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_ROWS)
    tmp.replace(target)
    return relative


def _groups(store: Store, files: list[str]) -> Iterator[list[str]]:
    """Runs of small files whose sizes add up to about a segment."""
    group: list[str] = []
    size = 0
    for relative in files:
        length = store.path(relative).stat().st_size
        if length >= SEGMENT_BYTES:
            continue
        if group and size + length > SEGMENT_BYTES:
            yield group
            group, size = [], 0
        group.append(relative)
        size += length
    if len(group) > 1:
        yield group


def compact(store: Store) -> Compaction:
    """Merge the small files of every table into segments. Run under the writer lock."""
    manifest = store.load_manifest()
    damaged = damaged_files(store, manifest)
    if damaged:
        raise DamagedParts(str(store.root), damaged)
    before = {t: len(manifest.files(t)) for t in COMPACTED_TABLES}
    for table in COMPACTED_TABLES:
        for group in _groups(store, manifest.files(table)):
            parts = [p for f in group for p in manifest.segments.get(f, [f])]
            segment = _write_segment(store, table, parts, (pq.read_table(store.path(f)) for f in group))
            for merged in group:
                manifest.segments.pop(merged, None)
            manifest.segments[segment] = parts
    store.save_manifest(manifest)
    publish_views(store, manifest)
    sweep(store, manifest)
    return Compaction(before, {t: len(manifest.files(t)) for t in COMPACTED_TABLES})


def settle(store: Store, manifest: Manifest) -> None:
    """Rewrite the segments holding parts that are no longer live, keeping only the rows
    of their live parts (a chunk's part is exactly the rows of its documents)."""
    live = manifest.live()
    for segment, parts in list(manifest.segments.items()):
        if live.issuperset(parts):
            continue
        del manifest.segments[segment]
        kept = [p for p in parts if p in live]
        if not kept:
            continue
        doc_ids = [d for c in manifest.chunks.values() if set(kept).intersection(c.parts.values()) for d in c.doc_ids]
        rows = pq.read_table(store.path(segment), filters=[("doc_id", "in", doc_ids)])
        table = segment.split("/")[1]
        manifest.segments[_write_segment(store, table, kept, [rows])] = kept


def sweep(store: Store, manifest: Manifest) -> None:
    """Delete what the manifest no longer needs: the own files of parts held by live
    segments, segments it does not name, and corpus-level parts it no longer names (each
    run writes its own; unlike a chunk's, they are not worth keeping for a later run), and
    the article signatures and actors aggregates of chunks no longer published.
    Only after the manifest was saved."""
    held, named = set(manifest.held()), set(manifest.segments)
    for path in (store.root / "tables").glob("*/*.parquet"):  # one listing, not a call per held part
        relative = part_name(path.parent.name, path.stem)
        if relative in held or (path.name.startswith("seg-") and relative not in named):
            path.unlink(missing_ok=True)
    live = {store.path(p) for p in manifest.corpus.values()}
    for table in CORPUS_TABLES:
        for path in (store.root / "tables" / table).glob("*.parquet"):
            if path not in live and path.stem != "empty":
                path.unlink(missing_ok=True)
    for path in (store.root / SIGNATURES_DIR).glob("*.parquet"):
        if path.stem.split("-")[0] not in manifest.chunks:
            path.unlink(missing_ok=True)
    for path in (store.root / ACTORS_DIR).glob("*.parquet"):
        chunk_id, _, rest = path.stem.partition("-")
        chunk = manifest.chunks.get(chunk_id)
        if chunk is None or rest.split("-")[0] != actors_parts(chunk):
            path.unlink(missing_ok=True)

"""A large data dir without running NLP: a processed one's chunks replicated under new ids.

Each copy rewrites every chunk's Parquet parts (and its echoes signatures) with the
doc_ids hashed with the copy number and a new chunk id, so the lake has the row counts,
file counts and value distributions of ``copies`` times the real corpus; the actors
stage's chunk aggregates name no document and are copied as they are. A copy is not a
copy to the echoes stage: its quotations are in words of their own (their ``text_key``
follows) and its signatures are mapped through a bijection of its own, so its articles
and quotations echo one another as the original's do, and nothing else (a lake of 250
copies of every story would make every story 250 articles long). The corpus-level tables
are left to the next run (or :func:`newsdag.stages.publish.corpus`).

    python benchmarks/lake.py DATA_DIR --articles 200000 [--compact]
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _renamed(rows, ids: dict[str, str]):
    import pyarrow as pa

    renamed = pa.array([ids[d] for d in rows.column("doc_id").to_pylist()], pa.string())
    return rows.set_column(rows.schema.get_field_index("doc_id"), "doc_id", renamed)


def _own_word(text: str, copy: int) -> str:
    """``text`` in the copy's own words (each word marked with the copy): no copy then
    shares a quotation, or a run of its words, with another."""
    return " ".join(f"{word}c{copy}" for word in text.split())


def _own_quotations(rows, copy: int):
    """The quotations of one copy, in the copy's own words."""
    import pyarrow as pa

    from newsdag.wording import text_key

    texts = [None if t is None else _own_word(t, copy) for t in rows.column("text").to_pylist()]
    rows = rows.set_column(rows.schema.get_field_index("text"), "text", pa.array(texts, pa.string()))
    keys = pa.array([None if t is None else text_key(t) for t in texts], pa.string())
    return rows.set_column(rows.schema.get_field_index("text_key"), "text_key", keys)


def _own_signatures(rows, copy: int):
    """One copy's signatures: equal values stay equal within the copy, and meet no other copy's."""
    import numpy as np
    import pyarrow as pa

    column = rows.column("hashvalues").combine_chunks()
    values = column.flatten().to_numpy(zero_copy_only=False).astype(np.uint64)
    mapped = (values * np.uint64((0x9E3779B1 * copy) | 1) + np.uint64(copy * 0x7F4A7C15)) & np.uint64(0xFFFFFFFF)
    offsets = column.offsets.to_numpy() - column.offsets[0].as_py()
    lists = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(mapped.astype(np.uint32), pa.uint32()))
    return rows.set_column(rows.schema.get_field_index("hashvalues"), "hashvalues", lists)


def replicate(data: Path, articles: int) -> int:
    """Grow ``data`` to at least ``articles`` articles by copies of its chunks; return how many it holds."""
    import pyarrow.parquet as pq

    from newsdag.catalog import publish_views
    from newsdag.plan import chunk_id, digest
    from newsdag.store import ACTORS_DIR, SIGNATURES_DIR, Chunk, Store, actors_parts

    store = Store(data)
    with store.writer_lock():
        manifest = store.load_manifest()
        originals = list(manifest.chunks.values())
        have = sum(len(c.doc_ids) for c in originals)
        signatures = {p.name.split("-")[0]: p for p in store.path(SIGNATURES_DIR).glob("*.parquet")}
        # a chunk's actors aggregates name no document, so a copy's are the original's
        aggregates = {p.name.split("-")[0]: p for p in store.path(ACTORS_DIR).glob("*.parquet")}
        for copy in range(1, math.ceil(articles / have)):
            for chunk in originals:
                ids = {d: digest(d, str(copy)) for d in chunk.doc_ids}
                parts = {}
                for table, part in chunk.parts.items():
                    rows = _renamed(store.read_part(part), ids)
                    if table == "quotes":
                        rows = _own_quotations(rows, copy)
                    parts[table] = store.write_part(table, digest(part, str(copy)), rows)
                cid = chunk_id(ids.values())
                manifest.chunks[cid] = Chunk(cid, list(ids.values()), parts)
                if chunk.chunk_id in signatures:
                    source = signatures[chunk.chunk_id]
                    target = source.with_name(source.name.replace(chunk.chunk_id, cid, 1))
                    pq.write_table(_own_signatures(_renamed(pq.read_table(source), ids), copy), target, compression="zstd")
                if chunk.chunk_id in aggregates:
                    source = aggregates[chunk.chunk_id]
                    code = source.stem.rsplit("-", 1)[1]
                    shutil.copyfile(source, source.with_name(f"{cid}-{actors_parts(manifest.chunks[cid])}-{code}.parquet"))
        store.save_manifest(manifest)
        publish_views(store, manifest)
    return sum(len(c.doc_ids) for c in manifest.chunks.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--compact", action="store_true", help="then merge the small parts into segments")
    args = parser.parse_args()
    started = time.perf_counter()
    held = replicate(args.data_dir, args.articles)
    print(f"{held} articles in {time.perf_counter() - started:.1f} s")
    if args.compact:
        from newsdag.compaction import compact
        from newsdag.store import Store

        store = Store(args.data_dir)
        with store.writer_lock():
            done = compact(store)
        print(f"compacted: {sum(done.before.values())} files -> {sum(done.after.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

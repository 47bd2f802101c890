"""The data dir: immutable parts, the manifest, rejects merging and the writer lock."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pyarrow.parquet as pq
import pytest

from newsdag.errors import DataDirBusy
from newsdag.store import Chunk, Manifest, Store, merge_rejects
from newsdag.tables import ARTICLES, REJECTS, Article, to_table


def _articles(*texts: str):
    return to_table([Article(f"id{i}", f"{i}.txt", t, t) for i, t in enumerate(texts)], ARTICLES)


def test_write_part_casts_to_the_schema_compresses_and_never_rewrites(tmp_path) -> None:
    store = Store(tmp_path)
    relative = store.write_part("articles", "k1", _articles("one"))
    path = store.path(relative)
    assert pq.read_schema(path).equals(ARTICLES, check_metadata=False)
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    mtime = path.stat().st_mtime_ns
    assert store.write_part("articles", "k1", _articles("two")) == relative
    assert path.stat().st_mtime_ns == mtime
    assert store.read_part(relative).column("text").to_pylist() == ["one"]
    assert not list(tmp_path.rglob("*.tmp"))


def test_manifest_round_trips_and_lists_live_parts(tmp_path) -> None:
    store = Store(tmp_path)
    assert store.load_manifest() == Manifest()
    manifest = Manifest(
        {"c1": Chunk("c1", ["a", "b"], {"articles": "tables/articles/c1.parquet", "quotes": "tables/quotes/q.parquet"})},
        rejects="tables/rejects/r.parquet",
    )
    store.save_manifest(manifest)
    loaded = store.load_manifest()
    assert loaded == manifest
    assert loaded.chunk_of() == {"a": "c1", "b": "c1"}
    assert loaded.parts("quotes") == ["tables/quotes/q.parquet"]
    assert loaded.parts("tokens") == []
    assert loaded.parts("rejects") == ["tables/rejects/r.parquet"]


def test_unreferenced_parts_are_the_leftovers(tmp_path) -> None:
    store = Store(tmp_path)
    live = store.write_part("articles", "live", _articles("a"))
    store.write_part("articles", "orphan", _articles("b"))
    store.empty_part("articles")
    manifest = Manifest({"c": Chunk("c", ["id0"], {"articles": live})})
    assert [p.name for p in store.unreferenced_parts(manifest)] == ["orphan.parquet"]


def test_merge_rejects_keeps_one_latest_reason_per_path_and_forgets_fixed_files() -> None:
    old = to_table([("a.txt", "empty"), ("b.txt", "binary")], REJECTS)
    merged = merge_rejects(old, [("a.txt", "undecodable"), ("c.txt", "empty")], ingested={"b.txt"})
    assert merged == [("a.txt", "undecodable"), ("c.txt", "empty")]


def test_a_second_writer_is_refused_while_the_first_holds_the_lock(tmp_path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from newsdag.store import Store
            with Store({str(tmp_path)!r}).writer_lock():
                print("locked", flush=True)
                sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DataDirBusy, match="another newsdag run"):
            with Store(tmp_path).writer_lock(wait_seconds=0.2):
                pass
    finally:
        holder.communicate("\n", timeout=30)
    with Store(tmp_path).writer_lock():
        pass


def test_taking_the_lock_sweeps_half_written_files_of_killed_runs(tmp_path) -> None:
    store = Store(tmp_path)
    part = store.write_part("rejects", "k", to_table([("a.txt", "empty")], REJECTS))
    leftovers = [tmp_path / "tables" / "rejects" / ".k2.parquet.123.tmp", tmp_path / ".newsdag.duckdb.9.tmp.wal"]
    for path in leftovers:
        path.write_bytes(b"half")
    with store.writer_lock():
        pass
    assert not any(path.exists() for path in leftovers)
    assert store.has([part]) and not store.has([part, "tables/rejects/k2.parquet"])

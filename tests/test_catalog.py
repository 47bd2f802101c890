"""DuckDB views over the live parts."""

from __future__ import annotations

import duckdb
import pytest

from newsdag.catalog import publish_views, query, row_counts, view_sql
from newsdag.errors import NoData
from newsdag.store import Chunk, Manifest, Store
from newsdag.tables import ARTICLES, SCHEMAS, VIEW_SCHEMAS, Article, to_table


def _store_with_two_chunks(tmp_path):
    store = Store(tmp_path)
    chunks = {}
    for n, texts in enumerate([["a", "b"], ["c"]]):
        rows = [Article(f"{n}{t}", f"{t}.txt", t.upper(), t) for t in texts]
        part = store.write_part("articles", f"c{n}", to_table(rows, ARTICLES))
        chunks[f"c{n}"] = Chunk(f"c{n}", [r.doc_id for r in rows], {"articles": part})
    store.write_part("articles", "orphan", to_table([Article("x", "x", "x", "x")], ARTICLES))
    manifest = Manifest(chunks)
    publish_views(store, manifest)
    return store


def test_views_read_exactly_the_live_parts(tmp_path) -> None:
    store = _store_with_two_chunks(tmp_path)
    assert query(store, "select text from articles order by text").column("text").to_pylist() == ["a", "b", "c"]
    assert row_counts(store)["articles"] == 3


def test_every_table_exists_with_its_columns_even_when_empty(tmp_path) -> None:
    store = _store_with_two_chunks(tmp_path)
    for name, schema in SCHEMAS.items():
        result = query(store, f'select * from "{name}" limit 0')
        assert result.column_names == VIEW_SCHEMAS[name].names


def test_database_file_is_usable_with_plain_duckdb_from_another_directory(tmp_path, monkeypatch) -> None:
    store = _store_with_two_chunks(tmp_path / "dir")
    monkeypatch.chdir(tmp_path)
    with duckdb.connect(str(store.database), read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone() == (3,)


def test_query_is_read_only(tmp_path) -> None:
    store = _store_with_two_chunks(tmp_path)
    with pytest.raises(duckdb.Error):
        query(store, "drop view articles")


def test_query_without_a_database_says_to_run_first(tmp_path) -> None:
    with pytest.raises(NoData, match="newsdag run"):
        query(Store(tmp_path), "select 1")


def test_view_sql_quotes_paths(tmp_path) -> None:
    sql = view_sql("rejects", {"rejects": [tmp_path / "it's.parquet"]})
    assert "it''s.parquet" in sql and "union_by_name = true" in sql

"""DuckDB views over the live parts."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from newsdag.catalog import publish_views, query, row_counts, stream, view_sql
from newsdag.errors import NoData, NotOneStatement, StatementRefused, TablesUnreadable
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
    store.save_manifest(manifest)
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


def test_database_file_is_usable_with_plain_duckdb_from_any_directory(tmp_path, monkeypatch) -> None:
    store = _store_with_two_chunks(tmp_path / "dir")
    monkeypatch.chdir(tmp_path)
    with duckdb.connect(str(store.database), read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone() == (3,)


def test_a_copied_or_moved_data_dir_answers_from_its_own_files(tmp_path) -> None:
    original = _store_with_two_chunks(tmp_path / "original")
    copy = Store(shutil.copytree(original.root, tmp_path / "copy"))
    # The copy's own articles change; the original's stay as they were.
    part = copy.load_manifest().chunks["c0"].parts["articles"]
    copy.path(part).unlink()
    copy.write_part("articles", "c0", to_table([Article("0a", "a.txt", "A", "copied")], ARTICLES))
    assert query(copy, "select text from articles order by text").column("text").to_pylist() == ["c", "copied"]
    assert query(original, "select count(*) n from articles").column("n").to_pylist() == [3]
    # plain DuckDB reads the copy's own files once its views are rewritten where it is
    publish_views(copy, copy.load_manifest())
    with duckdb.connect(str(copy.database), read_only=True) as con:
        assert sorted(r[0] for r in con.execute("select text from articles").fetchall()) == ["c", "copied"]
    moved = Store(shutil.move(str(original.root), tmp_path / "moved"))
    assert row_counts(moved)["articles"] == 3
    shutil.rmtree(copy.root / "tables")
    with pytest.raises(TablesUnreadable, match="newsdag doctor"):
        query(copy, "select count(*) from articles")


def _user_sql(store, sql):
    with stream(store, sql) as result:
        return result.read_all()


def test_user_sql_is_one_query(tmp_path) -> None:
    store = _store_with_two_chunks(tmp_path)
    assert _user_sql(store, "-- a comment; still one\nselect count(*) n from articles where text <> ';'").to_pylist() == [{"n": 3}]
    for sql in ("", "  ; ", "-- only a comment", "select 1; select 2"):
        with pytest.raises(NotOneStatement):
            _user_sql(store, sql)
    for sql in ("drop view articles", "copy (select 1) to 'x.csv'", "attach 'x.db'", "set threads = 1",
                "pragma threads = 1", "install httpfs", "create temp table t as select 1"):
        with pytest.raises(StatementRefused):
            _user_sql(store, sql)


def test_user_sql_reads_the_tables_and_no_other_file(tmp_path) -> None:
    store = _store_with_two_chunks(tmp_path / "data")
    (tmp_path / "secret.txt").write_text("secret")
    orphan = store.path("tables/articles/orphan.parquet")
    assert orphan.exists()
    assert len(_user_sql(store, "describe articles")) == len(VIEW_SCHEMAS["articles"])
    for sql in (f"select * from read_text('{tmp_path / 'secret.txt'}')", "select * from glob('/etc/*')",
                f"select * from read_parquet('{orphan}')", f"select * from '{store.root / 'manifest.json'}'",
                "select * from read_text('/etc/hostname')"):
        with pytest.raises(duckdb.Error):
            _user_sql(store, sql)


def test_query_without_a_database_says_to_run_first(tmp_path) -> None:
    with pytest.raises(NoData, match="newsdag run"):
        query(Store(tmp_path), "select 1")


def test_view_sql_quotes_paths(tmp_path) -> None:
    sql = view_sql("rejects", {"rejects": [tmp_path / "it's.parquet"]})
    assert "it''s.parquet" in sql and "union_by_name = true" in sql


def test_a_data_dir_of_an_older_newsdag_answers_with_empty_new_tables(tmp_path) -> None:
    store = _store_with_two_chunks(tmp_path)
    store.path("tables/actors/empty.parquet").unlink()  # as if written before the table existed
    assert query(store, "select count(*) n from actors").column("n").to_pylist() == [0]
    assert query(store, "select count(*) n from articles").column("n").to_pylist() == [3]

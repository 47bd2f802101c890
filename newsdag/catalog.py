"""The DuckDB side of a data dir: one view per table over its live Parquet parts.

``DIR/newsdag.duckdb`` is rebuilt under a temporary name and renamed into place on every
publish, so plain DuckDB readers always see a complete set of views. Its views name
their files by absolute path, so ``duckdb DIR/newsdag.duckdb`` works from any working
directory; after the data dir is copied or moved they still name the old place until
the next publish (``newsdag run``, or ``newsdag doctor --repair``) rewrites them.

newsdag itself never trusts the views stored in the file: :func:`connect` builds them
afresh, in memory, from the manifest and the data dir's current location, and
:func:`sandboxed` does the same for user SQL on a connection that can read the live
parts and nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from newsdag.errors import DataDirNotADir, NoData, NotOneStatement, StatementRefused, TablesUnreadable
from newsdag.store import MANIFEST, Manifest, Store, part_name, temp_path
from newsdag.tables import JOIN_DEFAULTS, JOINED, SCHEMAS

# What user SQL may be: a query (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE)
# or the plan of one. Everything else (COPY, ATTACH, SET, PRAGMA, CREATE, ...) is refused.
ALLOWED_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_parquet_sql(files: list[Path] | list[str]) -> str:
    """A read_parquet() over ``files`` whose columns line up by name (older parts lack newer ones)."""
    listed = ", ".join(_sql_string(str(f)) for f in files)
    return f"read_parquet([{listed}], union_by_name = true)"


def view_sql(name: str, files: dict[str, list[Path] | list[str]]) -> str:
    """CREATE VIEW of table ``name`` over its ``files`` (table -> files); ``union_by_name``
    lets older parts lack newer columns. A table with corpus-level columns
    (:data:`~newsdag.tables.JOINED`) has them joined on, one table after another; where a
    joined table has defaults (:data:`~newsdag.tables.JOIN_DEFAULTS`) a row it lacks
    shows them, from the row's own article."""
    columns = [f'p."{f.name}"' for f in SCHEMAS[name]]
    source = f"{read_parquet_sql(files[name])} p"
    for n, (other, keys) in enumerate(JOINED.get(name, ())):
        defaults = JOIN_DEFAULTS.get(other, {})
        for f in SCHEMAS[other]:
            if f.name in keys:
                continue
            if f.name in defaults:
                found = " AND ".join(f'j{n}."{k}" IS NOT NULL' for k in keys)
                wanted = " AND ".join(f'p."{k}" IS NOT NULL' for k in keys)
                columns.append(f'CASE WHEN {found} THEN j{n}."{f.name}" WHEN {wanted} '
                               f'THEN CAST({defaults[f.name]} AS {_sql_type(f.type)}) END AS "{f.name}"')
            else:
                columns.append(f'j{n}."{f.name}"')
        on = " AND ".join(f'p."{k}" = j{n}."{k}"' for k in keys)
        source += f" LEFT JOIN {read_parquet_sql(files[other])} j{n} ON {on}"
    if "articles" in view_tables(name)[1:]:
        source += (f" LEFT JOIN (SELECT doc_id, source, published_at FROM {read_parquet_sql(files['articles'])}) a"
                   f' ON p."doc_id" = a.doc_id')
    return f'CREATE OR REPLACE VIEW "{name}" AS SELECT {", ".join(columns)} FROM {source}'


def view_tables(name: str) -> list[str]:
    """The tables whose files view ``name`` reads: its own, the joined ones, and the
    articles when a joined table's defaults come from the row's article."""
    joined = [other for other, _ in JOINED.get(name, ())]
    article = any("a." in sql for other in joined for sql in JOIN_DEFAULTS.get(other, {}).values())
    return [name, *joined, *(["articles"] if article and name != "articles" else [])]


def _sql_type(type_: pa.DataType) -> str:
    return {pa.int64(): "BIGINT", pa.string(): "VARCHAR"}.get(type_, "TIMESTAMPTZ")


def table_files(store: Store, manifest: Manifest) -> dict[str, list[str]]:
    """The files of every table, absolute: its empty part, then the live ones."""
    held = manifest.held()
    return {
        name: [str(store.path(f)) for f in [part_name(name, "empty"), *manifest.files(name, held)]] for name in SCHEMAS
    }


def publish_views(store: Store, manifest: Manifest) -> Path:
    """Rebuild the database file so each table's view reads exactly the manifest's live parts."""
    target = store.database
    tmp = temp_path(target)
    tmp.unlink(missing_ok=True)
    for name in SCHEMAS:
        store.empty_part(name)
    files = table_files(store, manifest)
    with duckdb.connect(str(tmp)) as con:
        for name in SCHEMAS:
            con.execute(view_sql(name, files))
    os.replace(tmp, target)
    return target


def check_data_dir(store: Store) -> Manifest:
    """The data dir's manifest; DataDirNotADir, NoData or DamagedManifest when it has none to read."""
    if store.root.exists() and not store.root.is_dir():
        raise DataDirNotADir(str(store.root))
    if not (store.root / MANIFEST).exists() and not store.database.exists():
        raise NoData(str(store.root))
    return store.load_manifest()


def _views(con: duckdb.DuckDBPyConnection, store: Store, manifest: Manifest) -> list[str]:
    """Create every view on ``con`` where the data dir is now; return the files they read.

    A table newer than the data dir's last run has no empty part yet; it is written here
    (a zero-row file), so a data dir of an older newsdag answers with empty new tables."""
    for name in SCHEMAS:
        if not store.path(part_name(name, "empty")).exists():
            try:
                store.empty_part(name)
            except OSError:
                pass  # a read-only data dir: the view below says what to run
    files = table_files(store, manifest)
    for name in SCHEMAS:
        try:
            con.execute(view_sql(name, files))
        except duckdb.Error as exc:
            raise TablesUnreadable(str(store.root), exc) from None
    return [f for listed in files.values() for f in listed]


@contextmanager
def connect(store: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB connection with the data dir's views, built from its manifest
    where the data dir is now (so a copied or moved dir answers from its own files)."""
    manifest = check_data_dir(store)
    with duckdb.connect(":memory:") as con:
        con.execute("SET TimeZone = 'UTC'")
        _views(con, store, manifest)
        yield con


def open_sandboxed(store: Store) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the data dir's views that can read the live parts and
    nothing else: DuckDB's external access is off except for those files, and its
    configuration is locked, so no statement can read or write another file, attach a
    database, install or load an extension, or change a setting. The caller closes it."""
    manifest = check_data_dir(store)
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
        files = _views(con, store, manifest)
        con.execute(f"SET allowed_paths = [{', '.join(_sql_string(f) for f in files)}]")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def sandboxed(store: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    """:func:`open_sandboxed`, closed on exit: the connection user SQL runs on."""
    with open_sandboxed(store) as con:
        yield con


def one_statement(sql: str) -> str:
    """``sql`` if it is exactly one query; NotOneStatement or StatementRefused otherwise.
    DuckDB's own parser decides, so comments and string literals are no trouble."""
    statements = duckdb.extract_statements(sql)
    if len(statements) != 1:
        raise NotOneStatement(len(statements))
    if statements[0].type not in ALLOWED_STATEMENTS:
        raise StatementRefused(statements[0].type.name)
    return sql


@contextmanager
def stream(store: Store, sql: str, *, batch_rows: int = 65_536) -> Iterator[pa.RecordBatchReader]:
    """The result of one user query as a stream of record batches, on a sandboxed connection."""
    statement = one_statement(sql)
    with sandboxed(store) as con:
        yield con.sql(statement).to_arrow_reader(batch_rows)


def query(store: Store, sql: str, params: dict | None = None) -> pa.Table:
    """Run one SQL statement of newsdag's own against the data dir's views and return the result."""
    with connect(store) as con:
        try:
            relation = con.sql(sql, params=params)
            return pa.table({}) if relation is None else relation.to_arrow_table()
        except (duckdb.IOException, duckdb.InvalidInputException) as exc:  # a part that cannot be read
            raise TablesUnreadable(str(store.root), exc) from None


def row_counts(store: Store) -> dict[str, int]:
    """Rows in every table, as the views see them, from the Parquet footers of the live
    files: a joined view has the rows of its own table (its joins are on unique keys), so
    nothing is scanned however large the data dir."""
    manifest = check_data_dir(store)
    held = manifest.held()
    try:
        return {
            name: sum(pq.read_metadata(store.path(f)).num_rows for f in manifest.files(name, held)) for name in SCHEMAS
        }
    except (pa.ArrowException, OSError) as exc:
        raise TablesUnreadable(str(store.root), exc) from None

"""The DuckDB database in a data dir: one view per table over its live Parquet parts.

The database file is rebuilt under a temporary name and renamed into place on every
publish, so readers always see a complete set of views. Views name absolute paths, so
``duckdb DIR/newsdag.duckdb`` works from any working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa

from newsdag.errors import NoData
from newsdag.store import Manifest, Store, temp_path
from newsdag.tables import JOINED, SCHEMAS


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _read(files: list[Path]) -> str:
    listed = ", ".join(_sql_string(str(f)) for f in files)
    return f"read_parquet([{listed}], union_by_name = true)"


def view_sql(name: str, files: dict[str, list[Path]]) -> str:
    """CREATE VIEW of table ``name`` over its ``files`` (table -> files); ``union_by_name``
    lets older parts lack newer columns. A table with corpus-level columns
    (:data:`~newsdag.tables.JOINED`) has them joined on."""
    columns = [f'p."{f.name}"' for f in SCHEMAS[name]]
    source = f"{_read(files[name])} p"
    if name in JOINED:
        other, keys = JOINED[name]
        columns += [f'j."{f.name}"' for f in SCHEMAS[other] if f.name not in keys]
        on = " AND ".join(f'p."{k}" = j."{k}"' for k in keys)
        source += f" LEFT JOIN {_read(files[other])} j ON {on}"
    return f'CREATE OR REPLACE VIEW "{name}" AS SELECT {", ".join(columns)} FROM {source}'


def publish_views(store: Store, manifest: Manifest) -> Path:
    """Rebuild the database so each table's view reads exactly the manifest's live parts."""
    target = store.database
    tmp = temp_path(target)
    tmp.unlink(missing_ok=True)
    files = {
        name: [store.path(store.empty_part(name))] + [store.path(p) for p in manifest.files(name)] for name in SCHEMAS
    }
    with duckdb.connect(str(tmp)) as con:
        for name in SCHEMAS:
            con.execute(view_sql(name, files))
    os.replace(tmp, target)
    return target


def query(store: Store, sql: str) -> pa.Table:
    """Run one SQL statement against the data dir's views (read-only) and return the result."""
    if not store.database.exists():
        raise NoData(str(store.root))
    with duckdb.connect(str(store.database), read_only=True) as con:
        relation = con.sql(sql)
        return pa.table({}) if relation is None else relation.to_arrow_table()


def row_counts(store: Store) -> dict[str, int]:
    """Rows in every table, as the views see them."""
    with duckdb.connect(str(store.database), read_only=True) as con:
        return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in SCHEMAS}

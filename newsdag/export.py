"""Export every table of a data dir as CSV, JSON Lines or Parquet files, one per table.

DuckDB streams each view straight to its file, so large tables (tokens) never sit in
memory. Each file is written under a temporary name and renamed into place.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa

from newsdag.catalog import connect
from newsdag.formats import ExportFormat
from newsdag.store import Store
from newsdag.tables import VIEW_SCHEMAS


_SUFFIX = {ExportFormat.csv: ".csv", ExportFormat.json: ".jsonl", ExportFormat.parquet: ".parquet"}
_OPTIONS = {
    ExportFormat.csv: "FORMAT csv, HEADER true",
    ExportFormat.json: "FORMAT json",
    ExportFormat.parquet: "FORMAT parquet, COMPRESSION zstd",
}


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _column(field: pa.Field, fmt: ExportFormat) -> str:
    """The view's column, as JSON text when CSV cannot hold it (lists, structs)."""
    name = f'"{field.name}"'
    nested = pa.types.is_nested(field.type)
    return f"to_json({name})::VARCHAR AS {name}" if nested and fmt is ExportFormat.csv else name


def export_tables(store: Store, fmt: ExportFormat, out: Path) -> dict[str, tuple[Path, int]]:
    """Write each table to ``out/<table><suffix>``; return table -> (file, rows)."""
    with connect(store) as con:
        out.mkdir(parents=True, exist_ok=True)
        written: dict[str, tuple[Path, int]] = {}
        for name, schema in VIEW_SCHEMAS.items():
            target = out / f"{name}{_SUFFIX[fmt]}"
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            columns = ", ".join(_column(f, fmt) for f in schema)
            rows = con.execute(
                f'COPY (SELECT {columns} FROM "{name}") TO {_sql_string(str(tmp))} ({_OPTIONS[fmt]})'
            ).fetchone()[0]
            os.replace(tmp, target)
            written[name] = (target, rows)
    return written

"""Printing or saving a query result: a terminal table, CSV, JSON or a Parquet file."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

from newsdag.errors import NewsdagError
from newsdag.formats import ResultFormat


def _cell(value: Any) -> Any:
    """Lists and structs as JSON text, so a CSV cell can be parsed back."""
    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (list, dict)) else value


@contextmanager
def _text_target(out: Path | None) -> Iterator[TextIO]:
    if out is None:
        yield sys.stdout
    else:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            yield fh


def write_result(result: pa.Table, fmt: ResultFormat, out: Path | None = None) -> None:
    """Write ``result`` in ``fmt`` to ``out``, or to standard output when ``out`` is None.

    Parquet is binary, so it needs ``out``; JSON is an array of row objects, as ``newsdag sql`` prints.
    """
    if fmt is ResultFormat.parquet:
        if out is None:
            raise NewsdagError("--format parquet writes a file: give it with --out FILE")
        pq.write_table(result, out, compression="zstd")
        return
    rows = result.to_pylist()
    with _text_target(out) as fh:
        if fmt is ResultFormat.json:
            fh.write(json.dumps(rows, ensure_ascii=False, default=str, indent=1) + "\n")
        elif fmt is ResultFormat.csv:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(result.column_names)
            writer.writerows([_cell(row[c]) for c in result.column_names] for row in rows)
        else:
            table = Table(*result.column_names)
            for row in rows:
                table.add_row(*("" if v is None else str(_cell(v)) for v in row.values()))
            Console(file=fh).print(table)

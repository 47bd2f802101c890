"""Printing or saving a query result: a terminal table, CSV, JSON or a Parquet file.

A result arrives as a table or as a stream of record batches; CSV, JSON and Parquet are
written batch by batch, so a result larger than memory can go to a file. A file is
written under a temporary name and renamed into place when complete.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console

from newsdag import terminal
from newsdag.errors import NewsdagError, OutputUnwritable
from newsdag.formats import ResultFormat

Result = pa.Table | pa.RecordBatchReader


def _cell(value: Any) -> Any:
    """Lists and structs as JSON text, so a CSV cell can be parsed back."""
    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (list, dict)) else value


def _batches(result: Result) -> Iterator[pa.RecordBatch]:
    yield from (result.to_batches() if isinstance(result, pa.Table) else result)


@contextmanager
def target(out: Path | None, binary: bool = False) -> Iterator[IO]:
    """Standard output, or a temporary file next to ``out`` renamed to it on success."""
    if out is None:
        yield sys.stdout
        return
    if out.is_dir():
        raise OutputUnwritable(str(out), OutputUnwritable.IS_FOLDER)
    if out.exists() and not out.is_file():  # /dev/stdout, a FIFO: written as it is
        try:
            fh = open(out, "wb") if binary else open(out, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise OutputUnwritable(str(out), exc.strerror or str(exc)) from None
        with fh:
            yield fh
        return
    if not out.parent.is_dir():
        raise OutputUnwritable(str(out), OutputUnwritable.NO_FOLDER.format(folder=str(out.parent)))
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        fh = open(tmp, "wb") if binary else open(tmp, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise OutputUnwritable(str(out), exc.strerror or str(exc)) from None
    try:
        with fh:
            yield fh
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def write_result(result: Result, fmt: ResultFormat, out: Path | None = None, *, wide: bool = False) -> None:
    """Write ``result`` in ``fmt`` to ``out``, or to standard output when ``out`` is None.

    Parquet is binary, so it needs ``out``; JSON is an array of row objects, as ``newsdag sql`` prints.
    A table is one line per row, fitted to the terminal's width, unless ``wide``.
    """
    if fmt is ResultFormat.parquet:
        if out is None:
            raise NewsdagError("--format parquet writes a file: give it with --out FILE")
        with target(out, binary=True) as fh, pq.ParquetWriter(fh, result.schema, compression="zstd") as writer:
            for batch in _batches(result):
                writer.write_batch(batch)
        return
    names = result.schema.names
    with target(out) as fh:
        if fmt is ResultFormat.json:
            first = True
            fh.write("[")
            for batch in _batches(result):
                for row in batch.to_pylist():
                    fh.write(("\n " if first else ",\n ") + json.dumps(row, ensure_ascii=False, default=str))
                    first = False
            fh.write("]\n" if first else "\n]\n")
        elif fmt is ResultFormat.csv:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(names)
            for batch in _batches(result):
                writer.writerows([_cell(row[c]) for c in names] for row in batch.to_pylist())
        else:
            _print_table(result, fh, wide)


def _print_table(result: Result, fh: IO, wide: bool) -> None:
    """The terminal table (see :mod:`newsdag.terminal`); a file gets it uncoloured."""
    table = result if isinstance(result, pa.Table) else result.read_all()
    shown, width, note = terminal.render(table, Console(file=fh).width, wide=wide)
    Console(file=fh, width=width).print(shown)
    if note:
        Console(file=sys.stderr).print(f"[dim]{note}[/]", highlight=False)

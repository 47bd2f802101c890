"""A query result as a table that fits the terminal: one line per row.

Long values are cut with an ellipsis, and when even short columns cannot all fit, the
middle ones are left out behind a ``…`` column, as DuckDB's own CLI does, so a wide
table such as ``quotes`` stays readable at 100 columns. ``wide`` keeps every value whole
(one long line per row, for a pager such as ``less -S``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from rich import box
from rich.table import Table
from rich.text import Text

GAP = 2  # the space between two columns
MIN_WIDTH = 6  # narrowest a column is cut to, header and values alike (unless its content is narrower)
HIDDEN = "…"


def is_number(kind: pa.DataType) -> bool:
    """Numbers are right-aligned, so their digits line up."""
    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)


def cell(value: Any) -> str:
    """A value on one line: NULL as empty, lists and structs as JSON, line breaks as ``↵``."""
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (list, dict)) else str(value)
    return text.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵").replace("\t", " ")


def gaps(columns: int) -> int:
    """Characters between ``columns`` columns."""
    return GAP * max(columns - 1, 0)


def _share(wanted: list[int], room: int) -> list[int]:
    """Widths for columns wanting ``wanted`` within ``room``: the narrow ones whole, the
    rest an equal share of what is left (each at least its minimum)."""
    floor = [min(w, MIN_WIDTH) for w in wanted]
    widths = list(floor)
    spare = room - sum(floor)
    open_ = [i for i, w in enumerate(wanted) if w > floor[i]]
    while spare > 0 and open_:
        step = max(spare // len(open_), 1)
        for i in list(open_):
            give = min(step, wanted[i] - widths[i], spare)
            widths[i] += give
            spare -= give
            if widths[i] >= wanted[i]:
                open_.remove(i)
            if spare <= 0:
                break
    return widths


def _shown(wanted: list[int], width: int) -> list[int]:
    """The columns that fit at their minimum width: all, or the first and last ones with
    the middle left out (one ``…`` column stands for them)."""
    columns = list(range(len(wanted)))

    def need(cols: list[int], hidden: bool) -> int:
        return sum(min(wanted[i], MIN_WIDTH) for i in cols) + (1 if hidden else 0) + gaps(len(cols) + hidden)

    if need(columns, False) <= width:
        return columns
    while len(columns) > 1 and need(columns, True) > width:
        del columns[len(columns) // 2]
    return columns


def fit(names: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> tuple[list[int], list[int]]:
    """The columns to show and their widths, so that a row takes at most ``width`` characters."""
    wanted = [max([len(name), *(len(r[i]) for r in rows)]) for i, name in enumerate(names)]
    shown = _shown(wanted, width)
    hidden = len(shown) < len(names)
    room = width - gaps(len(shown) + hidden) - (1 if hidden else 0)
    return shown, _share([wanted[i] for i in shown], room)


def render(result: pa.Table, width: int, *, wide: bool = False) -> tuple[Table, int, str | None]:
    """The table to print, the width to print it at (``width``, or what whole values
    take when ``wide``) and a note on left-out columns (or None)."""
    names = result.schema.names
    numbers = [is_number(f.type) for f in result.schema]
    rows = [[cell(v) for v in row.values()] for row in result.to_pylist()]
    if wide:
        shown, widths = list(range(len(names))), [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    else:
        shown, widths = fit(names, rows, width)
    width = sum(widths) + gaps(len(widths)) if wide else width
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False, collapse_padding=True)
    middle = next((p for p, i in enumerate(shown) if i != p), None)  # where columns were left out
    for position, (i, w) in enumerate(zip(shown, widths, strict=True)):
        if position == middle:
            table.add_column(HIDDEN, width=1, no_wrap=True)
        table.add_column(
            names[i], width=w, no_wrap=True, overflow="ellipsis", justify="right" if numbers[i] else "left",
            header_style="bold",
        )
    for row in rows:
        cells = [Text(row[i]) for i in shown]
        if middle is not None:
            cells.insert(middle, Text(HIDDEN))
        table.add_row(*cells)
    note = None
    if middle is not None:
        note = f"{len(shown)} of {len(names)} columns shown; --wide shows all, or select fewer columns"
    return table, width, note

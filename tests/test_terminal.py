"""Tables that fit the terminal: one line per row, values cut with an ellipsis, numbers right-aligned."""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pytest
from rich.console import Console
from typer.testing import CliRunner

from newsdag import terminal
from newsdag.cli import app
from tests.analytics_lake import build_lake

runner = CliRunner()


def lines(table: pa.Table, width: int, wide: bool = False) -> list[str]:
    shown, at, _ = terminal.render(table, width, wide=wide)
    out = io.StringIO()
    Console(file=out, width=at).print(shown)
    return out.getvalue().rstrip("\n").split("\n")


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return build_lake(tmp_path_factory.mktemp("lake"))


def test_long_values_are_cut_to_the_width_one_line_per_row() -> None:
    table = pa.table({"n": [1, 22, 333], "text": ["short", "x" * 300, "a\nline break"]})
    got = lines(table, 40)
    assert len(got) == 2 + 3  # header, rule, one line per row
    assert all(len(line) <= 40 for line in got)
    assert got[3].rstrip().endswith("…") and "↵" in got[4]


def test_numbers_are_right_aligned_text_left() -> None:
    table = pa.table({"count": [1, 1000], "name": ["a", "bbbb"]})
    body = lines(table, 40)[2:]
    assert body[0].index("1") == body[1].index("1000") + 3
    assert body[0].split()[1] == "a" and body[0].index("a") == body[1].index("bbbb")


def test_too_many_columns_leave_out_the_middle_ones() -> None:
    table = pa.table({f"column_{i}": [f"value {i}"] for i in range(30)})
    shown, _, note = terminal.render(table, 60)
    got = lines(table, 60)
    assert len(got) == 3 and all(len(line) <= 60 for line in got)
    kept, _ = terminal.fit(table.schema.names, [[f"value {i}" for i in range(30)]], 60)
    assert kept[0] == 0 and kept[-1] == 29 and len(kept) < 30
    assert "…" in got[2].split() and note and "of 30 columns shown" in note


def test_wide_keeps_whole_values() -> None:
    table = pa.table({"n": [1], "text": ["y" * 300]})
    got = lines(table, 40, wide=True)
    assert len(got) == 3 and "y" * 300 in got[2]


def test_sql_prints_one_line_per_row_at_100_columns(lake) -> None:
    rows = json.loads(runner.invoke(app, ["sql", "select * from quotes", "--data-dir", str(lake.root), "--format", "json"]).stdout)
    result = runner.invoke(app, ["sql", "select * from quotes", "--data-dir", str(lake.root)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    printed = result.stdout.rstrip("\n").split("\n")
    assert len(printed) == 2 + len(rows)
    assert all(len(line) <= 100 for line in printed)
    assert "columns shown" in result.stderr


def test_sql_wide_prints_full_values(lake) -> None:
    sql = "select quote_id, text from quotes where doc_id = 'd1' order by quote_id"
    result = runner.invoke(app, ["sql", sql, "--data-dir", str(lake.root), "--wide"], env={"COLUMNS": "30"})
    assert result.exit_code == 0, result.output
    assert "Paris is far, and Acme knows it." in result.stdout
    assert len(result.stdout.rstrip("\n").split("\n")) == 2 + 3


def test_query_fits_the_terminal_too(lake) -> None:
    result = runner.invoke(app, ["query", "quote_contexts", "--data-dir", str(lake.root)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    printed = result.stdout.rstrip("\n").split("\n")
    assert len(printed) == 2 + 7 and all(len(line) <= 100 for line in printed)

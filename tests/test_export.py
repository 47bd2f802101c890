"""Exports: every table, in each format, read back with the same rows."""

from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsdag.cli import app
from newsdag.errors import NoData
from newsdag.export import export_tables
from newsdag.formats import ExportFormat
from newsdag.store import Store
from newsdag.tables import SCHEMAS, VIEW_SCHEMAS
from tests.analytics_lake import HOSTILE_TITLE, build_lake

runner = CliRunner()
ROWS = {
    "articles": 5, "sentences": 0, "tokens": 0, "entities": 18, "quotes": 7, "rejects": 0,
    "actors": 5, "actor_keys": 5, "quote_speakers": 4, "stories": 5, "quote_echoes": 0,  # no quotation repeats: no group rows
}


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Store:
    return build_lake(tmp_path_factory.mktemp("lake"))


def test_parquet_keeps_the_schemas_and_rows(lake, tmp_path) -> None:
    written = export_tables(lake, ExportFormat.parquet, tmp_path)
    assert {name: rows for name, (_, rows) in written.items()} == ROWS
    for name, schema in VIEW_SCHEMAS.items():
        table = pq.read_table(tmp_path / f"{name}.parquet")
        assert [(f.name, f.type) for f in table.schema] == [(f.name, f.type) for f in schema]
        assert table.num_rows == ROWS[name]
    quotes = pq.read_table(tmp_path / "quotes.parquet").to_pylist()
    split = next(q for q in quotes if q["cue"] == "told")
    assert [s["end_char"] - s["start_char"] for s in split["segments"]] == [len("Paris is far,"), len("and Acme knows it.")]


def test_csv_has_headers_and_nested_columns_as_json(lake, tmp_path) -> None:
    export_tables(lake, ExportFormat.csv, tmp_path)
    for name, schema in VIEW_SCHEMAS.items():
        with open(tmp_path / f"{name}.csv", newline="", encoding="utf-8") as fh:
            table = list(csv.reader(fh))
        assert table[0] == schema.names and len(table) == ROWS[name] + 1
    with open(tmp_path / "quotes.csv", newline="", encoding="utf-8") as fh:
        split = next(r for r in csv.DictReader(fh) if r["cue"] == "told")
    assert [s["start_char"] < s["end_char"] for s in json.loads(split["segments"])] == [True, True]
    with open(tmp_path / "articles.csv", newline="", encoding="utf-8") as fh:
        articles = {r["doc_id"]: r for r in csv.DictReader(fh)}
    assert articles["d5"]["title"] == HOSTILE_TITLE
    assert articles["d1"]["published_at"].startswith("2024-01-15 00:00:00")
    assert articles["d3"]["published_at"] == ""


def test_json_writes_one_object_per_line(lake, tmp_path) -> None:
    export_tables(lake, ExportFormat.json, tmp_path)
    for name in SCHEMAS:
        lines = (tmp_path / f"{name}.jsonl").read_text("utf-8").splitlines()
        assert len(lines) == ROWS[name]
    quotes = [json.loads(line) for line in (tmp_path / "quotes.jsonl").read_text("utf-8").splitlines()]
    carol = next(q for q in quotes if q["speaker_canonical"] == "Carol O'Neil")
    assert (carol["text"], carol["kind"], len(carol["segments"])) == ("Mr. Jones is right,", "direct", 1)


def test_export_replaces_files_and_leaves_no_temporary_ones(lake, tmp_path) -> None:
    (tmp_path / "quotes.csv").write_text("stale")
    export_tables(lake, ExportFormat.csv, tmp_path)
    assert (tmp_path / "quotes.csv").read_text("utf-8").startswith("doc_id,quote_id")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.csv" for n in SCHEMAS)


def test_without_a_database_export_says_to_run_first(tmp_path) -> None:
    with pytest.raises(NoData, match="newsdag run"):
        export_tables(Store(tmp_path / "none"), ExportFormat.csv, tmp_path / "out")


def test_cli_export_writes_every_table(lake, tmp_path) -> None:
    out = tmp_path / "it's here"
    result = runner.invoke(app, ["export", "--format", "json", "--out", str(out), "--data-dir", str(lake.root)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.jsonl" for n in SCHEMAS)
    assert "quotes" in result.output and " 7 rows" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [(["export", "--data-dir", "no/such/dir"], "newsdag run"), (["export", "--format", "xml"], "xml")],
)
def test_cli_export_errors_exit_2(args, message, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and message in result.output

"""The newsdag command as a user types it."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from newsdag.cli import app
from tests.conftest import SEED

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(prefect_harness, tmp_path_factory):
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copy(SEED, inbox / SEED.name)
    (inbox / "empty.txt").write_text("")
    data = tmp_path_factory.mktemp("data")
    first = runner.invoke(app, ["run", str(inbox), "--data-dir", str(data)])
    assert first.exit_code == 0, first.output
    assert "articles: 1 (1 new, 0 cached), rejected: 1" in first.output
    second = runner.invoke(app, ["run", str(inbox), "--data-dir", str(data)])
    assert second.exit_code == 0, second.output
    assert "articles: 1 (0 new, 1 cached), rejected: 1" in second.output
    assert "tokenise 0 run / 1 cached" in second.output
    return data


def test_sql_json_prints_an_array_of_row_objects(data_dir) -> None:
    result = runner.invoke(app, ["sql", "select doc_id, title from articles", "--data-dir", str(data_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows == [{"doc_id": rows[0]["doc_id"], "title": SEED.read_text().splitlines()[0]}]


def test_sql_csv_has_a_header_and_rows(data_dir) -> None:
    result = runner.invoke(app, ["sql", "select source_path, reason from rejects", "--data-dir", str(data_dir), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["source_path", "reason"]
    assert len(rows) == 2 and rows[1][0].endswith("empty.txt") and rows[1][1].startswith("empty")


def test_sql_table_format_shows_columns_and_values(data_dir) -> None:
    result = runner.invoke(app, ["sql", "select count(*) as n_articles from articles", "--data-dir", str(data_dir)])
    assert result.exit_code == 0
    assert "n_articles" in result.stdout and "1" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "no/such/folder"], "does not exist"),
        (["run", "--model", "no_such_model_pkg", str(SEED)], "cannot load the spaCy model"),
        (["sql", "select 1", "--data-dir", "no/such/dir"], "newsdag run"),
    ],
)
def test_user_errors_exit_2_with_a_message(args, message, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "error:" in result.output and message in result.output


def _readme_queries() -> list[str]:
    import re

    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", readme, flags=re.S)
    inline = re.findall(r'newsdag sql "([^"]+)"', readme)
    return [b.strip() for b in blocks] + [q for q in inline if q != "SQL"]


@pytest.mark.parametrize("sql", _readme_queries())
def test_every_query_of_the_readme_runs(data_dir, sql) -> None:
    result = runner.invoke(app, ["sql", sql, "--data-dir", str(data_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), list)


def test_every_named_query_runs(data_dir) -> None:
    from newsdag.analytics import available

    for name, named in available().items():
        params = [f"--param={p.name}=Tony Blair" for p in named.params if p.required]
        result = runner.invoke(app, ["query", name, *params, "--data-dir", str(data_dir), "--format", "json"])
        assert result.exit_code == 0, (name, result.output)

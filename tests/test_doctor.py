"""``newsdag doctor``: a damaged data dir is reported, and repaired from what it holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdag.cli import app
from newsdag.doctor import examine, repair
from newsdag.defaults import DEFAULT_MODEL
from newsdag.integrity import part_problem
from newsdag.store import Store
from tests.conftest import run_stages, write_articles
from tests.killing import table_contents

runner = CliRunner()
TEXTS = [
    "Rain in Leeds\n\n“It is wet,” said Ada Brennan, who runs a shelter.\n",
    "Sun in Lisbon\n\nOmar Castillo said that it was hot in the city.\n",
    "Snow in Quebec\n\nLena Duarte said the roads were closed for a week.\n",
]


@pytest.fixture
def lake(nlp, tmp_path) -> tuple[Store, dict]:
    (tmp_path / "in").mkdir()
    write_articles(tmp_path / "in", TEXTS)
    store = Store(tmp_path / "data")
    run_stages(store, [str(tmp_path / "in")], chunk_size=2)
    return store, table_contents(store.root)


def _part(store: Store, table: str) -> Path:
    manifest = store.load_manifest()
    return store.path(sorted(c.parts[table] for c in manifest.chunks.values())[0])


def _doctor(store: Store, *args: str):
    return runner.invoke(app, ["doctor", "--data-dir", str(store.root), *args])


def test_a_healthy_data_dir_is_ok(lake) -> None:
    store, _ = lake
    result = _doctor(store)
    assert result.exit_code == 0, result.output
    assert "nothing is wrong" in result.output and "parts 15" in result.output


@pytest.mark.parametrize("table", ["tokens", "entities", "quotes"])
def test_a_truncated_stage_part_is_reported_then_recomputed(lake, table) -> None:
    store, clean = lake
    part = _part(store, table)
    part.write_bytes(part.read_bytes()[:-30])
    result = _doctor(store)
    assert result.exit_code == 1
    assert f"{part.relative_to(store.root)}: truncated" in result.output and "recomputed" in result.output
    result = _doctor(store, "--repair")
    assert result.exit_code == 0, result.output
    assert part_problem(part) is None and table_contents(store.root) == clean
    assert "nothing is wrong" in _doctor(store).output


def test_a_truncated_articles_part_drops_its_chunk_until_its_inputs_are_read_again(lake, tmp_path) -> None:
    store, clean = lake
    part = _part(store, "articles")
    part.write_bytes(b"PAR1 cut short")
    assert repair(store, DEFAULT_MODEL).findings == []
    assert 0 < len(table_contents(store.root)["articles"]) < len(TEXTS)
    run_stages(store, [str(tmp_path / "in")], chunk_size=2)
    assert table_contents(store.root) == clean


def test_a_damaged_manifest_is_rebuilt_from_the_parts(lake) -> None:
    store, clean = lake
    manifest = store.root / "manifest.json"
    manifest.write_text(manifest.read_text()[:40])
    for command in (["status"], ["compact"], ["sql", "select 1"], ["query", "overview"]):
        result = runner.invoke(app, [*command, "--data-dir", str(store.root)])
        assert result.exit_code == 2 and "manifest.json" in result.output and "doctor --repair" in result.output, result.output
        assert "Traceback" not in result.output
    found = examine(store).findings
    assert [f.path for f in found] == ["manifest.json"]
    result = _doctor(store, "--repair")
    assert result.exit_code == 0, result.output
    assert "manifest rebuilt: 2 chunks" in result.output
    assert table_contents(store.root) == clean


def test_views_that_read_other_files_and_stray_temporary_files_are_found_and_fixed(lake, tmp_path) -> None:
    store, clean = lake
    import duckdb

    with duckdb.connect(str(store.database)) as con:
        con.execute("create or replace view quotes as select 1 as x")
    (store.root / "tables" / "tokens" / ".abc.parquet.123.tmp").write_bytes(b"half")
    (store.root / "cache" / "docs" / "tokenise-zzz.spacy").write_bytes(b"not a zip")
    problems = {f.path: f.problem for f in examine(store).findings}
    assert problems.keys() == {"newsdag.duckdb view quotes", "tables/tokens/.abc.parquet.123.tmp", "cache/docs/tokenise-zzz.spacy"}
    assert repair(store, DEFAULT_MODEL).findings == []
    assert not (store.root / "tables" / "tokens" / ".abc.parquet.123.tmp").exists()
    with duckdb.connect(str(store.database), read_only=True, config={"file_search_path": str(store.root)}) as con:
        assert con.execute("select count(*) from quotes").fetchone()[0] == len(clean["quotes"])


def test_doctor_on_a_file_or_an_empty_folder_says_so(tmp_path) -> None:
    (tmp_path / "file").write_text("x")
    for target, message in ((tmp_path / "file", "is a file"), (tmp_path / "none", "newsdag run")):
        result = runner.invoke(app, ["doctor", "--data-dir", str(target)])
        assert result.exit_code == 2 and message in result.output, result.output


def test_damaged_records_of_inputs_and_runs_do_not_stop_status(lake) -> None:
    store, _ = lake
    (store.root / "processed.json").write_text('{"format": 1, "files": {"a": {"size"')
    (store.root / "runs.jsonl").write_text('{"finished_at": "2026-01-01T00:00:00+00:00"\n')
    result = runner.invoke(app, ["status", "--data-dir", str(store.root)])
    assert result.exit_code == 0, result.output
    assert [f.path for f in examine(store).findings] == ["processed.json"]
    assert repair(store, DEFAULT_MODEL).findings == []


@pytest.mark.parametrize("table", ["tokens", "articles"])
def test_a_damaged_segment_is_recomputed_or_read_again(lake, tmp_path, table) -> None:
    from newsdag.compaction import compact

    store, clean = lake
    compact(store)
    segment = next(s for s in store.load_manifest().segments if f"/{table}/" in s)
    store.path(segment).write_bytes(store.path(segment).read_bytes()[:100])
    assert any(f.path == segment for f in examine(store).findings)
    run_stages(store, [str(tmp_path / "in")], chunk_size=2)
    assert table_contents(store.root) == clean
    assert examine(store).findings == []


def test_what_is_left_of_a_data_dir_is_never_an_input(lake, tmp_path) -> None:
    from newsdag.ingest import Intake

    store, _ = lake
    (store.root / "manifest.json").unlink()
    (store.root / "newsdag.duckdb").unlink()
    (store.root / ".lock").unlink(missing_ok=True)
    assert list(Intake([str(tmp_path)]).articles()) != []  # the inputs under in/ only
    assert all("/data/" not in a.source_path for a in Intake([str(tmp_path)]).articles())

"""The Prefect flow: stages as cached tasks, incremental re-runs, self-contained data dirs."""

from __future__ import annotations

import shutil

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import SEED

OTHER = "Port reopens\n\nThe port of Dover reopened on Friday, officials said.\n"


@pytest.fixture(scope="module")
def pipeline(prefect_harness):
    from flows.pipeline import pipeline

    return pipeline


@pytest.fixture(scope="module")
def runs(pipeline, tmp_path_factory):
    """A first run over the seed, then the same again."""
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copy(SEED, inbox / SEED.name)
    data = tmp_path_factory.mktemp("data")
    first = pipeline(paths=[str(inbox)], data_dir=str(data))
    second = pipeline(paths=[str(inbox)], data_dir=str(data))
    return inbox, data, first, second


def test_first_run_processes_every_stage(runs) -> None:
    _, _, first, _ = runs
    assert (first.documents, first.new, first.cached, first.rejected) == (1, 1, 0, 0)
    assert first.stages == {s: {"run": 1, "cached": 0} for s in ("tokenise", "ner", "quotes", "actors", "echoes")}
    assert first.rows["articles"] == 1 and first.rows["tokens"] > 500
    assert all(first.stage_seconds[s] > 0 for s in ("tokenise", "ner", "quotes", "actors", "echoes"))
    assert sum(first.stage_seconds.values()) < first.seconds


def test_rerun_finds_every_nlp_task_cached_and_adds_no_rows(runs) -> None:
    _, _, first, second = runs
    assert (second.new, second.cached) == (0, 1)
    assert second.stages == {s: {"run": 0, "cached": 1} for s in ("tokenise", "ner", "quotes", "actors", "echoes")}
    assert second.rows == first.rows
    assert second.stage_seconds == {s: 0.0 for s in ("tokenise", "ner", "quotes", "actors", "echoes")}


def test_a_new_article_costs_only_its_own_chunk(pipeline, runs) -> None:
    inbox, data, first, _ = runs
    (inbox / "dover.txt").write_text(OTHER)
    third = pipeline(paths=[str(inbox)], data_dir=str(data))
    assert (third.new, third.cached) == (1, 1)
    assert third.stages == {
        **{s: {"run": 1, "cached": 1} for s in ("tokenise", "ner", "quotes")},
        "actors": {"run": 1, "cached": 0},  # the corpus changed: its identities are recomputed
        "echoes": {"run": 1, "cached": 0},  # and its stories and quotation groups
    }
    assert third.rows["articles"] == 2


def test_a_fresh_data_dir_reuses_no_cache(pipeline, runs, tmp_path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SEED, inbox / SEED.name)
    summary = pipeline(paths=[str(inbox)], data_dir=str(tmp_path / "data"))
    assert summary.stages["tokenise"] == {"run": 1, "cached": 0}


def test_force_recomputes(pipeline, runs) -> None:
    inbox, data, _, _ = runs
    summary = pipeline(paths=[str(inbox / SEED.name)], data_dir=str(data), force=True)
    assert summary.stages["quotes"] == {"run": 1, "cached": 0}
    assert summary.rows["articles"] == 2


def test_parquet_parts_read_without_newsdag(runs) -> None:
    _, data, first, _ = runs
    for table in ("articles", "sentences", "tokens", "entities", "quotes", "rejects"):
        files = sorted(str(p) for p in (data / "tables" / table).glob("*.parquet"))
        assert files, table
        arrow_rows = sum(pq.read_table(f).num_rows for f in files)
        duck_rows = duckdb.sql(f"select count(*) from read_parquet({files!r}, union_by_name = true)").fetchall()[0][0]
        assert arrow_rows == duck_rows


def test_a_cached_stage_whose_files_were_deleted_is_recomputed(pipeline, runs) -> None:
    from newsdag.defaults import DEFAULT_MODEL
    from newsdag.stages import ingest
    from newsdag.store import Store
    from tasks.caching import is_done

    inbox, data, _, _ = runs
    jobs = ingest.run(Store(data), [str(inbox)], model=DEFAULT_MODEL, chunk_size=64).jobs
    assert jobs and all(is_done(str(data), job) for job in jobs)
    for part in (data / "tables" / "entities").glob("*.parquet"):
        if part.name != "empty.parquet":
            part.unlink()
    assert not any(is_done(str(data), job) for job in jobs)
    summary = pipeline(paths=[str(inbox)], data_dir=str(data))
    assert summary.stages["tokenise"]["run"] == 0
    assert summary.stages["ner"]["run"] == 2 and summary.stages["ner"]["cached"] == 0
    assert summary.rows["entities"] > 0


def test_the_worker_pools_start_is_start_up_not_work(pipeline, tmp_path) -> None:
    import time

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / SEED.name)
    (inbox / "other.txt").write_text(OTHER, encoding="utf-8")
    started = time.perf_counter()
    pooled = pipeline(paths=[str(inbox)], data_dir=str(tmp_path / "pooled"), chunk_size=1, workers=2)
    wall = time.perf_counter() - started
    assert pooled.startup["workers"] > 0.5  # two processes, each loading the model
    assert pooled.seconds + pooled.startup["workers"] < wall
    alone = pipeline(paths=[str(inbox)], data_dir=str(tmp_path / "alone"), chunk_size=1, workers=1)
    assert alone.startup["workers"] == 0.0

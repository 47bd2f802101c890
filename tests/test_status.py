"""`newsdag status`: batches, articles, rejects and the last run, from the data dir alone."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from newsdag import inbox
from newsdag.artifacts import RunReport
from newsdag.catalog import publish_views
from newsdag.cli import app
from newsdag.errors import NoData
from newsdag.plan import RunSummary
from newsdag.readers.common import doc_id
from newsdag.status import format_status, read_status, record_run
from newsdag.store import Chunk, Manifest, Store
from newsdag.tables import ARTICLES, REJECTS, Article, to_table

runner = CliRunner()
DAY1 = datetime(2026, 11, 27, 6, 0, tzinfo=timezone.utc)
DAY2 = datetime(2026, 11, 28, 6, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path) -> Store:
    """A data dir with two batches (2 + 1 articles), one reject and two recorded runs."""
    store = Store(tmp_path / "data")
    manifest = Manifest()
    for batch_id, when, texts in (("b1", DAY1, ["one", "two"]), ("b2", DAY2, ["three"])):
        articles = [Article(doc_id(t), f"inbox/{t}.txt", t, t, batch_id=batch_id, ingested_at=when) for t in texts]
        part = store.write_part("articles", batch_id, to_table(articles, ARTICLES))
        manifest.chunks[batch_id] = Chunk(batch_id, [a.doc_id for a in articles], {"articles": part})
    manifest.rejects = store.write_part("rejects", "r", to_table([("inbox/bad.bin", "binary")], REJECTS))
    store.save_manifest(manifest)
    publish_views(store, manifest)
    summary = RunSummary(documents=1, new=1, cached=0, rejected=0, duplicates=0, seconds=3.0)
    record_run(store, RunReport(summary, ["inbox"], "data", "local", 1, 3), "run-1", now=DAY2)
    idle = RunSummary(0, 0, 0, 0, 0, seconds=0.2)
    record_run(store, RunReport(idle, ["inbox"], "data", "local", 0, 4), "run-2", now=DAY2.replace(minute=5))
    return store


def test_status_counts_batches_articles_rejects_and_runs(store) -> None:
    status = read_status(store)
    assert [(b.batch_id, b.articles) for b in status.batches] == [("b1", 2), ("b2", 1)]
    assert status.rows["articles"] == 3 and status.rows["rejects"] == 1
    assert status.runs == 2 and status.last_run.flow_run_id == "run-2"
    assert status.files_recorded == 0


def test_status_text_names_the_last_run_and_the_batches(store, tmp_path) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "one.txt").write_text("one")
    inbox.save(store, inbox.scan([tmp_path / "inbox"], {}).records)
    text = format_status(read_status(store))
    assert "articles:  3 in 2 batches, rejects: 1" in text
    assert "inputs:    1 file recorded as processed" in text
    assert "last run:  2026-11-28 06:05:00 UTC over inbox: nothing new (4 files unchanged), 0.2 s (2 runs recorded)" in text
    assert "  b2       1 articles  2026-11-28 06:00:00 UTC" in text


def test_status_command_prints_text_or_json(store) -> None:
    result = runner.invoke(app, ["status", "--data-dir", str(store.root)])
    assert result.exit_code == 0, result.output
    assert "2 batches" in result.output
    result = runner.invoke(app, ["status", "--data-dir", str(store.root), "--json"])
    data = json.loads(result.stdout)
    assert data["batches"][0] == {"batch_id": "b1", "articles": 2, "ingested_at": DAY1.isoformat()}
    assert data["last_run"]["files_skipped"] == 4


def test_status_of_an_empty_data_dir_is_an_error(tmp_path) -> None:
    with pytest.raises(NoData):
        read_status(Store(tmp_path))
    result = runner.invoke(app, ["status", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and "newsdag run" in result.output

"""Turning input paths into a batch: discovery, duplicates, batch metadata."""

from __future__ import annotations

import pytest

from newsdag.errors import NoInputs, Reasons
from newsdag.ingest import discover, ingest
from newsdag.tables import Reject


def test_discover_walks_folders_sorted_and_skips_hidden(tmp_path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ["b/2.txt", "a.txt", "b/1.txt", ".hidden.txt", ".git/x.txt"]:
        (tmp_path / rel).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a.txt", "b/1.txt", "b/2.txt"]


def test_discover_refuses_a_missing_path_before_reading_anything(tmp_path) -> None:
    with pytest.raises(NoInputs, match="nope"):
        list(discover([tmp_path, tmp_path / "nope"]))


def test_ingest_collapses_duplicates_and_keeps_good_articles_beside_bad_ones(tmp_path) -> None:
    (tmp_path / "1.txt").write_text("Same story\nBody.")
    (tmp_path / "2.txt").write_text("Same story\nBody.")
    (tmp_path / "3.txt").write_text("Other story\nBody.")
    (tmp_path / "4.txt").write_bytes(b"")
    batch = ingest([tmp_path], batch_id="b1")
    assert [a.source_path for a in batch.articles] == [str(tmp_path / "1.txt"), str(tmp_path / "3.txt")]
    assert batch.duplicates == 1
    assert batch.rejects == [Reject(str(tmp_path / "4.txt"), Reasons.EMPTY)]


def test_every_article_of_a_batch_shares_its_batch_id_and_time(tmp_path) -> None:
    (tmp_path / "1.txt").write_text("One\nBody.")
    (tmp_path / "2.txt").write_text("Two\nBody.")
    batch = ingest([tmp_path])
    assert len({(a.batch_id, a.ingested_at) for a in batch.articles}) == 1
    assert batch.articles[0].ingested_at.tzinfo is not None

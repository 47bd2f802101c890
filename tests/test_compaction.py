"""Compaction: the same rows from far fewer files, and incremental runs unaffected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsdag import plan as planning
from newsdag.compaction import compact
from newsdag.defaults import DEFAULT_MODEL
from newsdag.stages import ingest, quotes, tokenise
from newsdag.store import Store
from tests.conftest import run_stages, write_articles
from tests.killing import table_contents

ARTICLES = [
    "Mill closes\n\n“We had no choice,” said Ruth Okafor, the owner of the mill in Halifax.\n",
    "Rail strike\n\nTrains in Kent will not run on Monday, Network Rail said.\n",
    "Library opens\n\nThe new library in Derby opened, the mayor, Ian Brooks, said.\n",
    "Bridge repairs\n\nRepairs to the bridge in York will take a year, according to the council.\n",
]


def _run(store: Store, folder: Path) -> dict[str, int]:
    return run_stages(store, [str(folder)], chunk_size=1)[1]


def _files(store: Store, table: str) -> list[str]:
    return sorted(p.name for p in (store.root / "tables" / table).glob("*.parquet") if p.name != "empty.parquet")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return write_articles(tmp_path_factory.mktemp("in"), ARTICLES)


@pytest.fixture(scope="module")
def lake(folder, tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("lake")
    _run(Store(data), folder)
    return data


def test_compaction_keeps_every_row_in_one_file_per_table(lake, tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(lake, data)
    store = Store(data)
    before = table_contents(data)
    done = compact(store)
    assert done.before["tokens"] == 4 and done.after["tokens"] == 1
    assert table_contents(data) == before
    for table in ("articles", "sentences", "tokens", "entities", "quotes"):
        assert len(_files(store, table)) == 1 and _files(store, table)[0].startswith("seg-")
    assert list(store.unreferenced_parts(store.load_manifest())) == []


def test_a_rerun_after_compaction_finds_its_parts_and_adds_no_rows(lake, folder, tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(lake, data)
    store = Store(data)
    compact(store)
    before = table_contents(data)
    batch = ingest.run(store, [str(folder)], model=DEFAULT_MODEL, chunk_size=1)
    outputs = [job.keys for job in batch.jobs]
    assert all(store.has(tokenise.STAGE.outputs(keys["tokenise"]) + quotes.STAGE.outputs(keys["quotes"])) for keys in outputs)
    assert store.read_part(batch.jobs[0].articles).num_rows == 1
    assert _run(store, folder)["articles"] == 4
    assert table_contents(data) == before


def test_parts_replaced_after_compaction_leave_the_segment(lake, folder, tmp_path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(lake, data)
    store = Store(data)
    compact(store)
    before = table_contents(data)
    fingerprint = planning.code_fingerprint
    monkeypatch.setattr(planning, "code_fingerprint", lambda stage: fingerprint(stage) + ("2" if stage.name == "quotes" else ""))
    (folder / "0.txt").rename(folder / ".0.txt")
    try:
        _run(store, folder)  # three of the four chunks get new quotes parts
    finally:
        (folder / ".0.txt").rename(folder / "0.txt")
    assert table_contents(data) == before
    assert len(_files(store, "quotes")) == 4  # the rewritten segment (one chunk) and three new parts
    assert list(store.unreferenced_parts(store.load_manifest())) == []


def test_a_compaction_that_fails_before_the_manifest_leaves_the_tables(lake, tmp_path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(lake, data)
    store = Store(data)
    before = table_contents(data)

    def crash(manifest) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store, "save_manifest", crash)
    with pytest.raises(OSError):
        compact(store)
    assert table_contents(data) == before
    assert len(_files(store, "tokens")) == 5  # the four parts and the unused segment
    monkeypatch.undo()
    compact(Store(data))
    assert table_contents(data) == before and len(_files(Store(data), "tokens")) == 1

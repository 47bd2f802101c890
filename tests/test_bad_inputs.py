"""A batch of real-world shapes and nasty files: every good article in, every bad one
rejected once with its specific reason, and the run still succeeds."""

from __future__ import annotations

import json
import os
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsdag.catalog import query
from newsdag.cli import app
from newsdag.store import Store
from tests.conftest import SEED

runner = CliRunner()

HTML = """<!DOCTYPE html><html><head><title>Harbour bridge reopens | The Coastal Post</title>
<meta name="author" content="Rosa Lindqvist"><meta property="article:published_time" content="2025-06-02T08:30:00Z">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour bridge reopens after two years</h1>
<p>The harbour bridge reopened to traffic on Monday after two years of repairs that cost far more than planned.</p>
<p>“It was worth every penny,” said Mayor Ines Albright, who cut the ribbon with a pair of oversized scissors.</p>
<p>Traffic engineers said that queues on the ring road should shorten by a third within weeks.</p>
</article><footer>© The Coastal Post. All rights reserved.</footer></body></html>"""

LATIN1 = "Fête à Montréal\n\nLe maire a déclaré que la fête était « très réussie » cette année.\n"


def _jsonl_lines() -> list[str]:
    records = [
        {"title": "Rail strike called off", "body": "Unions called off Friday's rail strike, a spokeswoman said.",
         "url": "https://example.org/rail", "published_at": "2025-05-30T17:00:00+01:00", "publisher": "Example News"},
        {"title": "Library extends hours", "text": "The central library will open until 10 pm, the council said."},
        {"headline": "New ferry route", "content": "A ferry will link the two islands from July, officials said."},
    ]
    return [json.dumps(records[0]), json.dumps(records[1]), '{"title": "broken", "text": "no closing', json.dumps(records[2])]


@pytest.fixture(scope="module")
def mixed_batch(tmp_path_factory):
    """The seed article, JSONL (3 good + 1 malformed line), HTML, Latin-1, empty and binary files."""
    folder = tmp_path_factory.mktemp("batch")
    shutil.copy(SEED, folder / SEED.name)
    (folder / "feed.jsonl").write_text("\n".join(_jsonl_lines()) + "\n", encoding="utf-8")
    (folder / "bridge.html").write_text(HTML, encoding="utf-8")
    (folder / "montreal.txt").write_bytes(LATIN1.encode("latin-1"))
    (folder / "empty.txt").write_text("")
    (folder / "photo.txt").write_bytes(bytes(range(256)) * 8)
    return folder


@pytest.fixture(scope="module")
def processed(prefect_harness, mixed_batch, tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    result = runner.invoke(app, ["run", str(mixed_batch), "--data-dir", str(data)])
    return data, result


def test_the_mixed_batch_is_processed_in_one_successful_run(processed) -> None:
    data, result = processed
    assert result.exit_code == 0, result.output
    assert "articles: 6 (6 new, 0 cached), rejected: 3" in result.output
    counts = query(Store(data), "select (select count(*) from articles) a, (select count(distinct doc_id) from articles) d")
    assert counts.to_pylist() == [{"a": 6, "d": 6}]


def test_each_bad_input_is_one_reject_with_its_own_reason(processed) -> None:
    data, _ = processed
    rows = query(Store(data), "select source_path, reason from rejects order by source_path").to_pylist()
    by_file = {os.path.basename(r["source_path"]): r["reason"] for r in rows}
    assert set(by_file) == {"empty.txt", "feed.jsonl#line 3", "photo.txt"}
    assert by_file["empty.txt"].startswith("empty")
    assert by_file["photo.txt"].startswith("binary")
    assert by_file["feed.jsonl#line 3"].startswith("malformed JSON")
    assert len(set(by_file.values())) == 3


def test_good_articles_keep_their_text_and_metadata(processed) -> None:
    data, _ = processed
    store = Store(data)
    rows = {r["title"]: r for r in query(store, "select * from articles").to_pylist()}
    assert rows["Fête à Montréal"]["text"] == LATIN1
    rail = rows["Rail strike called off"]
    assert (rail["source"], rail["url"]) == ("Example News", "https://example.org/rail")
    assert rail["published_at"].isoformat() == "2025-05-30T16:00:00+00:00"
    assert rows["New ferry route"]["record"] == "line 4"
    bridge = next(r for r in rows.values() if r["source_path"].endswith("bridge.html"))
    assert "worth every penny" in bridge["text"] and "All rights reserved" not in bridge["text"]
    assert bridge["author"] == "Rosa Lindqvist"
    speakers = query(store, "select speaker_canonical from quotes where kind = 'direct'").column(0).to_pylist()
    assert "Ines Albright" in speakers


NASTY = {
    "whitespace.md": (b" \n\t\r\n  ", "empty"),
    "nul.txt": (b"Looks like text\x00\x00\x00\x00 but is not" * 20, "binary"),
    "no_text.jsonl": (b'{"title": "Only a title"}\n', "no text"),
    "not_records.json": (b'[{"text": "One good record among numbers, a reporter said."}, 2]', "not an article record"),
    "truncated.parquet": (b"PAR1\x00\x01\x02", "unreadable Parquet"),
    "menu.html": (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article"),
    "slides.pptx": (b"PK\x03\x04 not a zip at all", "unsupported"),
}


@pytest.mark.parametrize("name", NASTY)
def test_nasty_files_are_rejected_not_fatal(prefect_harness, tmp_path, name: str) -> None:
    data, reason = NASTY[name]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(data)
    (tmp_path / "in" / "good.txt").write_text("Good news\n\nThe museum reopened on Sunday, its director said.\n")
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    rows = query(Store(tmp_path / "data"), "select source_path, reason from rejects").to_pylist()
    assert len(rows) == 1 and os.path.basename(rows[0]["source_path"]).startswith(name), rows
    assert rows[0]["reason"].lower().startswith(reason.lower()), rows
    good = 2 if name == "not_records.json" else 1  # its first record is an article
    assert f"articles: {good} ({good} new" in result.output


def test_a_table_without_a_text_column_rejects_each_row(tmp_path) -> None:
    from newsdag.readers import read
    from newsdag.readers.common import ReadOptions

    pq.write_table(pa.table({"headline": ["a", "b"]}), tmp_path / "x.parquet")
    items = list(read(tmp_path / "x.parquet", ReadOptions()))
    assert [type(i).__name__ for i in items] == ["Reject", "Reject"]
    assert all(i.reason.startswith("no text") for i in items)

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


# --- one rule for what is an input; one bad record never costs the batch ---------------

GOOD = "Good news\n\nThe museum reopened on Sunday, its director said.\n"


def _items(path, options=None):
    from newsdag.ingest import Intake
    from newsdag.readers.common import ReadOptions

    intake = Intake([path], options or ReadOptions())
    articles = list(intake.articles())
    return articles, {os.path.relpath(r.source_path, path): r.reason for r in intake.rejects}


def test_a_data_dir_inside_an_input_folder_is_never_read(tmp_path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    store = Store(tmp_path / "data")
    with store.writer_lock():  # a brand-new data dir holds only its lock
        articles, rejects = _items(tmp_path)
    assert [a.title for a in articles] == ["Good news"] and rejects == {}
    pq.write_table(pa.table({"text": ["an article in a Parquet file of another data dir"]}), tmp_path / "data" / "x.parquet")
    (tmp_path / "data" / "manifest.json").write_text("{}")
    (tmp_path / "data" / ".lock").unlink()
    assert len(_items(tmp_path)[0]) == 1


def test_a_data_dir_given_as_input_is_an_error(tmp_path) -> None:
    from newsdag.errors import InputIsDataDir

    (tmp_path / "manifest.json").write_text("{}")
    with pytest.raises(InputIsDataDir, match="data dir"):
        _items(tmp_path)


def test_fifos_and_sockets_are_rejects_and_never_block(tmp_path) -> None:
    import socket

    (tmp_path / "good.txt").write_text(GOOD)
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.jsonl"))
    (tmp_path / "link-to-pipe.txt").symlink_to(tmp_path / "pipe.txt")
    try:
        articles, rejects = _items(tmp_path)
    finally:
        server.close()
    assert len(articles) == 1
    assert rejects["pipe.txt"].startswith("not a regular file: a FIFO")
    assert rejects["pipe"].startswith("not a regular file: a FIFO")
    assert rejects["link-to-pipe.txt"].startswith("not a regular file: a FIFO")
    assert rejects["sock.jsonl"].startswith("not a regular file: a socket")


def test_a_fifo_met_after_the_walk_is_rejected_when_opened(tmp_path) -> None:
    from newsdag.readers import read
    from newsdag.readers.common import ReadOptions

    os.mkfifo(tmp_path / "late.txt")
    assert [i.reason[:24] for i in read(tmp_path / "late.txt", ReadOptions())] == ["not a regular file: a FI"]


def test_a_linked_folder_inside_an_input_folder_is_a_reject(tmp_path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a.txt").write_text(GOOD)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "linked").symlink_to(tmp_path / "elsewhere")
    articles, rejects = _items(tmp_path / "in")
    assert articles == [] and rejects["linked"].startswith("linked folder")
    assert len(_items(tmp_path / "in" / "linked")[0]) == 1  # given itself, it is read


DEEP = "[" * 10_000 + "]" * 10_000


@pytest.mark.parametrize(
    ("name", "content", "bad", "reason"),
    [
        ("deep.json", DEEP.encode(), "deep.json", "malformed JSON: nested too deeply"),
        ("deep.jsonl", ('{"text": ' + "[" * 5000 + "]" * 5000 + "}\n" + json.dumps({"text": GOOD}) + "\n").encode(),
         "deep.jsonl#line 1", "malformed JSON: nested too deeply"),
        ("surrogate.jsonl", (r'{"text": "Lone \ud800 surrogate in a text"}' + "\n" + json.dumps({"text": GOOD})).encode(),
         "surrogate.jsonl#line 1", "invalid text: the text holds"),
        ("title.jsonl", (r'{"text": "A fine text", "title": "\udfff"}' + "\n" + json.dumps({"text": GOOD})).encode(),
         "title.jsonl#line 1", "invalid text: the title holds"),
        ("number.jsonl", (json.dumps({"text": 42}) + "\n" + json.dumps({"text": GOOD})).encode(),
         "number.jsonl#line 1", "text is not a string: field 'text' holds a JSON number"),
        ("list.json", json.dumps([{"body": ["a", "b"]}, {"text": GOOD}]).encode(),
         "list.json#item 0", "text is not a string: field 'body' holds a JSON list"),
        ("object.jsonl", (json.dumps({"content": {"a": 1}}) + "\n" + json.dumps({"text": GOOD})).encode(),
         "object.jsonl#line 1", "text is not a string: field 'content' holds a JSON object"),
    ],
)
def test_one_bad_record_is_one_reject_and_the_batch_goes_on(tmp_path, name, content, bad, reason) -> None:
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(GOOD + " Another one.")
    articles, rejects = _items(tmp_path)
    assert rejects.keys() == {bad}, rejects
    assert rejects[bad].startswith(reason), rejects
    assert len(articles) == (1 if name == "deep.json" else 2)


def test_any_failure_of_a_reader_is_a_reject_with_its_reason(tmp_path, monkeypatch) -> None:
    from newsdag.readers import records

    def boom(*args, **kwargs):
        raise ZeroDivisionError("something no one expected")

    monkeypatch.setattr(records, "_from_record", boom)
    (tmp_path / "feed.jsonl").write_text(json.dumps({"text": GOOD}) + "\n")
    (tmp_path / "good.txt").write_text(GOOD)
    articles, rejects = _items(tmp_path)
    assert len(articles) == 1
    assert rejects == {"feed.jsonl#line 1": "unreadable record: ZeroDivisionError: something no one expected"}


def test_an_unparseable_date_keeps_the_article_with_a_warning(tmp_path) -> None:
    records = [{"text": GOOD, "published_at": "the day after the storm"},
               {"text": GOOD + " Again.", "published_at": "2025-05-30T17:00:00Z"}]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    articles, rejects = _items(tmp_path)
    assert rejects == {}
    first, second = articles
    assert first.published_at is None
    assert first.warning == "unparseable published_at 'the day after the storm': the article is kept without a date"
    assert second.published_at is not None and second.warning is None


def test_the_default_max_chars_is_what_the_model_takes(nlp) -> None:
    from newsdag.defaults import DEFAULT_MAX_CHARS

    assert DEFAULT_MAX_CHARS <= nlp.max_length


def test_a_file_over_the_limit_is_rejected_without_being_read(tmp_path, monkeypatch) -> None:
    from newsdag.readers import common, read
    from newsdag.readers.common import ReadOptions

    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # a sparse 300 MB file
    monkeypatch.setattr(common, "decode", lambda data: pytest.fail("the big file was decoded"))
    items = list(read(big, ReadOptions(max_chars=1_000_000)))
    assert [i.reason for i in items] == [
        "too large: the file's 314572800 bytes hold more than the limit of 1000000 characters"
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_is_a_reject(tmp_path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text(GOOD + " More.")
    (tmp_path / "locked").chmod(0)
    try:
        articles, rejects = _items(tmp_path)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert len(articles) == 1 and rejects["locked"].startswith("unreadable")


def test_a_run_over_a_folder_holding_its_data_dir_a_fifo_and_a_linked_folder(prefect_harness, tmp_path, monkeypatch) -> None:
    """`newsdag run .` twice, with data/ under `.`: the second run finds the same one
    article; the FIFO and the linked folder are rejects; nothing hangs."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "good.txt").write_text(GOOD)
    os.mkfifo(work / "pipe.jsonl")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.txt").write_text(GOOD + " Elsewhere.")
    (work / "linked").symlink_to(tmp_path / "elsewhere")
    monkeypatch.chdir(work)
    for _ in range(2):
        result = runner.invoke(app, ["run", ".", "--workers", "1"])
        assert result.exit_code == 0, result.output
        assert "articles: 1 (" in result.output and "rejected: 2" in result.output, result.output
    rows = query(Store(work / "data"), "select source_path, reason from rejects order by 1").to_pylist()
    assert [(os.path.basename(r["source_path"]), r["reason"].split(":")[0]) for r in rows] == [
        ("linked", "linked folder"), ("pipe.jsonl", "not a regular file")]
    assert query(Store(work / "data"), "select count(*) n from articles").to_pylist() == [{"n": 1}]


def test_jsonl_is_read_line_by_line_and_a_giant_line_is_skipped_unread(tmp_path) -> None:
    from newsdag.readers import read
    from newsdag.readers.common import ReadOptions

    path = tmp_path / "feed.jsonl"
    with open(path, "wb") as fh:
        fh.write(b"\xef\xbb\xbf" + json.dumps({"text": GOOD}).encode() + b"\r\n\n")
        fh.write(b'{"text": "' + b"x" * 3_000_000 + b'"}\n')  # over any article of 100 characters
        fh.write(json.dumps({"text": "Caf\u00e9 owners said they would stay open."}).encode("cp1252") + b"\n")
        fh.write(b'{"text": "no closing\n')
        fh.write(json.dumps({"text": GOOD + " Last."}).encode())
    items = list(read(path, ReadOptions(max_chars=100)))
    kinds = [(os.path.basename(i.source_path), type(i).__name__) for i in items]
    assert kinds == [("feed.jsonl#line 1", "Article"), ("feed.jsonl#line 3", "Reject"), ("feed.jsonl#line 4", "Article"),
                     ("feed.jsonl#line 5", "Reject"), ("feed.jsonl#line 6", "Article")]
    assert items[1].reason.startswith("too large") and items[3].reason.startswith("malformed JSON")
    assert items[2].text == "Café owners said they would stay open." and items[2].record == "line 4"
    empty = tmp_path / "blank.jsonl"
    empty.write_bytes(b"\n  \n")
    assert [i.reason.split(":")[0] for i in read(empty, ReadOptions())] == ["empty"]

"""Readers: each input format into articles, with metadata, or rejects with reasons."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsdag.errors import Reasons
from newsdag.readers import read
from newsdag.readers.common import ReadOptions, decode, doc_id, parse_timestamp, title_of
from newsdag.tables import Article, Reject

OPTIONS = ReadOptions()


def _read(path, options=OPTIONS):
    return list(read(path, options))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café “quoted”\n".encode("utf-8"), "Café “quoted”\n"),
        ("\ufeffWith a BOM\n".encode("utf-8"), "With a BOM\n"),
        (b"Windows\r\nline\rends\n", "Windows\nline\nends\n"),
        ("Le président a déclaré que la réunion était très importante pour l'économie.".encode("latin-1"),
         "Le président a déclaré que la réunion était très importante pour l'économie."),
        ("Привет, как дела? Это тест кодировки текста на русском языке.".encode("cp1251"),
         "Привет, как дела? Это тест кодировки текста на русском языке."),
        ("UTF-16 text with “marks”".encode("utf-16"), "UTF-16 text with “marks”"),
    ],
)
def test_decode_finds_the_encoding(data: bytes, expected: str) -> None:
    assert decode(data) == expected


def test_doc_id_is_a_stable_hash_of_the_text() -> None:
    assert doc_id("abc") == doc_id("abc") != doc_id("abd")
    assert len(doc_id("abc")) == 16


@pytest.mark.parametrize(
    ("text", "title"),
    [("Headline\n\nBody.", "Headline"), ("\n\n  Spaced title  \nBody", "Spaced title"), ("", "")],
)
def test_title_is_the_first_non_empty_line(text: str, title: str) -> None:
    assert title_of(text) == title


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05T10:00:00Z", datetime(2024, 3, 5, 10, tzinfo=timezone.utc)),
        ("2024-03-05T12:00:00+02:00", datetime(2024, 3, 5, 10, tzinfo=timezone.utc)),
        ("5 March 2024", datetime(2024, 3, 5, tzinfo=timezone.utc)),
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_publication_times_become_utc(value, expected) -> None:
    assert parse_timestamp(value) == expected


def test_plain_text_keeps_the_text_exactly(tmp_path) -> None:
    path = tmp_path / "a.txt"
    text = "Title\n\n“Quote,” she said.\n"
    path.write_text(text, encoding="utf-8")
    assert _read(path) == [Article(doc_id(text), str(path), "Title", text)]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", Reasons.EMPTY),
        ("blank.md", b"  \n\t\n", Reasons.EMPTY),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Reasons.BINARY),
        ("noext", b"\x00\x01\x02\x03binary", Reasons.BINARY),
        ("empty.jsonl", b"", Reasons.EMPTY),
        ("broken.json", b'{"text": "unterminated', None),
        ("table.parquet", b"PAR1 not really", None),
    ],
)
def test_bad_files_are_rejected_with_a_reason(tmp_path, name: str, data: bytes, reason: str | None) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    [item] = _read(path)
    assert isinstance(item, Reject) and item.source_path == str(path)
    if reason:
        assert item.reason == reason
    else:
        assert item.reason.split(":")[0] in {"malformed JSON", "unreadable Parquet"}


def test_unsupported_extensions_name_the_supported_ones(tmp_path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff")
    [item] = _read(path)
    assert item.reason.startswith("unsupported file type '.jpg'") and ".jsonl" in item.reason


def test_too_large_articles_are_rejected(tmp_path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("x" * 50)
    assert _read(path, ReadOptions(max_chars=10)) == [
        Reject(str(path), Reasons.TOO_LARGE.format(size=50, limit=10))
    ]


def test_broken_symlink_is_rejected_not_fatal(tmp_path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    [item] = _read(link)
    assert isinstance(item, Reject) and item.reason.startswith("unreadable:")


RECORDS = [
    {"id": "a1", "title": "Storm", "body": "Rain fell.", "url": "https://example.org/a1",
     "published_at": "2024-03-05T10:00:00Z", "publisher": "Example News", "author": ["Ann", "Bo"]},
    {"headline": "Port", "content": "Ships left.", "date": "2024-03-06"},
    {"title": "No text here"},
]


def test_jsonl_records_carry_metadata_and_keep_good_lines_beside_bad_ones(tmp_path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [json.dumps(r) for r in RECORDS[:2]] + ["{not json", "", json.dumps(RECORDS[2]), "[1, 2]"]
    path.write_text("\n".join(lines))
    items = _read(path)
    a1, port = items[0], items[1]
    assert (a1.title, a1.text, a1.url, a1.source, a1.author, a1.record) == (
        "Storm", "Rain fell.", "https://example.org/a1", "Example News", "Ann, Bo", "id=a1")
    assert a1.source_path == f"{path}#id=a1"
    assert a1.published_at == datetime(2024, 3, 5, 10, tzinfo=timezone.utc)
    assert (port.title, port.text, port.record) == ("Port", "Ships left.", "line 2")
    assert [(r.source_path, r.reason.split(":")[0]) for r in items[2:]] == [
        (f"{path}#line 3", "malformed JSON"), (f"{path}#line 5", "no text"), (f"{path}#line 6", "not an article record")]


def test_json_arrays_and_single_objects(tmp_path) -> None:
    array = tmp_path / "a.json"
    array.write_text(json.dumps(RECORDS[:2]))
    assert [a.text for a in _read(array)] == ["Rain fell.", "Ships left."]
    single = tmp_path / "b.json"
    single.write_text(json.dumps(RECORDS[1]))
    assert [a.record for a in _read(single)] == ["item 0"]


def test_csv_and_parquet_records(tmp_path) -> None:
    csv_path = tmp_path / "a.csv"
    csv_path.write_text('title,text,author\nStorm,"Rain, then ""sun"".\nMore.",Ann\nEmpty,,Bo\n')
    storm, empty = _read(csv_path)
    assert (storm.title, storm.text, storm.author, storm.record) == ("Storm", 'Rain, then "sun".\nMore.', "Ann", "row 1")
    assert isinstance(empty, Reject) and empty.reason.startswith("no text")
    pq_path = tmp_path / "a.parquet"
    pq.write_table(pa.Table.from_pylist([{"text": "Rain fell.", "title": "Storm"}, {"text": "Ships left.", "title": None}]), pq_path)
    assert [(a.text, a.title, a.record) for a in _read(pq_path)] == [("Rain fell.", "Storm", "row 1"), ("Ships left.", "", "row 2")]


def test_field_mapping_is_configurable(tmp_path) -> None:
    path = tmp_path / "custom.jsonl"
    path.write_text(json.dumps({"article_body": "Custom body.", "text": "short", "kicker": "K"}))
    options = ReadOptions().with_fields({"text": "article_body", "title": "kicker"})
    [article] = _read(path, options)
    assert (article.text, article.title) == ("Custom body.", "K")
    with pytest.raises(ValueError, match="unknown article field"):
        ReadOptions().with_fields({"bodytext": "x"})


PAGE = """<!DOCTYPE html><html><head><title>Storm hits coast | Example</title>
<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2024-03-05T10:00:00Z">
</head><body><nav>Home | World | Sport</nav><article><h1>Storm hits coast</h1>
<p>“Stay indoors tonight,” said Tom Reyes, a forecaster at the weather service.</p>
<p>The storm is expected to last until Friday, officials said in a statement on Tuesday.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def test_html_pages_yield_the_article_body_and_metadata(tmp_path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE)
    [article] = _read(path)
    assert "“Stay indoors tonight,” said Tom Reyes" in article.text
    assert "Copyright" not in article.text and "Sport" not in article.text
    assert article.author == "Jane Doe"
    assert article.published_at == datetime(2024, 3, 5, tzinfo=timezone.utc)


def test_formats_are_sniffed_when_the_extension_says_nothing(tmp_path) -> None:
    jsonl = tmp_path / "feed"
    jsonl.write_text(json.dumps(RECORDS[0]) + "\n" + json.dumps(RECORDS[1]))
    assert [a.text for a in _read(jsonl)] == ["Rain fell.", "Ships left."]
    page = tmp_path / "page"
    page.write_text(PAGE)
    assert "Stay indoors" in _read(page)[0].text
    plain = tmp_path / "README"
    plain.write_text("Just text\nhere")
    assert _read(plain)[0].title == "Just text"

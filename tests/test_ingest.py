"""Reading inputs: decoding, ids, titles, duplicates and rejects with reasons."""

from __future__ import annotations

import pytest

from newsdag.errors import NoInputs, Reasons
from newsdag.ingest import decode, discover, doc_id, ingest, read_text_file, title_of
from newsdag.tables import Article, Reject


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
    assert doc_id("abc") == doc_id("abc")
    assert doc_id("abc") != doc_id("abd")
    assert len(doc_id("abc")) == 16


@pytest.mark.parametrize(
    ("text", "title"),
    [("Headline\n\nBody.", "Headline"), ("\n\n  Spaced title  \nBody", "Spaced title"), ("", "")],
)
def test_title_is_the_first_non_empty_line(text: str, title: str) -> None:
    assert title_of(text) == title


def test_read_text_file_keeps_the_text_exactly(tmp_path) -> None:
    path = tmp_path / "a.txt"
    text = "Title\n\n“Quote,” she said.\n"
    path.write_text(text, encoding="utf-8")
    article = read_text_file(path)
    assert article == Article(doc_id(text), str(path), "Title", text)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", Reasons.EMPTY),
        ("blank.txt", b"  \n\t\n", Reasons.EMPTY),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Reasons.BINARY),
        ("photo.jpg", b"\xff\xd8\xff", Reasons.UNSUPPORTED.format(suffix=".jpg")),
    ],
)
def test_bad_files_are_rejected_with_a_reason(tmp_path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert read_text_file(path) == Reject(str(path), reason)


def test_too_large_articles_are_rejected(tmp_path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("x" * 50)
    result = read_text_file(path, max_chars=10)
    assert isinstance(result, Reject)
    assert result.reason == Reasons.TOO_LARGE.format(size=50, limit=10)


def test_broken_symlink_is_rejected_not_fatal(tmp_path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    result = read_text_file(link)
    assert isinstance(result, Reject) and result.reason.startswith("unreadable:")


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
    batch = ingest([tmp_path])
    assert [a.source_path for a in batch.articles] == [str(tmp_path / "1.txt"), str(tmp_path / "3.txt")]
    assert batch.duplicates == 1
    assert batch.rejects == [Reject(str(tmp_path / "4.txt"), Reasons.EMPTY)]

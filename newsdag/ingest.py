"""Reading raw inputs into articles, or into rejects with a reason.

One bad file never stops a batch: every input ends as exactly one article (or a
duplicate of one) or one reject. An article's ``doc_id`` hashes its decoded text, so
the same content under another file name is the same article.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from charset_normalizer import from_bytes

from newsdag.defaults import DEFAULT_MAX_CHARS
from newsdag.errors import NoInputs, Reasons
from newsdag.tables import Article, Reject

TEXT_SUFFIXES = frozenset({".txt", ".md"})
_SNIFF_BYTES = 8192
_BOMS_UTF16 = (b"\xff\xfe", b"\xfe\xff")
# Legacy encodings of Western news text, preferred when the detector finds several
# equally clean readings (a few accented letters cannot tell cp1252 from cp1250).
_PREFERRED_LEGACY = ("cp1252", "latin_1")


class Batch(NamedTuple):
    """What one set of inputs yields: distinct articles (first file wins) and rejects."""

    articles: list[Article]
    rejects: list[Reject]
    duplicates: int


def doc_id(text: str) -> str:
    """Stable id of an article: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def discover(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Yield the files under ``paths`` (folders walked recursively, sorted, hidden skipped).

    Raises NoInputs for a path that does not exist, before any work is done.
    """
    resolved = [Path(p) for p in paths]
    for path in resolved:
        if not path.exists() and not path.is_symlink():
            raise NoInputs(str(path))
    for path in resolved:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path


def decode(data: bytes) -> str | None:
    """Decode bytes to text: UTF-8 (BOM or not) first, then a detected charset; None if none fits.

    Line endings are normalised to ``\\n`` so offsets mean the same on every platform.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        matches = list(from_bytes(data))
        if not matches:
            return None
        cleanest = min(m.chaos for m in matches)
        tied = [m for m in matches if m.chaos == cleanest]
        text = str(next((m for m in tied if m.encoding in _PREFERRED_LEGACY), tied[0]))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def title_of(text: str) -> str:
    """The first non-empty line: a plain-text article's headline."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def read_text_file(path: Path, *, max_chars: int = DEFAULT_MAX_CHARS) -> Article | Reject:
    """One plain-text file as an Article, or a Reject saying why it is not one."""
    source = str(path)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return Reject(source, Reasons.UNSUPPORTED.format(suffix=path.suffix or path.name))
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Reject(source, Reasons.UNREADABLE.format(error=exc.strerror or exc))
    if b"\x00" in data[:_SNIFF_BYTES] and not data.startswith(_BOMS_UTF16):
        return Reject(source, Reasons.BINARY)
    text = decode(data)
    if text is None:
        return Reject(source, Reasons.UNDECODABLE)
    if not text.strip():
        return Reject(source, Reasons.EMPTY)
    if len(text) > max_chars:
        return Reject(source, Reasons.TOO_LARGE.format(size=len(text), limit=max_chars))
    return Article(doc_id(text), source, title_of(text), text)


def ingest(paths: Iterable[str | os.PathLike], *, max_chars: int = DEFAULT_MAX_CHARS) -> Batch:
    """Read every input under ``paths``; identical texts collapse to their first file."""
    articles: dict[str, Article] = {}
    rejects: list[Reject] = []
    duplicates = 0
    for path in discover(paths):
        item = read_text_file(path, max_chars=max_chars)
        if isinstance(item, Reject):
            rejects.append(item)
        elif item.doc_id in articles:
            duplicates += 1
        else:
            articles[item.doc_id] = item
    return Batch(list(articles.values()), rejects, duplicates)

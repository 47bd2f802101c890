"""What every reader shares: bytes to text, checks every article passes, and options."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes
from dateutil import parser as dateparser

from newsdag.defaults import DEFAULT_MAX_CHARS
from newsdag.errors import Reasons
from newsdag.tables import Article, Reject

Item = Article | Reject

_SNIFF_BYTES = 8192
_BOMS_UTF16 = (b"\xff\xfe", b"\xfe\xff")
# Legacy encodings of Western news text, preferred when the detector finds several
# equally clean readings (a few accented letters cannot tell cp1252 from cp1250).
_PREFERRED_LEGACY = ("cp1252", "latin_1")

# Record fields read into each article column, first present wins.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "published_at": ("published_at", "published", "date"),
    "source": ("source", "publisher"),
    "author": ("author", "byline"),
    "id": ("id",),
}


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read: the size limit and which record fields feed which column."""

    max_chars: int = DEFAULT_MAX_CHARS
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_FIELDS))

    def with_fields(self, overrides: Mapping[str, str]) -> ReadOptions:
        """Options where each ``column -> field`` override is tried before the defaults."""
        unknown = set(overrides) - set(DEFAULT_FIELDS)
        if unknown:
            raise ValueError(f"unknown article field(s) {sorted(unknown)}; known: {sorted(DEFAULT_FIELDS)}")
        fields = {k: ((overrides[k],) if k in overrides else ()) + v for k, v in self.fields.items()}
        return ReadOptions(self.max_chars, fields)


def doc_id(text: str) -> str:
    """Stable id of an article: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def describe_error(exc: BaseException) -> str:
    """An exception as one short line for a reject's reason."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    line = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return line if len(line) <= 200 else line[:199] + "…"


def is_binary(data: bytes) -> bool:
    return b"\x00" in data[:_SNIFF_BYTES] and not data.startswith(_BOMS_UTF16)


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
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_file(source: str, data: bytes) -> str | Reject:
    """The text of a whole file, or a Reject for binary or undecodable bytes."""
    if is_binary(data):
        return Reject(source, Reasons.BINARY)
    text = decode(data)
    return Reject(source, Reasons.UNDECODABLE) if text is None else text


def title_of(text: str) -> str:
    """The first non-empty line: a plain-text article's headline."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def parse_timestamp(value: Any) -> datetime | None:
    """A publication time as an aware UTC datetime; naive times are taken as UTC.

    Unparseable values give None: a bad date never costs the article (see :func:`dated`).
    """
    if value is None or value == "":
        return None
    try:
        moment = value if isinstance(value, datetime) else dateparser.parse(str(value))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None


def dated(value: Any) -> dict[str, Any]:
    """The ``published_at`` of an article and, when ``value`` is given but is no date,
    its ``warning``: the article is kept without a date, and the warning says why."""
    moment = parse_timestamp(value)
    if moment is None and value not in (None, ""):
        shown = str(value)
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        return {"published_at": None, "warning": Reasons.BAD_DATE.format(value=shown)}
    return {"published_at": moment}


def _lone_surrogate(value: str) -> str | None:
    """The first character of ``value`` that UTF-8 cannot hold (a lone surrogate), if any."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.object[exc.start]
    return None


def make_article(source_path: str, text: str, options: ReadOptions, **metadata: Any) -> Item:
    """An Article for ``text``, or a Reject if it is empty, over the size limit, or holds
    a character that is not valid Unicode (in its text or its metadata)."""
    if not text.strip():
        return Reject(source_path, Reasons.EMPTY)
    if len(text) > options.max_chars:
        return Reject(source_path, Reasons.TOO_LARGE.format(size=len(text), limit=options.max_chars))
    for column, value in (("text", text), *metadata.items()):
        bad = _lone_surrogate(value) if isinstance(value, str) else None
        if bad is not None:
            return Reject(source_path, Reasons.INVALID_UNICODE.format(field=column, char=bad))
    return Article(doc_id(text), source_path, text=text, **metadata)

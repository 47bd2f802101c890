"""Readers: one module per input format, each yielding Articles or Rejects with a reason.

:func:`read` picks the reader from the file's extension, or from its first bytes when
the extension says nothing, so a folder of mixed inputs can be ingested in one run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from newsdag.errors import Reasons
from newsdag.readers import html, records, text
from newsdag.inputs import open_input
from newsdag.readers.common import Item, ReadOptions, describe_error
from newsdag.tables import Reject

Reader = Callable[[Path, bytes, ReadOptions], Iterator[Item]]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".text": text.read,
    ".jsonl": records.read_jsonl,
    ".ndjson": records.read_jsonl,
    ".json": records.read_json,
    ".csv": records.read_csv,
    ".tsv": records.read_csv,
    ".parquet": records.read_parquet,
    ".html": html.read,
    ".htm": html.read,
}
SUPPORTED = ", ".join(sorted(READERS))


def sniff(head: bytes) -> Reader | None:
    """A reader for a file whose extension is unknown, from its first bytes."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"PAR1"):
        return records.read_parquet
    if stripped.startswith((b"<!doctype html", b"<html")):
        return html.read
    if stripped.startswith(b"{"):
        return records.read_jsonl
    if stripped.startswith(b"["):
        return records.read_json
    return None


# Bytes per character at most, for files that hold one article: four for UTF-8 or
# UTF-32, twice that for CRLF line ends (one character once normalised), plus a BOM. A
# larger file holds more characters than ``--max-chars`` and is rejected unread.
_BYTES_PER_CHAR = 8
_BOM = 4
# An HTML page carries markup (and sometimes inline images) around its text.
_HTML_MIN_BYTES = 64 * 1024 * 1024
_SINGLE_ARTICLE = {text.read, html.read}


def byte_limit(reader: Reader, options: ReadOptions) -> int | None:
    """The most bytes worth reading for ``reader``; None for multi-record files."""
    if reader not in _SINGLE_ARTICLE:
        return None
    limit = _BYTES_PER_CHAR * options.max_chars + _BOM
    return max(limit, _HTML_MIN_BYTES) if reader is html.read else limit


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Every article (or reject) held by the file at ``path``.

    Whatever goes wrong while reading becomes a reject of the file (the records read
    before it are kept); one file can never stop the batch.
    """
    source = str(path)
    try:
        yield from _read(path, options)
    except Exception as exc:  # noqa: BLE001  (any failure of one file is that file's reject)
        yield Reject(source, Reasons.FAILED_FILE.format(error=describe_error(exc)))


def _read(path: Path, options: ReadOptions) -> Iterator[Item]:
    source = str(path)
    opened = open_input(path)
    if isinstance(opened, str):
        yield Reject(source, opened)
        return
    with opened as fh:
        try:
            head = fh.read(512)
            reader = READERS.get(path.suffix.lower()) or sniff(head)
            if reader is None:
                if path.suffix:
                    yield Reject(source, Reasons.UNSUPPORTED.format(suffix=path.suffix, supported=SUPPORTED))
                    return
                reader = text.read
            if reader is records.read_jsonl:  # streamed line by line, whatever its size
                yield from records.stream_jsonl(path, fh, head, options)
                return
            limit = byte_limit(reader, options)
            if limit is not None:
                size = os.fstat(fh.fileno()).st_size
                data = head + (fh.read(limit + 1 - len(head)) if size <= limit else b"")
                if size > limit or len(data) > limit:
                    yield Reject(source, Reasons.TOO_LARGE_FILE.format(size=max(size, len(data)), limit=options.max_chars))
                    return
            else:
                data = head + fh.read()
        except OSError as exc:
            yield Reject(source, Reasons.UNREADABLE.format(error=exc.strerror or exc))
            return
    yield from reader(path, data, options)

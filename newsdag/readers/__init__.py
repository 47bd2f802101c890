"""Readers: one module per input format, each yielding Articles or Rejects with a reason.

:func:`read` picks the reader from the file's extension, or from its first bytes when
the extension says nothing, so a folder of mixed inputs can be ingested in one run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from newsdag.errors import Reasons
from newsdag.readers import html, records, text
from newsdag.readers.common import Item, ReadOptions, read_bytes
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


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Every article (or reject) held by the file at ``path``."""
    source = str(path)
    data = read_bytes(path)
    if isinstance(data, str):
        yield Reject(source, data)
        return
    reader = READERS.get(path.suffix.lower()) or sniff(data[:512])
    if reader is None:
        if path.suffix:
            yield Reject(source, Reasons.UNSUPPORTED.format(suffix=path.suffix, supported=SUPPORTED))
            return
        reader = text.read
    yield from reader(path, data, options)

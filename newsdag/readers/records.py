"""Multi-record inputs: JSON Lines, JSON arrays, CSV/TSV and Parquet files of articles.

Each record becomes one article (``source_path`` = file path + ``#`` + locator) or one
reject; a malformed line or a record without text never costs the file's other records.
Which record fields feed which column is configurable (:class:`ReadOptions`).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsdag.errors import Reasons
from newsdag.readers.common import (
    Item, ReadOptions, dated, decode, decode_file, describe_error, is_binary, make_article, normalise_newlines,
)
from newsdag.tables import Reject

csv.field_size_limit(sys.maxsize)


def _first(record: Mapping[str, Any], names: Iterable[str]) -> Any:
    return _first_named(record, names)[1]


def _first_named(record: Mapping[str, Any], names: Iterable[str]) -> tuple[str | None, Any]:
    """The first of the fields ``names`` that holds a value, with its name."""
    for name in names:
        value = record.get(name)
        if value is not None and not (isinstance(value, str) and value == ""):
            return name, value
    return None, None


def _kind(value: Any) -> str:
    """A value's type as JSON calls it."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def from_record(path: Path, locator: str, record: Any, options: ReadOptions) -> Item:
    """One record as an Article, or a Reject naming what is wrong with it (whatever it is:
    one record never costs the others)."""
    try:
        return _from_record(path, locator, record, options)
    except Exception as exc:  # noqa: BLE001
        return Reject(f"{path}#{locator}", Reasons.FAILED.format(error=describe_error(exc)))


def _from_record(path: Path, locator: str, record: Any, options: ReadOptions) -> Item:
    fields = options.fields
    ident = _first(record, fields["id"]) if isinstance(record, Mapping) else None
    locator = f"id={ident}" if ident is not None else locator
    source = f"{path}#{locator}"
    if not isinstance(record, Mapping):
        return Reject(source, Reasons.NOT_A_RECORD.format(kind=type(record).__name__))
    name, text = _first_named(record, fields["text"])
    if text is None:
        return Reject(source, Reasons.NO_TEXT.format(fields=", ".join(fields["text"])))
    if not isinstance(text, str):
        return Reject(source, Reasons.TEXT_NOT_STRING.format(field=name, kind=_kind(text)))
    return make_article(
        source,
        normalise_newlines(text),
        options,
        title=_text_or_none(_first(record, fields["title"])) or "",
        url=_text_or_none(_first(record, fields["url"])),
        **dated(_first(record, fields["published_at"])),
        source=_text_or_none(_first(record, fields["source"])),
        author=_authors(_first(record, fields["author"])),
        record=locator,
    )


def _authors(value: Any) -> str | None:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    return _text_or_none(value)


def _json_lines(path: Path, text: str, options: ReadOptions) -> Iterator[Item]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(f"{path}#line {number}", Reasons.MALFORMED_JSON.format(error=exc.msg, column=exc.colno))
            continue
        except RecursionError:
            yield Reject(f"{path}#line {number}", Reasons.TOO_DEEP)
            continue
        yield from_record(path, f"line {number}", record, options)


def _text(path: Path, data: bytes) -> str | Reject:
    """The decoded file, or why it cannot hold records."""
    text = decode_file(str(path), data)
    if isinstance(text, str) and not text.strip():
        return Reject(str(path), Reasons.EMPTY)
    return text


def read_jsonl(path: Path, data: bytes, options: ReadOptions) -> Iterator[Item]:
    text = _text(path, data)
    if isinstance(text, Reject):
        yield text
        return
    yield from _json_lines(path, text, options)


# Bytes of one JSON line worth reading: its text may be escaped (``\\uXXXX``, six bytes
# a character), plus room for the other fields.
_LINE_BYTES_PER_CHAR = 6
_LINE_METADATA_BYTES = 1 << 20
_SKIP_BLOCK = 1 << 20


def stream_jsonl(path: Path, fh: BinaryIO, head: bytes, options: ReadOptions) -> Iterator[Item]:
    """JSON Lines read line by line from the open file ``fh`` (whose first bytes,
    ``head``, are already read), so a feed of any size takes the memory of one line; a
    line longer than any article the limit allows is rejected without being held.
    UTF-16 files are read whole, as :func:`read_jsonl` does."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or is_binary(head):
        yield from read_jsonl(path, head + fh.read(), options)
        return
    limit = _LINE_BYTES_PER_CHAR * options.max_chars + _LINE_METADATA_BYTES
    lines = _lines(head, fh, limit)
    seen_text = False
    for number, raw in enumerate(lines, start=1):
        source = f"{path}#line {number}"
        if raw is None:
            yield Reject(source, Reasons.TOO_LARGE_LINE.format(limit=options.max_chars))
            seen_text = True
            continue
        line = decode(raw[3:] if number == 1 and raw.startswith(b"\xef\xbb\xbf") else raw)
        if line is None:
            yield Reject(source, Reasons.UNDECODABLE)
            seen_text = True
            continue
        if not line.strip():
            continue
        seen_text = True
        yield from _json_lines_numbered(path, number, line, options)
    if not seen_text:
        yield Reject(str(path), Reasons.EMPTY)


def _lines(head: bytes, fh: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The lines of ``head`` + the rest of ``fh`` (without their line ends), each at
    most ``limit`` bytes; None for a longer line, which is skipped unread."""
    pending = head
    while True:
        newline = pending.find(b"\n")
        if newline < 0 and len(pending) <= limit:
            more = fh.readline(limit + 1 - len(pending))
            if more:
                pending += more
                continue
            if pending:
                yield pending.rstrip(b"\r")
            return
        if 0 <= newline <= limit:
            yield pending[:newline].rstrip(b"\r")
            pending = pending[newline + 1 :]
            continue
        yield None  # too long: drop what is held and skip to the line's end
        while b"\n" not in pending:
            pending = fh.read(_SKIP_BLOCK)
            if not pending:
                return
        pending = pending[pending.index(b"\n") + 1 :]


def _json_lines_numbered(path: Path, number: int, line: str, options: ReadOptions) -> Iterator[Item]:
    for item in _json_lines(path, line, options):
        yield _renumber(item, number)


def _renumber(item: Item, number: int) -> Item:
    """An item of a one-line parse (always "line 1") with its real line number."""
    if isinstance(item, Reject):
        return item._replace(source_path=item.source_path.replace("#line 1", f"#line {number}", 1))
    if item.record == "line 1":
        return item._replace(source_path=item.source_path.replace("#line 1", f"#line {number}", 1), record=f"line {number}")
    return item


def read_json(path: Path, data: bytes, options: ReadOptions) -> Iterator[Item]:
    """A JSON array of records, a single record, or (mislabelled) JSON Lines."""
    text = _text(path, data)
    if isinstance(text, Reject):
        yield text
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # one object per line
            yield from _json_lines(path, text, options)
        else:
            yield Reject(str(path), Reasons.MALFORMED_JSON.format(error=exc.msg, column=exc.colno))
        return
    except RecursionError:
        yield Reject(str(path), Reasons.TOO_DEEP)
        return
    if isinstance(document, list):
        for number, record in enumerate(document):
            yield from_record(path, f"item {number}", record, options)
    else:
        yield from_record(path, "item 0", document, options)


def read_csv(path: Path, data: bytes, options: ReadOptions) -> Iterator[Item]:
    text = _text(path, data)
    if isinstance(text, Reject):
        yield text
        return
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    rows = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    number, failures = 0, 0
    while True:
        number += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:  # the reader goes on with the next line
            yield Reject(f"{path}#row {number}", Reasons.FAILED.format(error=describe_error(exc)))
            failures += 1
            if failures >= _MAX_ROW_FAILURES:
                return
            continue
        failures = 0
        yield from_record(path, f"row {number}", row, options)


# Rows in a row that fail to parse before the rest of a CSV file is given up.
_MAX_ROW_FAILURES = 100


def read_parquet(path: Path, data: bytes, options: ReadOptions) -> Iterator[Item]:
    try:
        batches = pq.ParquetFile(pa.BufferReader(data)).iter_batches(batch_size=1024)
        number = 0
        for batch in batches:
            for row in batch.to_pylist():
                number += 1
                yield from_record(path, f"row {number}", row, options)
    except (pa.ArrowException, OSError) as exc:
        yield Reject(str(path), Reasons.BAD_PARQUET.format(error=exc))

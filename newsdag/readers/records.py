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
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsdag.errors import Reasons
from newsdag.readers.common import Item, ReadOptions, decode_file, make_article, normalise_newlines, parse_timestamp
from newsdag.tables import Reject

csv.field_size_limit(sys.maxsize)


def _first(record: Mapping[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def from_record(path: Path, locator: str, record: Any, options: ReadOptions) -> Item:
    """One record as an Article, or a Reject naming what is wrong with it."""
    fields = options.fields
    ident = _first(record, fields["id"]) if isinstance(record, Mapping) else None
    locator = f"id={ident}" if ident is not None else locator
    source = f"{path}#{locator}"
    if not isinstance(record, Mapping):
        return Reject(source, Reasons.NOT_A_RECORD.format(kind=type(record).__name__))
    text = _first(record, fields["text"])
    if not isinstance(text, str):
        return Reject(source, Reasons.NO_TEXT.format(fields=", ".join(fields["text"])))
    return make_article(
        source,
        normalise_newlines(text),
        options,
        title=_text_or_none(_first(record, fields["title"])) or "",
        url=_text_or_none(_first(record, fields["url"])),
        published_at=parse_timestamp(_first(record, fields["published_at"])),
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
    for number, row in enumerate(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        yield from_record(path, f"row {number}", row, options)


def read_parquet(path: Path, data: bytes, options: ReadOptions) -> Iterator[Item]:
    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as exc:
        yield Reject(str(path), Reasons.BAD_PARQUET.format(error=exc))
        return
    for number, row in enumerate(table.to_pylist(), start=1):
        yield from_record(path, f"row {number}", row, options)

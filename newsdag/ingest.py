"""Turning input paths into a batch: distinct articles, and rejects with their reasons.

One bad file or record never stops a batch: every input ends as articles, duplicates of
earlier ones, or rejects. An article's ``doc_id`` hashes its decoded text, so the same
content under another file name is the same article.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from newsdag.errors import NoInputs
from newsdag.readers import read
from newsdag.readers.common import ReadOptions
from newsdag.tables import Article, Reject


class Batch(NamedTuple):
    """What one set of inputs yields: distinct articles (first seen wins) and rejects."""

    articles: list[Article]
    rejects: list[Reject]
    duplicates: int


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


def new_batch_id(now: datetime | None = None) -> str:
    """A batch id that sorts by time: the UTC start of the run."""
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%S.%fZ")


def ingest(
    paths: Iterable[str | os.PathLike], options: ReadOptions | None = None, *, batch_id: str | None = None
) -> Batch:
    """Read every input under ``paths``; identical texts collapse to the first one seen."""
    options = options or ReadOptions()
    now = datetime.now(timezone.utc)
    batch_id = batch_id or new_batch_id(now)
    articles: dict[str, Article] = {}
    rejects: list[Reject] = []
    duplicates = 0
    for path in discover(paths):
        for item in read(path, options):
            if isinstance(item, Reject):
                rejects.append(item)
            elif item.doc_id in articles:
                duplicates += 1
            else:
                articles[item.doc_id] = item._replace(batch_id=batch_id, ingested_at=now)
    return Batch(list(articles.values()), rejects, duplicates)

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

from newsdag.inputs import discover, walk  # noqa: F401  (discover: the files of a run)
from newsdag.readers import read
from newsdag.readers.common import ReadOptions
from newsdag.tables import Article, Reject


class Batch(NamedTuple):
    """What one set of inputs yields: distinct articles (first seen wins) and rejects."""

    articles: list[Article]
    rejects: list[Reject]
    duplicates: int


def new_batch_id(now: datetime | None = None) -> str:
    """A batch id that sorts by time: the UTC start of the run."""
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%S.%fZ")


class Intake:
    """A batch read lazily, so that memory holds one article at a time, not the batch.

    :meth:`articles` yields every distinct article once (identical texts collapse to
    the first one seen); rejects and duplicates are collected on the way.
    """

    def __init__(
        self, paths: Iterable[str | os.PathLike], options: ReadOptions | None = None, *, batch_id: str | None = None
    ) -> None:
        self.paths = list(paths)
        self.options = options or ReadOptions()
        self.now = datetime.now(timezone.utc)
        self.batch_id = batch_id or new_batch_id(self.now)
        self.rejects: list[Reject] = []
        self.duplicates = 0

    def articles(self) -> Iterator[Article]:
        seen: set[str] = set()
        for path in walk(self.paths):
            if isinstance(path, Reject):
                self.rejects.append(path)
                continue
            for item in read(path, self.options):
                if isinstance(item, Reject):
                    self.rejects.append(item)
                elif item.doc_id in seen:
                    self.duplicates += 1
                else:
                    seen.add(item.doc_id)
                    yield item._replace(batch_id=self.batch_id, ingested_at=self.now)


def ingest(
    paths: Iterable[str | os.PathLike], options: ReadOptions | None = None, *, batch_id: str | None = None
) -> Batch:
    """Read every input under ``paths`` at once (a small batch; runs stream an :class:`Intake`)."""
    intake = Intake(paths, options, batch_id=batch_id)
    articles = list(intake.articles())
    return Batch(articles, intake.rejects, intake.duplicates)

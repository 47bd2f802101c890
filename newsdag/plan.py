"""Deciding what a run has to do: chunks of documents and the cache key of each stage.

A published chunk keeps its documents forever, so re-running a batch finds the same
chunks and the same cache keys; new documents form new chunks of their own, so a new
batch costs only its own work. A stage's key hashes its input (the chunk's document
ids, which hash their texts, or the upstream stage's key), the model's name and version
and the stage's own code, so changing any of them recomputes that stage and what
depends on it, and nothing else.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from newsdag.errors import MissingStageSource

if TYPE_CHECKING:
    from newsdag.stages.stage import Stage
    from newsdag.tables import Article


_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: str) -> str:
    """A short stable hash of ``parts``."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


@functools.cache
def code_fingerprint(stage: Stage) -> str:
    """Hash of the files the globs of ``stage.sources`` match: editing one invalidates its cache."""
    h = hashlib.sha256(stage.name.encode())
    for pattern in stage.sources:
        paths = sorted(_PACKAGE.glob(pattern))
        if not paths:
            raise MissingStageSource(stage.name, pattern)
        for path in paths:
            h.update(path.relative_to(_PACKAGE).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:20]


@functools.cache
def model_fingerprint(model: str) -> str:
    """Name and version of ``model`` without loading it: an installed package or a folder."""
    path = Path(model)
    if (path / "meta.json").exists():
        meta = json.loads((path / "meta.json").read_text("utf-8"))
        ident = f"{meta.get('lang')}_{meta.get('name')}=={meta.get('version')}@{digest(str(path.resolve()))}"
    else:
        try:
            ident = f"{model}=={metadata.version(model)}"
        except metadata.PackageNotFoundError:
            ident = model
    return f"{ident}/spacy=={metadata.version('spacy')}"


@dataclass(frozen=True)
class ChunkJob:
    """One chunk's work: its documents, its articles part and each stage's cache key."""

    chunk_id: str
    doc_ids: tuple[str, ...]
    articles: str
    keys: dict[str, str]
    new: bool


@dataclass(frozen=True)
class StageRef:
    """What a stage task returns (and Prefect caches): references to its outputs, not data,
    and how long making them took (which a cached copy repeats, so count it only for a run)."""

    stage: str
    key: str
    parts: dict[str, str]
    docs: str | None = None
    seconds: float = 0.0


@dataclass
class Plan:
    """The ingest stage's answer: the chunks to run and the rejects."""

    jobs: list[ChunkJob]
    rejects: list[tuple[str, str]]
    ingested_paths: set[str]
    documents: int
    new: int
    duplicates: int


@dataclass
class RunSummary:
    """What a run did, for the CLI and for the flow's return value."""

    documents: int
    new: int
    cached: int
    rejected: int
    duplicates: int
    stages: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    # Worker seconds per NLP stage, summed over the chunks this run computed (not the cached).
    stage_seconds: dict[str, float] = field(default_factory=dict)
    # Fixed costs the run paid inside the flow (seconds by part, e.g. the worker pool's
    # start), not counted in ``seconds``: the CLI reports them with the start-up.
    startup: dict[str, float] = field(default_factory=dict)


def stage_keys(chunk_id: str, model: str, stages: Sequence[Stage]) -> dict[str, str]:
    """The cache key of each of ``stages`` (the chunk stages, in running order) for one
    chunk, each chained on the key of the stage before it."""
    keys: dict[str, str] = {}
    upstream = chunk_id
    for stage in stages:
        upstream = keys[stage.name] = digest(stage.name, code_fingerprint(stage), model_fingerprint(model), upstream)
    return keys


# The smallest chunk the tail of a batch is split into: chunk_size // TAIL_DIVISOR.
TAIL_DIVISOR = 8


def chunk_id(doc_ids: Iterable[str]) -> str:
    return digest("chunk", *sorted(doc_ids))


def chunked(articles: Iterable[Article], chunk_size: int) -> Iterator[list[Article]]:
    """New articles in chunks of ``chunk_size``, in input order (the same inputs regroup
    alike on a retry), holding at most two chunks at a time.

    The batch's last articles (its last full chunk and the rest) come in halving chunks,
    so that the workers finish together: a run's wall time is its slowest worker's, and
    a last full chunk run alone would leave the other cores idle for its whole time.
    """
    smallest = chunk_size // TAIL_DIVISOR
    held: list[Article] = []
    group: list[Article] = []
    for article in articles:
        group.append(article)
        if len(group) == chunk_size:
            if held:
                yield held
            held, group = group, []
    tail = held + group
    if smallest < 2:  # chunks this small are not worth splitting
        yield from (part for part in (held, group) if part)
        return
    while len(tail) > 2 * smallest:
        half = (len(tail) + 1) // 2
        yield tail[:half]
        tail = tail[half:]
    if tail:
        yield tail

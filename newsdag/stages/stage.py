"""The stage record: everything the rest of newsdag needs to know about one stage, so
nothing about a stage is written twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from newsdag.plan import StageRef
from newsdag.store import Chunk, Store, docs_name, part_name

# What one run of a stage covers: one chunk, on the output of the chunk stage before it,
# or every published chunk at once, once per run.
Scope = Literal["chunk", "corpus"]


@dataclass(frozen=True)
class Stage:
    """One stage of the pipeline.

    ``sources`` are globs, relative to the ``newsdag`` package, of the files whose
    content is the stage's code: its cache key hashes them, and a glob that matches
    nothing is an error, so a renamed file cannot drop out of the key unnoticed.
    ``pipes`` are the spaCy components it runs, in order; ``tables`` the table parts it
    writes and ``keeps_docs`` whether it also keeps its parsed docs for the stages after
    it. ``run(store, job, upstream, *, model)`` does the work and returns a
    :class:`~newsdag.plan.StageRef` whose ``parts`` are named by ``tables``.

    Only the chunk stages (``CHUNK_STAGES``) are keyed by ``plan.stage_keys`` and run
    by ``tasks.chunk``; a corpus stage (``scope="corpus"``) is keyed on the parts it reads
    and run by the flow on its own, between the chunks and publish, as
    ``run(store, manifest, **settings)``. Its ``prepare(store, chunk)``, if any, does the
    part of its work that is one chunk's alone (and keeps it under ``cache/``); the chunk
    task calls it in the worker, right after the chunk's stages, so that this work runs
    on all the workers at once instead of after them.
    """

    name: str
    sources: tuple[str, ...]
    pipes: tuple[str, ...]
    tables: tuple[str, ...]
    run: Callable[..., StageRef]
    keeps_docs: bool = False
    scope: Scope = "chunk"
    prepare: Callable[[Store, Chunk], None] | None = None

    def outputs(self, key: str) -> list[str]:
        """The files a run under ``key`` leaves behind: its cached result is only valid while they exist."""
        docs = [docs_name(self.name, key)] if self.keeps_docs else []
        return [part_name(table, key) for table in self.tables] + docs

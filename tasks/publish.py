"""Publishing a run: the manifest it will make live, the corpus stage over it, the commit."""

from __future__ import annotations

import time
from collections.abc import Sequence

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsdag.plan import ChunkJob, Plan, StageRef
from newsdag.stages import actors as corpus_stage
from newsdag.stages import publish as stage
from newsdag.store import Manifest, Store
from tasks.retries import IO_RETRIES


@task(name="prepare", cache_policy=NO_CACHE, **IO_RETRIES)
def prepare(data_dir: str, plan: Plan, outputs: Sequence[tuple[ChunkJob, Sequence[StageRef]]]) -> Manifest:
    """The manifest the run will publish: its chunks added, rejects merged (not yet live)."""
    return stage.prepare(Store(data_dir), plan, outputs)


@task(name="actors", cache_policy=NO_CACHE, **IO_RETRIES)
def actors(data_dir: str, manifest: Manifest, genders: bool) -> tuple[dict[str, str], bool, float]:
    """Corpus-level identities over every chunk of ``manifest``: its parts, whether they
    were found (the same chunks and code as a run before), and the seconds it took.
    The parts are named by the set of chunk parts and the stage's code, so they are its cache."""
    store = Store(data_dir)
    cached = store.has(corpus_stage.planned(manifest, genders=genders).values())
    started = time.perf_counter()
    parts = corpus_stage.run(store, manifest, genders=genders)
    return parts, cached, time.perf_counter() - started


@task(name="publish", cache_policy=NO_CACHE, **IO_RETRIES)
def publish(data_dir: str, manifest: Manifest, corpus: dict[str, str]) -> dict[str, int]:
    """Make the run's parts live and refresh the DuckDB views; returns rows per table."""
    return stage.commit(Store(data_dir), manifest, corpus)

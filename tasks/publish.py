"""Publishing a run: the manifest it will make live, the corpus stages over it, the commit."""

from __future__ import annotations

import time
from collections.abc import Sequence

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsdag.plan import ChunkJob, Plan, StageRef
from newsdag.stages import actors as actors_stage
from newsdag.stages import echoes as echoes_stage
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
    cached = store.has(actors_stage.planned(manifest, genders=genders).values())
    started = time.perf_counter()
    parts = actors_stage.run(store, manifest, genders=genders)
    return parts, cached, time.perf_counter() - started


@task(name="echoes", cache_policy=NO_CACHE, **IO_RETRIES)
def echoes(data_dir: str, manifest: Manifest) -> tuple[dict[str, str], bool, float]:
    """Stories and quotation groups over every chunk of ``manifest``: its parts, whether
    they were found, and the seconds it took (new chunks only are hashed; see the stage)."""
    store = Store(data_dir)
    cached = store.has(echoes_stage.planned(manifest).values())
    started = time.perf_counter()
    parts = echoes_stage.run(store, manifest)
    return parts, cached, time.perf_counter() - started


@task(name="publish", cache_policy=NO_CACHE, **IO_RETRIES)
def publish(data_dir: str, manifest: Manifest, corpus: dict[str, str]) -> dict[str, int]:
    """Make the run's parts live and refresh the DuckDB views; returns rows per table."""
    return stage.commit(Store(data_dir), manifest, corpus)

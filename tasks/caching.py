"""The stage tasks, one per ``Stage`` record, cached by the stage key ``newsdag.plan`` computed.

The key hashes the chunk's document ids (which hash their texts), the model's name and
version and the stage's code, so Prefect finds a cached result exactly when the same
work was done before, in any earlier run over the same data dir.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from prefect import Task, task
from prefect.context import TaskRunContext

from newsdag.plan import ChunkJob, StageRef
from newsdag.stages import CHUNK_STAGES
from newsdag.stages.stage import Stage
from newsdag.store import Store
from tasks.retries import IO_RETRIES


def stage_task(stage: Stage) -> Task:
    """Wrap ``stage.run`` as a task cached on the stage's key in ``job.keys``."""

    def run_stage(data_dir: str, job: ChunkJob, upstream: StageRef | None, model: str) -> StageRef:
        started = time.perf_counter()
        ref = stage.run(Store(data_dir), job, upstream, model=model)
        return dataclasses.replace(ref, seconds=time.perf_counter() - started)

    def cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
        return f"{stage.name}-{parameters['job'].keys[stage.name]}"

    return task(
        run_stage,
        name=stage.name,
        description=stage.run.__doc__,
        cache_key_fn=cache_key,
        persist_result=True,
        **IO_RETRIES,
    )


def for_data_dir(stage_task: Task, data_dir: str, *, force: bool) -> Task:
    """The task with its cache records inside ``data_dir`` (a fresh dir reuses nothing)."""
    return stage_task.with_options(
        result_storage=Path(data_dir).resolve() / "cache" / "results",
        refresh_cache=force,
    )


def is_done(data_dir: str, job: ChunkJob) -> bool:
    """Has every chunk stage of ``job`` left its files? Then its tasks will be cache hits."""
    store = Store(data_dir)
    return all(store.has(stage.outputs(job.keys[stage.name])) for stage in CHUNK_STAGES)


def for_job(stage: Stage, stage_task: Task, data_dir: str, job: ChunkJob) -> Task:
    """``stage``'s task as it must run for ``job``: a cache record whose files are gone (a
    run killed between writing them and its record, or files deleted by hand) is
    refreshed, so a cached result never points at nothing."""
    if Store(data_dir).has(stage.outputs(job.keys[stage.name])):
        return stage_task
    return stage_task.with_options(refresh_cache=True)

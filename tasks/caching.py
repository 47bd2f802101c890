"""The NLP stage tasks, cached by the stage key that ``newsdag.plan`` computed.

The key hashes the chunk's document ids (which hash their texts), the model's name and
version and the stage's code, so Prefect finds a cached result exactly when the same
work was done before, in any earlier run over the same data dir.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from prefect import Task, task
from prefect.context import TaskRunContext

from newsdag.plan import ChunkJob, StageRef
from newsdag.store import Store
from tasks.retries import IO_RETRIES

_OUTPUTS: dict[str, Callable[[str], list[str]]] = {}


def stage_task(stage: ModuleType) -> Task:
    """Wrap a ``newsdag.stages`` module's ``run`` as a task cached on its stage key."""

    def run_stage(data_dir: str, job: ChunkJob, upstream: StageRef | None, model: str) -> StageRef:
        started = time.perf_counter()
        ref = stage.run(Store(data_dir), job, upstream, model=model)
        return dataclasses.replace(ref, seconds=time.perf_counter() - started)

    def cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
        return f"{stage.STAGE}-{parameters['job'].keys[stage.STAGE]}"

    _OUTPUTS[stage.STAGE] = stage.outputs
    return task(
        run_stage,
        name=stage.STAGE,
        description=stage.__doc__,
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
    """Has every stage of ``job`` left its files? Then its tasks will be cache hits."""
    store = Store(data_dir)
    return all(store.has(outputs(job.keys[stage])) for stage, outputs in _OUTPUTS.items())


def for_job(stage_task: Task, data_dir: str, job: ChunkJob) -> Task:
    """The task as it must run for ``job``: a cache record whose files are gone (a run
    killed between writing them and its record, or files deleted by hand) is refreshed,
    so a cached result never points at nothing."""
    if Store(data_dir).has(_OUTPUTS[stage_task.name](job.keys[stage_task.name])):
        return stage_task
    return stage_task.with_options(refresh_cache=True)

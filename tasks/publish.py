from __future__ import annotations

from collections.abc import Sequence

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsdag.plan import ChunkJob, Plan, StageRef
from newsdag.stages import publish as stage
from newsdag.store import Store
from tasks.retries import IO_RETRIES


@task(name="publish", cache_policy=NO_CACHE, **IO_RETRIES)
def publish(data_dir: str, plan: Plan, outputs: Sequence[tuple[ChunkJob, Sequence[StageRef]]]) -> dict[str, int]:
    """Make the run's parts live and refresh the DuckDB views; returns rows per table."""
    return stage.run(Store(data_dir), plan, outputs)

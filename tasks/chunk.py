"""One chunk's stage tasks in a row, as one unit of work for a task runner's worker.

Submitting the chain, not each stage, keeps a chunk's stages in one process: the
parsed docs pass from stage to stage in memory (``newsdag.nlp.handoff``), where a pool
would hand each stage to whichever worker is free and the next stage would read them
back from disk. Each stage is still its own task run, cached on its own key.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsdag.plan import ChunkJob, StageRef
from newsdag.stages import CHUNK_STAGES, prepare_corpus
from newsdag.store import Store
from tasks import worker
from tasks.caching import for_data_dir, for_job, stage_task

# One cached task per chunk stage, in running order.
STAGE_TASKS = tuple((stage, stage_task(stage)) for stage in CHUNK_STAGES)


@task(name="chunk", cache_policy=NO_CACHE, persist_result=False)
def run_chunk(data_dir: str, job: ChunkJob, model: str, force: bool) -> tuple[list[tuple[StageRef, bool]], float | None]:
    """Run (or find cached) each stage of ``job``; return its refs, whether each was
    cached, and when this worker process was ready (None in the run's own process)."""
    upstream: StageRef | None = None
    done = []
    for stage, cached_task in STAGE_TASKS:
        runnable = for_job(stage, for_data_dir(cached_task, data_dir, force=force), data_dir, job)
        state = runnable(data_dir=data_dir, job=job, upstream=upstream, model=model, return_state=True)
        upstream = state.result()
        done.append((upstream, state.name == "Cached"))
    prepare_corpus(Store(data_dir), job, [ref for ref, _ in done])
    return done, worker.ready_at

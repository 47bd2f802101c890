"""The newsdag pipeline flow: ingest → tokenise → ner → quotes → publish.

Each NLP stage runs per chunk of documents as its own cached task, so a re-run over
the same articles finds every stage Cached and a new batch costs only its own work.
"""

from __future__ import annotations

import time
from typing import Annotated

from prefect import Task, flow
from pydantic import Field

from newsdag import progress
from newsdag.defaults import DEFAULT_CHUNK_SIZE, DEFAULT_DATA_DIR, DEFAULT_INPUTS, DEFAULT_MAX_CHARS, DEFAULT_MODEL
from newsdag.plan import STAGES, ChunkJob, RunSummary, StageRef
from newsdag.store import Store
from tasks.caching import for_data_dir
from tasks.ingest import ingest
from tasks.ner import ner
from tasks.publish import publish
from tasks.quotes import quotes
from tasks.tokenise import tokenise

STAGE_TASKS: dict[str, Task] = {"tokenise": tokenise, "ner": ner, "quotes": quotes}


def _run_chunk(
    job: ChunkJob, stage_tasks: dict[str, Task], data_dir: str, model: str, counts: dict[str, dict[str, int]]
) -> list[StageRef]:
    refs: list[StageRef] = []
    upstream: StageRef | None = None
    for stage in STAGES:
        state = stage_tasks[stage](data_dir, job, upstream, model, return_state=True)
        upstream = state.result()
        refs.append(upstream)
        if state.name == "Cached":
            counts[stage]["cached"] += 1
            progress.advance(stage, len(job.doc_ids))
        else:
            counts[stage]["run"] += 1
    return refs


@flow(name="newsdag-pipeline")
def pipeline(
    paths: Annotated[list[str], Field(description="files or folders of articles")] = list(DEFAULT_INPUTS),  # noqa: B006
    data_dir: Annotated[str, Field(description="where tables, caches and the DuckDB file live")] = DEFAULT_DATA_DIR,
    model: Annotated[str, Field(description="spaCy model package or folder")] = DEFAULT_MODEL,
    chunk_size: Annotated[int, Field(description="documents per task", ge=1)] = DEFAULT_CHUNK_SIZE,
    force: Annotated[bool, Field(description="recompute every stage, ignoring caches")] = False,
    max_chars: Annotated[int, Field(description="reject longer articles", ge=1)] = DEFAULT_MAX_CHARS,
    fields: Annotated[
        dict[str, str], Field(description="record field per article column, e.g. {'text': 'article_body'}")
    ] = {},  # noqa: B006
) -> RunSummary:
    """Process the articles under ``paths`` into the tables of ``data_dir``, incrementally."""
    started = time.perf_counter()
    with Store(data_dir).writer_lock():
        plan = ingest(data_dir, paths, model, chunk_size, max_chars, fields)
        progress.expect(sum(len(job.doc_ids) for job in plan.jobs))
        stage_tasks = {name: for_data_dir(t, data_dir, force=force) for name, t in STAGE_TASKS.items()}
        counts = {stage: {"run": 0, "cached": 0} for stage in STAGES}
        outputs = [(job, _run_chunk(job, stage_tasks, data_dir, model, counts)) for job in plan.jobs]
        rows = publish(data_dir, plan, outputs)
    return RunSummary(
        documents=plan.documents,
        new=plan.new,
        cached=plan.documents - plan.new,
        rejected=len(plan.rejects),
        duplicates=plan.duplicates,
        stages=counts,
        rows=rows,
        seconds=time.perf_counter() - started,
    )

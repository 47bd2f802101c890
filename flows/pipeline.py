"""The newsdag pipeline flow: ingest → tokenise → ner → quotes → publish.

Each NLP stage runs per chunk of documents as its own cached task, so a re-run over
the same articles finds every stage Cached and a new batch costs only its own work.
With ``only_new`` (scheduled inbox runs) input files processed before are not even
read, and a run that finds none says so and ends.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Annotated, Literal

from prefect import Task, flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run
from pydantic import Field

from newsdag import inbox, progress, status
from newsdag.artifacts import ARTIFACT_KEY, RunReport, headline, markdown, top_speakers
from newsdag.catalog import row_counts
from newsdag.defaults import DEFAULT_CHUNK_SIZE, DEFAULT_DATA_DIR, DEFAULT_INPUTS, DEFAULT_MAX_CHARS, DEFAULT_MODEL
from newsdag.plan import STAGES, ChunkJob, RunSummary, StageRef
from newsdag.store import Store
from tasks.caching import for_data_dir, for_job
from tasks.ingest import ingest
from tasks.ner import ner
from tasks.publish import publish
from tasks.quotes import quotes
from tasks.tokenise import tokenise

STAGE_TASKS: dict[str, Task] = {"tokenise": tokenise, "ner": ner, "quotes": quotes}
# Where the stage tasks run: "local" runs them one after another in the flow run's process.
Runner = Literal["local"]


def _run_chunk(
    job: ChunkJob,
    stage_tasks: dict[str, Task],
    data_dir: str,
    model: str,
    counts: dict[str, dict[str, int]],
    timings: dict[str, float],
) -> list[StageRef]:
    refs: list[StageRef] = []
    upstream: StageRef | None = None
    for stage in STAGES:
        started = time.perf_counter()
        state = for_job(stage_tasks[stage], data_dir, job)(data_dir, job, upstream, model, return_state=True)
        upstream = state.result()
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started
        refs.append(upstream)
        if state.name == "Cached":
            counts[stage]["cached"] += 1
            progress.advance(stage, len(job.doc_ids))
        else:
            counts[stage]["run"] += 1
    return refs


def _quote_parts(outputs: Sequence[tuple[ChunkJob, Sequence[StageRef]]]) -> list[str]:
    return [ref.parts["quotes"] for _, refs in outputs for ref in refs if "quotes" in ref.parts]


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
    runner: Annotated[Runner, Field(description="where the stage tasks run: 'local', in the flow run's process")] = "local",
    only_new: Annotated[
        bool, Field(description="skip input files processed before and unchanged since (path, size and mtime, or content)")
    ] = False,
) -> RunSummary:
    """Process the articles under ``paths`` into the tables of ``data_dir``, incrementally."""
    logger = get_run_logger()
    started = time.perf_counter()
    store = Store(data_dir)
    timings: dict[str, float] = {}
    counts = {stage: {"run": 0, "cached": 0} for stage in STAGES}
    with store.writer_lock():
        scan = inbox.scan(paths, inbox.load(store))
        timings["scan"] = time.perf_counter() - started
        files = len(scan.pending) + len(scan.unchanged)
        todo, skipped = ([str(p) for p in scan.pending], len(scan.unchanged)) if only_new else (list(paths), 0)
        if only_new:
            logger.info("%d of %d input files are new or changed", len(todo), files)
        if only_new and not todo:
            summary = RunSummary(0, 0, 0, 0, 0, counts, row_counts(store) if store.database.exists() else {})
            outputs = []
        else:
            mark = time.perf_counter()
            plan = ingest(data_dir, todo, model, chunk_size, max_chars, fields)
            timings["ingest"] = time.perf_counter() - mark
            logger.info(
                "%d articles (%d new) in %d chunks, %d inputs rejected",
                plan.documents, plan.new, len(plan.jobs), len(plan.rejects),
            )
            progress.expect(sum(len(job.doc_ids) for job in plan.jobs))
            stage_tasks = {name: for_data_dir(t, data_dir, force=force) for name, t in STAGE_TASKS.items()}
            outputs = [(job, _run_chunk(job, stage_tasks, data_dir, model, counts, timings)) for job in plan.jobs]
            mark = time.perf_counter()
            rows = publish(data_dir, plan, outputs)
            timings["publish"] = time.perf_counter() - mark
            summary = RunSummary(
                documents=plan.documents,
                new=plan.new,
                cached=plan.documents - plan.new,
                rejected=len(plan.rejects),
                duplicates=plan.duplicates,
                stages=counts,
                rows=rows,
            )
        inbox.save(store, scan.records)
        summary.seconds = time.perf_counter() - started
        report = RunReport(
            summary, list(paths), data_dir, runner, files - skipped, skipped, timings,
            top_speakers(store, _quote_parts(outputs)),
        )
        status.record_run(store, report, flow_run.id)
    logger.info(headline(report))
    create_markdown_artifact(markdown(report), key=ARTIFACT_KEY, description=headline(report))
    return summary

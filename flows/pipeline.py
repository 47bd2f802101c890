"""The newsdag pipeline flow: ingest → tokenise → ner → quotes → actors → echoes → publish.

Each NLP stage runs per chunk of documents as its own cached task, so a re-run over
the same articles finds every stage Cached and a new batch costs only its own work.
The actors stage then resolves speakers and entities across the whole corpus, once per
run, over every chunk the run is about to publish (its parts are keyed by that set), and
the echoes stage groups copied articles into stories and repeated quotations.
Chunks are independent: each chunk's tokenise → ner → quotes chain is submitted as one
unit (``tasks.chunk``) to a task runner (one process, a pool of processes, or a Dask
cluster), a few chunks ahead of the workers so that memory stays flat however large
the batch.
With ``only_new`` (scheduled inbox runs) input files processed before are not even
read, and a run that finds none says so and ends.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Literal

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.futures import PrefectFuture, as_completed
from prefect.runtime import flow_run
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from pydantic import Field

from newsdag import inbox, progress, status
from newsdag.artifacts import ARTIFACT_KEY, RunReport, headline, markdown, top_speakers
from newsdag.catalog import row_counts
from newsdag.defaults import DEFAULT_CHUNK_SIZE, DEFAULT_DATA_DIR, DEFAULT_INPUTS, DEFAULT_MAX_CHARS, DEFAULT_MODEL
from newsdag.plan import ChunkJob, RunSummary, StageRef
from newsdag.stages import STAGES
from newsdag.store import Store
from tasks import worker
from tasks.caching import is_done
from tasks.chunk import run_chunk
from tasks.ingest import ingest
from tasks.publish import actors, echoes, prepare, publish

# Where the stage tasks run: "local" on this machine (in the flow run's process with one
# worker, else in a pool of worker processes), "dask" on a Dask cluster.
Runner = Literal["local", "dask"]
# Chunks in flight per worker: one running, one queued so that no worker waits.
CHUNKS_PER_WORKER = 2


@contextmanager
def _api_for_workers() -> Iterator[None]:
    """Worker processes must report to this run's Prefect server; with no PREFECT_API_URL
    that is the temporary server this process started, which they would not find (each
    would start one of its own)."""
    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    with temporary_settings({PREFECT_API_URL: SubprocessASGIServer().api_url}):
        yield


@contextmanager
def task_runner(runner: Runner, workers: int, dask_address: str | None, model: str) -> Iterator[tuple[TaskRunner, int]]:
    """The started task runner for the NLP tasks, with how many chunks to keep in flight."""
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        with DaskTaskRunner(address=dask_address) as dask:
            yield dask, CHUNKS_PER_WORKER * max(1, sum(dask.client.nthreads().values()))
    elif workers == 1:
        with ThreadPoolTaskRunner(max_workers=1) as local:
            yield local, 1
    else:
        with _api_for_workers(), ProcessPoolTaskRunner(max_workers=workers, initializer=worker.start, initargs=(model,)) as pool:
            yield pool, CHUNKS_PER_WORKER * workers


def _run_chunks(
    runner: TaskRunner,
    window: int,
    jobs: Sequence[ChunkJob],
    data_dir: str,
    model: str,
    force: bool,
    counts: dict[str, dict[str, int]],
    timings: dict[str, float],
) -> tuple[list[tuple[ChunkJob, list[StageRef]]], float]:
    """Submit each chunk's stage chain, at most ``window`` chunks at a time; count each
    stage run or cached and advance the progress bars as chunks complete. Returns the
    refs per chunk and the seconds the worker processes took to start (0 without any)."""
    started = time.time()
    ready = [started]
    refs: dict[int, list[StageRef]] = {}
    pending: dict[PrefectFuture, int] = {}
    todo = iter(enumerate(jobs))

    def submit_next() -> None:
        for n, job in todo:
            parameters = {"data_dir": data_dir, "job": job, "model": model, "force": force}
            pending[runner.submit(run_chunk, parameters)] = n
            return

    for _ in range(window):
        submit_next()
    while pending:
        future = next(as_completed(list(pending)))
        n = pending.pop(future)
        refs[n] = []
        done, ready_at = future.result()
        ready.append(ready_at or started)
        for ref, cached in done:
            refs[n].append(ref)
            counts[ref.stage]["cached" if cached else "run"] += 1
            # Worker time, summed over chunks; a cached result repeats the time of its first run.
            timings[ref.stage] = timings.get(ref.stage, 0.0) + (0.0 if cached else ref.seconds)
            progress.advance(ref.stage, len(jobs[n].doc_ids))
        submit_next()
    return [(job, refs[n]) for n, job in enumerate(jobs)], max(ready) - started


def _quote_parts(outputs: Sequence[tuple[ChunkJob, Sequence[StageRef]]]) -> list[str]:
    return [ref.parts["quotes"] for _, refs in outputs for ref in refs if "quotes" in ref.parts]


@flow(name="newsdag-pipeline")
def pipeline(
    paths: Annotated[list[str], Field(description="files or folders of articles")] = list(DEFAULT_INPUTS),  # noqa: B006
    data_dir: Annotated[str, Field(description="where tables, caches and the DuckDB file live")] = DEFAULT_DATA_DIR,
    model: Annotated[str, Field(description="spaCy model package or folder")] = DEFAULT_MODEL,
    chunk_size: Annotated[int, Field(description="documents per task", ge=1)] = DEFAULT_CHUNK_SIZE,
    force: Annotated[bool, Field(description="recompute every stage, ignoring caches")] = False,
    max_chars: Annotated[
        int, Field(description="reject longer articles (at most what the spaCy model takes)", ge=1, le=DEFAULT_MAX_CHARS)
    ] = DEFAULT_MAX_CHARS,
    fields: Annotated[
        dict[str, str], Field(description="record field per article column, e.g. {'text': 'article_body'}")
    ] = {},  # noqa: B006
    runner: Annotated[
        Runner, Field(description="where the NLP tasks run: 'local' (this machine) or 'dask' (a Dask cluster)")
    ] = "local",
    workers: Annotated[
        int | None, Field(description="with runner 'local', processes for the NLP tasks; 1 = in the flow run's process, none = all cores", ge=1)
    ] = None,
    dask_address: Annotated[
        str | None, Field(description="with runner 'dask', the scheduler, e.g. tcp://10.0.0.5:8786; none = a temporary local cluster")
    ] = None,
    infer_gender: Annotated[
        bool, Field(description="infer the gender the text marks for persons (honorifics, pronouns, first names); false leaves it unknown")
    ] = True,
    only_new: Annotated[
        bool, Field(description="skip input files processed before and unchanged since (path, size and mtime, or content)")
    ] = False,
) -> RunSummary:
    """Process the articles under ``paths`` into the tables of ``data_dir``, incrementally."""
    logger = get_run_logger()
    started = time.perf_counter()
    store = Store(data_dir)
    timings: dict[str, float] = {}
    startup: dict[str, float] = {}  # fixed costs inside the flow (the worker pool's start)
    counts = {stage.name: {"run": 0, "cached": 0} for stage in STAGES}
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
            # No more local workers than chunks with work to do: a pool costs seconds to
            # start, and cached chunks are answered faster in this process.
            busy = len(plan.jobs) if force else sum(not is_done(data_dir, job) for job in plan.jobs)
            if runner == "local":
                workers = min(workers or os.cpu_count() or 1, max(busy, 1))
            elif busy == 0:
                runner, workers = "local", 1
            with task_runner(runner, workers or os.cpu_count() or 1, dask_address, model) as (pool, window):
                outputs, startup["workers"] = _run_chunks(pool, window, plan.jobs, data_dir, model, force, counts, timings)
            mark = time.perf_counter()
            # quote(): Prefect would walk these (every doc id of the data dir) for futures
            manifest = prepare(data_dir, quote(plan), quote(outputs))
            corpus, spent = {}, 0.0
            for name, (parts, cached, seconds) in (
                ("actors", actors(data_dir, quote(manifest), infer_gender)),
                ("echoes", echoes(data_dir, quote(manifest))),
            ):
                corpus.update(parts)
                counts[name]["cached" if cached else "run"] += 1
                timings[name] = 0.0 if cached else seconds
                spent += seconds
                progress.advance(name, sum(len(job.doc_ids) for job in plan.jobs))
            rows = publish(data_dir, quote(manifest), corpus)
            timings["publish"] = time.perf_counter() - mark - spent
            summary = RunSummary(
                documents=plan.documents,
                new=plan.new,
                cached=plan.documents - plan.new,
                rejected=len(plan.rejects),
                duplicates=plan.duplicates,
                stages=counts,
                rows=rows,
                stage_seconds={stage.name: timings.get(stage.name, 0.0) for stage in STAGES},
                startup=startup,
            )
        inbox.save(store, scan.records)
        summary.seconds = time.perf_counter() - started - sum(startup.values())
        report = RunReport(
            summary, list(paths), data_dir, runner, files - skipped, skipped, timings,
            top_speakers(store, _quote_parts(outputs)),
        )
        status.record_run(store, report, flow_run.id)
    logger.info(headline(report))
    create_markdown_artifact(markdown(report), key=ARTIFACT_KEY, description=headline(report))
    return summary

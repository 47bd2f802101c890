"""newsdag: turn news articles into tables of entities and quotes, queryable with DuckDB."""

from __future__ import annotations

import json
import os
import time
from enum import Enum
from pathlib import Path
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsdag.cli_analytics import register as register_analytics
from newsdag.cli_show import register as register_show
from newsdag.defaults import DEFAULT_CHUNK_SIZE, DEFAULT_DATA_DIR, DEFAULT_INPUTS, DEFAULT_MAX_CHARS, DEFAULT_MODEL
from newsdag.errors import NewsdagError, RunFailed
from newsdag.formats import ResultFormat
from newsdag.plan import RunSummary

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
err = Console(stderr=True, soft_wrap=True)

class Runner(str, Enum):
    """Where ``newsdag run`` runs the NLP stages (the flow's ``runner`` parameter)."""

    local = "local"
    dask = "dask"


DataDir = Annotated[Path, typer.Option("--data-dir", help="Folder of the tables, caches and DuckDB file.")]


class StageBars:
    """A rich progress bar per NLP stage, fed by ``newsdag.progress``."""

    def __init__(self, bar: Progress) -> None:
        from newsdag.stages import STAGES  # spaCy: only for a run, which loads the model anyway

        self.bar = bar
        self.ids = {stage.name: bar.add_task(stage.name, total=None) for stage in STAGES}

    def expect(self, documents: int) -> None:
        for task_id in self.ids.values():
            self.bar.update(task_id, total=documents)

    def advance(self, stage: str, documents: int) -> None:
        self.bar.advance(self.ids[stage], documents)


def _fail(exc: Exception, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
    raise typer.Exit(code)


def _one_line(exc: Exception) -> Exception:
    """A DuckDB error as its first line (the rest repeats the statement)."""
    text = str(exc).strip()
    return type(exc)(text.splitlines()[0] if text else type(exc).__name__)


def _load_model(model: str, max_chars: int | None = None) -> None:
    """Load the model (and the first-name lists) before the run, so a bad name fails fast
    and its load time counts as start-up, not as work (the run's stages reuse the loaded
    pipeline). An article limit above what the model takes is refused here, not by spaCy
    mid-run."""
    from newsdag.errors import MaxCharsTooLarge
    from newsdag.gender import first_names
    from newsdag.nlp import load_pipeline

    try:
        nlp = load_pipeline(model)
    except NewsdagError as exc:
        _fail(exc)
    first_names()
    if max_chars is not None and max_chars > nlp.max_length:
        _fail(MaxCharsTooLarge(max_chars, nlp.max_length, model))


def _parse_fields(pairs: list[str]) -> dict[str, str]:
    from newsdag.readers.common import ReadOptions

    fields = dict(pair.split("=", 1) for pair in pairs if "=" in pair)
    if len(fields) != len(pairs):
        _fail(ValueError(f"--field takes COLUMN=FIELD, got {[p for p in pairs if '=' not in p]}"))
    try:
        ReadOptions().with_fields(fields)
    except ValueError as exc:
        _fail(exc)
    return fields


def format_summary(summary: RunSummary, data_dir: Path, startup: str = "0.0 s start-up") -> str:
    """The end-of-run report; ``startup`` (imports, model, Prefect, by part) is shown
    apart from the work, because it is the same for one article or a million."""
    stages = " · ".join(
        f"{s} {c['run']} run / {c['cached']} cached ({summary.stage_seconds.get(s, 0.0):.1f} s)"
        for s, c in summary.stages.items()
    )
    rows = " · ".join(f"{t} {n}" for t, n in summary.rows.items())
    duplicates = f", {summary.duplicates} duplicate files" if summary.duplicates else ""
    return "\n".join(
        [
            f"articles: {summary.documents} ({summary.new} new, {summary.cached} cached{duplicates}),"
            f" rejected: {summary.rejected}, in {summary.seconds:.1f} s (+ {startup})",
            f"chunks:   {stages}",
            f"rows:     {rows}",
            f"data:     {data_dir.resolve()}  (try: newsdag sql \"select * from quotes\" --data-dir {data_dir})",
        ]
    )


@app.command()
def run(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders of articles [default: seeds].")] = None,
    data_dir: DataDir = Path(DEFAULT_DATA_DIR),
    model: Annotated[str, typer.Option(envvar="NEWSDAG_MODEL", help="spaCy model package or folder.")] = DEFAULT_MODEL,
    chunk_size: Annotated[int, typer.Option(min=1, help="Documents per task.")] = DEFAULT_CHUNK_SIZE,
    max_chars: Annotated[int, typer.Option(min=1, help="Reject longer articles.")] = DEFAULT_MAX_CHARS,
    force: Annotated[bool, typer.Option(help="Recompute every stage, ignoring caches.")] = False,
    workers: Annotated[
        Optional[int],
        typer.Option(min=1, help="Processes for the NLP stages [default: all cores]; 1 runs them in this process."),
    ] = None,
    runner: Annotated[
        Runner, typer.Option(help="Where the NLP stages run: local (this machine) or dask (a Dask cluster).")
    ] = Runner.local,
    dask_address: Annotated[
        Optional[str],
        typer.Option(help="With --runner dask, the cluster's scheduler, e.g. tcp://10.0.0.5:8786 "
                     "[default: a temporary local cluster]."),
    ] = None,
    field: Annotated[
        Optional[list[str]],
        typer.Option(help="COLUMN=FIELD: read a record's FIELD into COLUMN (text, title, url, published_at, "
                     "source, author, id); repeatable."),
    ] = None,
    gender: Annotated[
        bool, typer.Option(help="Infer the gender the text marks for quoted and mentioned persons (see README).")
    ] = True,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also print Prefect's run and task logs (they always reach its API).")
    ] = False,
) -> None:
    """Run the pipeline over PATHS into DATA_DIR, doing only new or changed work."""
    from newsdag.startup import StartupClock, process_age

    clock = StartupClock()
    clock.add("python", process_age())
    mark = time.perf_counter()
    inputs = [str(p) for p in paths] if paths else list(DEFAULT_INPUTS)
    from newsdag.errors import InputIsDataDir, NoInputs
    from newsdag.inputs import is_data_dir

    for path in inputs:
        if not Path(path).exists() and not Path(path).is_symlink():
            _fail(NoInputs(path))
        if is_data_dir(Path(path)):
            _fail(InputIsDataDir(path))
    fields = _parse_fields(field or [])
    from contextlib import ExitStack

    from newsdag import lifeline, server
    from newsdag.runtime import console_logs

    with ExitStack() as stack:
        stack.enter_context(console_logs(verbose))
        stack.enter_context(_reserved(data_dir))
        stack.callback(lifeline.end_on_signals(_say_interrupted(data_dir)))
        lifeline.start_reaper()
        prefect_server = server.started_early()
        if runner is Runner.dask and dask_address:
            _check_dask(dask_address)
        clock.add("checks", time.perf_counter() - mark)
        with clock.part("model"):
            _load_model(model, max_chars)
        summary = _run_pipeline(
            prefect_server, clock,
            paths=inputs, data_dir=str(data_dir), model=model,
            chunk_size=chunk_size, force=force, max_chars=max_chars, fields=fields,
            runner=runner.value, workers=workers, dask_address=dask_address, infer_gender=gender,
        )
    typer.echo(format_summary(summary, data_dir, clock.describe()))


def _run_pipeline(prefect_server, clock, **parameters) -> RunSummary:
    """The flow over ``parameters`` (on ``prefect_server`` unless Prefect names its own),
    with progress bars, its fixed costs added to ``clock``; a failure is one line, exit 2
    (a user's mistake or the environment) or 1 (anything else)."""
    with clock.part("prefect"):
        from newsdag import progress
        from newsdag.server import serving
        from flows.pipeline import pipeline

    bar = Progress(
        TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=False,
    )
    quiet = _console_without_tracebacks()
    try:
        with serving(prefect_server, clock), bar, progress.listening(StageBars(bar)):
            started = time.perf_counter()
            summary = pipeline(**parameters)
            clock.add("flow", time.perf_counter() - started - summary.seconds - sum(summary.startup.values()))
            for part, seconds in summary.startup.items():
                clock.add(part, seconds)
            return summary
    except NewsdagError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(RunFailed(exc, "check the disk, the data dir and the network (a Dask scheduler, a shared file system)"))
    except Exception as exc:  # noqa: BLE001  (one line, not a traceback; NEWSDAG_DEBUG=1 shows it)
        if os.environ.get("NEWSDAG_DEBUG"):
            raise
        _fail(RunFailed(exc, "set NEWSDAG_DEBUG=1 to see where"), code=1)
    finally:
        quiet()


@contextmanager
def _reserved(data_dir: Path) -> Iterator[None]:
    """Before any slow start-up: the data dir must be a folder no other run is writing
    to, and stays this run's until it ends."""
    from newsdag.store import Store

    store = Store(data_dir)
    try:
        reservation = store.reserved()
        reservation.__enter__()
    except NewsdagError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(RunFailed(exc, f"check that --data-dir {data_dir} can be created and written"))
    try:
        try:
            store.load_manifest()  # a damaged one is said at once, not after the start-up
        except NewsdagError as exc:
            _fail(exc)
        yield
    finally:
        reservation.__exit__(None, None, None)


def _console_without_tracebacks():
    """Prefect logs a failed run's traceback to the console; newsdag says what is wrong
    in one line instead (NEWSDAG_DEBUG=1 keeps the tracebacks). Returns the undo."""
    import logging

    if os.environ.get("NEWSDAG_DEBUG"):
        return lambda: None

    class NoTraceback(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.exc_info, record.exc_text = None, None
            return True

    quiet = NoTraceback()
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    for handler in handlers:
        handler.addFilter(quiet)

    def undo() -> None:
        for handler in handlers:
            handler.removeFilter(quiet)

    return undo


def _check_dask(address: str) -> None:
    """An unreachable scheduler is a mistake to report at once, not after a timeout."""
    import socket
    from urllib.parse import urlsplit

    from newsdag.errors import DaskUnreachable

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None:
        _fail(DaskUnreachable(address, "it is not of the form tcp://HOST:PORT"))
    try:
        socket.create_connection((parts.hostname, port), timeout=5).close()
    except OSError as exc:
        _fail(DaskUnreachable(address, exc.strerror or str(exc) or type(exc).__name__))


def _say_interrupted(data_dir: Path):
    from newsdag.errors import Interrupted

    def say(signum: int) -> None:
        import signal

        err.print(f"[bold red]error:[/] {escape(str(Interrupted(signal.Signals(signum).name, str(data_dir))))}", highlight=False)

    return say


@app.command()
def sql(
    statement: Annotated[str, typer.Argument(metavar="SQL", help="One SQL statement.")],
    data_dir: DataDir = Path(DEFAULT_DATA_DIR),
    format: Annotated[ResultFormat, typer.Option("--format", help="Output format.")] = ResultFormat.table,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write to FILE instead of printing (parquet needs it).")] = None,
    wide: Annotated[bool, typer.Option("--wide", help="Print whole values, not one terminal line per row.")] = False,
) -> None:
    """Run one read-only SQL statement against the tables and print the result.

    The statement runs on a DuckDB connection that can read the data dir's tables and
    nothing else: no other file, no ATTACH, INSTALL, SET or PRAGMA, and one statement only.
    """
    import duckdb

    from newsdag.catalog import stream
    from newsdag.errors import SqlRefused
    from newsdag.output import write_result
    from newsdag.store import Store

    try:
        with stream(Store(data_dir), statement) as result:
            write_result(result, format, out, wide=wide)
    except duckdb.PermissionException as exc:
        _fail(SqlRefused(exc))
    except duckdb.InvalidInputException as exc:
        _fail(SqlRefused(exc) if "configuration has been locked" in str(exc) else _one_line(exc))
    except duckdb.Error as exc:
        _fail(_one_line(exc))
    except (NewsdagError, OSError) as exc:
        _fail(exc)


@app.command()
def status(
    data_dir: DataDir = Path(DEFAULT_DATA_DIR),
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as one JSON object.")] = False,
) -> None:
    """Show what DATA_DIR holds: batches, articles, rejects and the last run (no Prefect needed)."""
    from newsdag.status import format_status, read_status
    from newsdag.store import Store

    try:
        state = read_status(Store(data_dir))
    except (NewsdagError, OSError) as exc:
        _fail(exc)
    typer.echo(json.dumps(state.to_dict(), ensure_ascii=False, indent=1) if as_json else format_status(state))


@app.command()
def compact(data_dir: DataDir = Path(DEFAULT_DATA_DIR)) -> None:
    """Rewrite the many small Parquet files of DATA_DIR's tables as a few large ones.

    Queries open every file of a table, so a lake fed in many small batches slows down
    as it grows; compaction keeps it fast. Safe to interrupt: the tables switch to the
    new files in one step.
    """
    from newsdag.compaction import compact as compact_tables
    from newsdag.store import Store

    store = Store(data_dir)
    try:
        with store.writer_lock():
            done = compact_tables(store)
    except (NewsdagError, OSError) as exc:
        _fail(exc)
    typer.echo("files:  " + " · ".join(f"{t} {done.before[t]} → {done.after[t]}" for t in done.before))


@app.command()
def doctor(
    data_dir: DataDir = Path(DEFAULT_DATA_DIR),
    repair: Annotated[bool, typer.Option("--repair", help="Recompute, rebuild or remove what is damaged.")] = False,
    model: Annotated[
        str, typer.Option(envvar="NEWSDAG_MODEL", help="spaCy model that made the tables (to recompute parts).")
    ] = DEFAULT_MODEL,
) -> None:
    """Check DATA_DIR (manifest, every live part, views, caches, stray temporary files)
    and say what is wrong; with --repair, fix what can be fixed. Exits 1 while something
    is wrong."""
    from newsdag.doctor import examine, format_checkup
    from newsdag.doctor import repair as repair_data_dir
    from newsdag.store import Store

    try:
        checkup = repair_data_dir(Store(data_dir), model) if repair else examine(Store(data_dir))
    except (NewsdagError, OSError) as exc:
        _fail(exc)
    typer.echo(format_checkup(checkup))
    if checkup.findings:
        raise typer.Exit(1)


SERVE_INBOX = "inbox"
SERVE_CRON = "*/5 * * * *"


@app.command()
def serve(
    inbox: Annotated[Path, typer.Option(help="Folder of new articles, created if missing.")] = Path(SERVE_INBOX),
    data_dir: DataDir = Path(DEFAULT_DATA_DIR),
    model: Annotated[str, typer.Option(envvar="NEWSDAG_MODEL", help="spaCy model package or folder.")] = DEFAULT_MODEL,
    cron: Annotated[str, typer.Option(help="When to look for new articles, in cron syntax.")] = SERVE_CRON,
    timezone: Annotated[str, typer.Option(help="Time zone of --cron (IANA name).")] = "UTC",
) -> None:
    """Run the pipeline over INBOX on a schedule from this process, without a work pool.

    Serves two deployments of the flow until interrupted: inbox-served, on the schedule,
    reads only files not processed before; reprocess-served, started on demand
    (prefect deployment run newsdag-pipeline/reprocess-served), recomputes everything.
    """
    _load_model(model)
    from flows.pipeline import pipeline
    from prefect import serve as serve_deployments
    from prefect.schedules import Cron
    from prefect.settings import get_current_settings

    if not get_current_settings().api.url:
        # A temporary server runs no scheduler, so the schedule would never fire.
        _fail(RuntimeError(
            "newsdag serve needs a running Prefect server: start one with `prefect server start` "
            "and set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)"
        ))
    inbox.mkdir(parents=True, exist_ok=True)

    parameters = {"paths": [str(inbox)], "data_dir": str(data_dir), "model": model, "runner": "local"}
    serve_deployments(
        pipeline.to_deployment(
            "inbox-served",
            schedule=Cron(cron, timezone=timezone),
            parameters={**parameters, "only_new": True},
            description=f"Process new files under {inbox} into {data_dir}.",
        ),
        pipeline.to_deployment(
            "reprocess-served",
            parameters={**parameters, "force": True},
            description=f"Recompute every stage over {inbox} into {data_dir}.",
        ),
    )


register_analytics(app)
register_show(app)


def main() -> None:
    app()



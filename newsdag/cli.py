"""newsdag: turn news articles into tables of entities and quotes, queryable with DuckDB."""

from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsdag.errors import NewsdagError
from newsdag.defaults import DEFAULT_CHUNK_SIZE, DEFAULT_DATA_DIR, DEFAULT_INPUTS, DEFAULT_MAX_CHARS, DEFAULT_MODEL
from newsdag.plan import STAGES, RunSummary

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
err = Console(stderr=True, soft_wrap=True)

DataDir = Annotated[Path, typer.Option("--data-dir", help="Folder of the tables, caches and DuckDB file.")]


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class StageBars:
    """A rich progress bar per NLP stage, fed by ``newsdag.progress``."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.ids = {stage: bar.add_task(stage, total=None) for stage in STAGES}

    def expect(self, documents: int) -> None:
        for task_id in self.ids.values():
            self.bar.update(task_id, total=documents)

    def advance(self, stage: str, documents: int) -> None:
        self.bar.advance(self.ids[stage], documents)


def _fail(exc: Exception) -> None:
    err.print(f"[bold red]error:[/] {exc}")
    raise typer.Exit(2)


def _check_model(model: str) -> None:
    import spacy.util

    if not (spacy.util.is_package(model) or (Path(model) / "meta.json").exists()):
        from newsdag.errors import ModelNotInstalled

        _fail(ModelNotInstalled(model))


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


def format_summary(summary: RunSummary, data_dir: Path) -> str:
    stages = " · ".join(f"{s} {c['run']} run / {c['cached']} cached" for s, c in summary.stages.items())
    rows = " · ".join(f"{t} {n}" for t, n in summary.rows.items())
    duplicates = f", {summary.duplicates} duplicate files" if summary.duplicates else ""
    return "\n".join(
        [
            f"articles: {summary.documents} ({summary.new} new, {summary.cached} cached{duplicates}),"
            f" rejected: {summary.rejected}, in {summary.seconds:.1f} s",
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
    field: Annotated[
        Optional[list[str]],
        typer.Option(help="COLUMN=FIELD: read a record's FIELD into COLUMN (text, title, url, published_at, "
                     "source, author, id); repeatable."),
    ] = None,
) -> None:
    """Run the pipeline over PATHS into DATA_DIR, doing only new or changed work."""
    inputs = [str(p) for p in paths] if paths else list(DEFAULT_INPUTS)
    for path in inputs:
        if not Path(path).exists():
            from newsdag.errors import NoInputs

            _fail(NoInputs(path))
    _check_model(model)
    fields = _parse_fields(field or [])
    from newsdag import progress
    from flows.pipeline import pipeline

    bar = Progress(
        TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=False,
    )
    try:
        with bar, progress.listening(StageBars(bar)):
            summary = pipeline(
                paths=inputs, data_dir=str(data_dir), model=model,
                chunk_size=chunk_size, force=force, max_chars=max_chars, fields=fields,
            )
    except NewsdagError as exc:
        _fail(exc)
    typer.echo(format_summary(summary, data_dir))


@app.command()
def sql(
    statement: Annotated[str, typer.Argument(metavar="SQL", help="One SQL statement.")],
    data_dir: DataDir = Path(DEFAULT_DATA_DIR),
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Run one SQL statement against the tables and print the result."""
    import duckdb

    from newsdag.catalog import query
    from newsdag.store import Store

    try:
        result = query(Store(data_dir), statement)
    except (NewsdagError, duckdb.Error) as exc:
        _fail(exc)
    rows = result.to_pylist()
    if format is Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, default=str, indent=1))
    elif format is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.column_names)
        writer.writerows([row[c] for c in result.column_names] for row in rows)
    else:
        table = Table(*result.column_names, show_lines=False)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row.values()))
        Console().print(table)


def main() -> None:
    app()



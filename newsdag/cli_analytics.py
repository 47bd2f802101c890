"""Analytics commands of the newsdag CLI: named queries, the HTML report, table exports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape

from newsdag.defaults import DEFAULT_DATA_DIR
from newsdag.formats import ExportFormat, ResultFormat

err = Console(stderr=True, soft_wrap=True)

DataDir = Annotated[Path, typer.Option("--data-dir", help="Folder of the tables, caches and DuckDB file.")]


def _fail(exc: Exception) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
    raise typer.Exit(2)


def _user_errors() -> tuple[type[Exception], ...]:
    """Errors a user can act on: printed as one line, exit status 2."""
    import duckdb

    from newsdag.errors import NewsdagError

    return NewsdagError, duckdb.Error, OSError


def list_queries() -> None:
    """List the named queries with their descriptions and parameters."""
    from newsdag.analytics import available

    try:
        queries = available()
    except _user_errors() as exc:
        _fail(exc)
    for query in queries.values():
        typer.echo(f"{query.name}\n    {query.description}")
        for param in query.params:
            typer.echo(f"    --param {param.describe()}")


def query(
    name: Annotated[Optional[str], typer.Argument(metavar="NAME", help="Named query to run (see --list).")] = None,
    param: Annotated[
        Optional[list[str]], typer.Option("--param", "-p", metavar="NAME=VALUE", help="Query parameter; repeatable.")
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries and their parameters.")] = False,
    data_dir: DataDir = Path(DEFAULT_DATA_DIR),
    format: Annotated[ResultFormat, typer.Option("--format", help="Output format.")] = ResultFormat.table,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of printing.")] = None,
    wide: Annotated[bool, typer.Option("--wide", help="Print whole values, not one terminal line per row.")] = False,
) -> None:
    """Run a named query (top speakers, quotes by speaker, ...) with bound parameters."""
    if list_:
        list_queries()
        return
    if name is None:
        _fail(ValueError("give a query NAME, or --list to see them"))
    from newsdag.analytics import parse_assignments, run_query
    from newsdag.output import write_result
    from newsdag.store import Store

    try:
        result = run_query(Store(data_dir), name, parse_assignments(param or []))
        write_result(result, format, out, wide=wide)
    except _user_errors() as exc:
        _fail(exc)


def report(
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("report.html"),
    data_dir: DataDir = Path(DEFAULT_DATA_DIR),
    top: Annotated[int, typer.Option(min=1, help="Speakers and entities per chart.")] = 20,
    max_quotes: Annotated[int, typer.Option(min=0, help="Most quotations in the quote table.")] = 5000,
    entities: Annotated[bool, typer.Option("--entities", help="Mark the entities in the article views too.")] = False,
) -> None:
    """Write one self-contained HTML report: charts, a searchable table of quotations, and
    each quotation's article with its quotations highlighted."""
    from newsdag.report import write_report
    from newsdag.store import Store

    try:
        path = write_report(Store(data_dir), out, top=top, max_quotes=max_quotes, entities=entities)
    except _user_errors() as exc:
        _fail(exc)
    typer.echo(f"report: {path.resolve()}")


def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="File format.")] = ExportFormat.parquet,
    out: Annotated[Path, typer.Option("--out", help="Folder to write one file per table into.")] = Path("export"),
    data_dir: DataDir = Path(DEFAULT_DATA_DIR),
) -> None:
    """Export every table as CSV, JSON Lines or Parquet, one file per table."""
    from newsdag.export import export_tables
    from newsdag.store import Store

    try:
        written = export_tables(Store(data_dir), format, out)
    except _user_errors() as exc:
        _fail(exc)
    for table, (path, rows) in written.items():
        typer.echo(f"{table:<10} {rows:>9} rows  {path}")


def register(app: typer.Typer) -> None:
    """Add the analytics commands to ``app``."""
    app.command("query")(query)
    app.command("queries")(list_queries)
    app.command("report")(report)
    app.command("export")(export)

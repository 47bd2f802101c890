"""``newsdag show``: one article with its quotations highlighted, in the terminal or as a page."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape

from newsdag.defaults import DEFAULT_DATA_DIR

err = Console(stderr=True, soft_wrap=True)


class ShowFormat(str, Enum):
    text = "text"
    html = "html"


def _fail(exc: Exception) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
    raise typer.Exit(2)


def show(
    article: Annotated[
        Optional[str], typer.Argument(metavar="ARTICLE", help="A doc_id (or its first characters) or a source path.")
    ] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Words the article's title holds, instead of ARTICLE.")] = None,
    entities: Annotated[bool, typer.Option("--entities", help="Mark the entities too, with their labels.")] = False,
    format: Annotated[ShowFormat, typer.Option("--format", help="text (the terminal) or html (a page).")] = ShowFormat.text,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write to FILE instead of printing.")] = None,
    data_dir: Annotated[Path, typer.Option("--data-dir", help="Folder of the tables.")] = Path(DEFAULT_DATA_DIR),
) -> None:
    """Show one article with every quotation in its speaker's colour, the cue and the
    speaker mention marked, and a legend of speakers."""
    import duckdb

    from newsdag.catalog import connect
    from newsdag.errors import NewsdagError
    from newsdag.output import target
    from newsdag.show import find_article, html_page, load_views, view_renderable
    from newsdag.store import Store

    if (article is None) == (title is None):
        _fail(ValueError("give ARTICLE (a doc_id or a source path) or --title WORDS, not both"))
    try:
        with connect(Store(data_dir)) as con:
            doc_id = find_article(con, article, title)
            view = load_views(con, [doc_id])[doc_id]
        if format is ShowFormat.html:
            with target(out) as fh:
                fh.write(html_page(view, entities=entities))
            if out is not None:
                typer.echo(f"page: {out.resolve()}")
            return
        with target(out) as fh:
            console = Console(file=fh, highlight=False)
            console.print(view_renderable(view, entities=entities, color_system=console.color_system))
    except (NewsdagError, duckdb.Error, OSError) as exc:
        _fail(exc)


def register(app: typer.Typer) -> None:
    """Add ``show`` to ``app``."""
    app.command("show")(show)

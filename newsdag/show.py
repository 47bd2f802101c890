"""One article with what newsdag found in it: quotations in their speaker's colour, the
cue and the speaker mention marked, optionally the entities, and a legend of speakers.

Built from table rows alone (no Prefect, no NLP) as a rich ``Text``, so the terminal
(``newsdag show``), a standalone page (rich's HTML export) and the report's article
views all show the same marks. rich escapes the text when it exports HTML, so no
article text or title is ever read as markup.
"""

from __future__ import annotations

import html
import io
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
from rich.console import Console, Group
from rich.style import Style
from rich.table import Table
from rich.text import Text

from newsdag.errors import AmbiguousArticle, NoSuchArticle

Row = dict[str, Any]

# Light backgrounds that black text reads well on, told apart in a terminal and a page.
PALETTE = (
    "#ffd54f", "#81d4fa", "#a5d6a7", "#f48fb1", "#ce93d8",
    "#ffab91", "#80cbc4", "#e6ee9c", "#b0bec5", "#bcaaa4",
)
UNATTRIBUTED = "#e0e0e0"
# The same on a 16-colour terminal, where the light shades above would all become white.
STANDARD_PALETTE = (
    "bright_yellow", "bright_cyan", "bright_green", "bright_magenta", "bright_red",
    "bright_blue", "yellow", "cyan", "green", "magenta",
)
STANDARD_UNATTRIBUTED = "white"
INK = "#000000"
CUE = Style(bold=True, italic=True, color="#b71c1c")
ENTITY = Style(underline=True, color="#0d47a1")
LABEL = Style(color="#5c6bc0", dim=True)


@dataclass(frozen=True)
class Speaker:
    """One legend entry: a resolved speaker, its colour and its quotations by kind."""

    key: str | None
    name: str
    type: str | None
    colour: str
    kinds: Counter = field(default_factory=Counter)

    @property
    def style(self) -> Style:
        return Style(color=INK, bgcolor=self.colour)


@dataclass(frozen=True)
class ArticleView:
    """An article's row with its quotation and entity rows (offsets into its text)."""

    article: Row
    quotes: list[Row]
    entities: list[Row]


def speaker_name(quote: Row) -> str:
    """The name a reader knows the speaker by: the corpus's, else the article's, else none."""
    return quote.get("speaker_name") or quote.get("speaker_canonical") or "unattributed"


def speaker_key(quote: Row) -> str | None:
    """Quotations of one speaker share it: the actor id, else the resolved name; None when unattributed."""
    if quote.get("speaker_id"):
        return f"id:{quote['speaker_id']}"
    name = quote.get("speaker_name") or quote.get("speaker_canonical")
    return f"name:{name}" if name else None


def palette_for(color_system: str | None) -> tuple[tuple[str, ...], str]:
    """Speaker colours and the unattributed one that a console of ``color_system`` tells apart."""
    if color_system in ("standard", "windows"):
        return STANDARD_PALETTE, STANDARD_UNATTRIBUTED
    return PALETTE, UNATTRIBUTED


def speakers(quotes: Iterable[Row], color_system: str | None = "truecolor") -> dict[str | None, Speaker]:
    """The legend: every speaker in order of first quotation, each with its own colour."""
    palette, unattributed = palette_for(color_system)
    legend: dict[str | None, Speaker] = {}
    for quote in quotes:
        key = speaker_key(quote)
        if key not in legend:
            colour = unattributed if key is None else palette[sum(k is not None for k in legend) % len(palette)]
            legend[key] = Speaker(key, speaker_name(quote), quote.get("speaker_type") or quote.get("speaker_kind"), colour)
        legend[key].kinds[quote["kind"]] += 1
    return legend


def _segments(quote: Row) -> list[tuple[int, int]]:
    spans = [(s["start_char"], s["end_char"]) for s in quote.get("segments") or []]
    return spans or [(quote["start_char"], quote["end_char"])]


def marked_text(view: ArticleView, *, entities: bool = False, color_system: str | None = "truecolor") -> Text:
    """The article text with every quotation in its speaker's colour, its speaker mention
    bold and underlined in the same colour, its cue bold italic, and with ``entities``
    each entity underlined and followed by its label."""
    text = Text(view.article["text"])
    legend = speakers(view.quotes, color_system)
    if entities:
        for ent in view.entities:
            text.stylize(ENTITY, ent["start_char"], ent["end_char"])
    for quote in view.quotes:
        style = legend[speaker_key(quote)].style
        for start, end in _segments(quote):
            text.stylize(style, start, end)
        if quote.get("cue_start_char") is not None:
            text.stylize(CUE, quote["cue_start_char"], quote["cue_end_char"])
        if quote.get("speaker_start_char") is not None:
            text.stylize(style + Style(bold=True, underline=True), quote["speaker_start_char"], quote["speaker_end_char"])
    if entities:  # labels last, from the end, so the offsets above stay right
        for ent in sorted(view.entities, key=lambda e: e["end_char"], reverse=True):
            end = ent["end_char"]
            text = Text.assemble(text[:end], Text(f"[{ent['label']}]", style=LABEL), text[end:])
    return text


def legend_table(view: ArticleView, color_system: str | None = "truecolor") -> Table:
    """Who the colours stand for: resolved name, type, and quotations by kind."""
    table = Table.grid(padding=(0, 1))
    for entry in speakers(view.quotes, color_system).values():
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(entry.kinds.items()))
        table.add_row(
            Text("    ", style=entry.style), Text(entry.name, style="bold"),
            Text(f"({entry.type or 'unknown'})", style="dim"), Text(kinds, style="dim"),
        )
    return table


def header(view: ArticleView) -> Text:
    """The title, where the article came from, and what was found in it."""
    a = view.article
    kinds = Counter(q["kind"] for q in view.quotes)
    found = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
    lines = Text()
    lines.append(a.get("title") or a["source_path"], style="bold")
    meta = [a["source_path"], f"doc_id {a['doc_id']}"]
    if a.get("published_at"):
        meta.append(str(a["published_at"])[:10])
    lines.append("\n" + " · ".join(meta), style="dim")
    lines.append(f"\n{len(view.quotes)} quotations ({found}), {len(view.entities)} entity mentions", style="dim")
    return lines


def key_line(entities: bool, color_system: str | None = "truecolor") -> Text:
    """What each mark means."""
    sample = palette_for(color_system)[1]
    parts = [
        Text("quotation", style=Style(color=INK, bgcolor=sample)), Text(" in its speaker's colour · "),
        Text("speaker mention", style=Style(color=INK, bgcolor=sample, bold=True, underline=True)), Text(" · "),
        Text("cue", style=CUE),
    ]
    if entities:
        parts += [Text(" · "), Text("entity", style=ENTITY), Text("[LABEL]", style=LABEL)]
    return Text.assemble(*parts)


def view_renderable(view: ArticleView, *, entities: bool = False, color_system: str | None = "truecolor") -> Group:
    """Header, the marked-up text, then the key and the legend of speakers, in the colours
    a console of ``color_system`` shows apart."""
    return Group(header(view), Text(""), marked_text(view, entities=entities, color_system=color_system), Text(""),
                 key_line(entities, color_system), legend_table(view, color_system))


def html_fragment(view: ArticleView, *, entities: bool = False, width: int = 100) -> str:
    """The view as HTML (rich's export, inline styles, text escaped) to go in a ``<pre>``;
    lines are left unbroken for the page to wrap."""
    console = Console(
        record=True, file=io.StringIO(), width=width, color_system="truecolor", force_terminal=True,
        soft_wrap=True, legacy_windows=False,
    )
    console.print(view_renderable(view, entities=entities))
    return console.export_html(inline_styles=True, code_format="{code}")


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ margin: 0; padding: 24px; background: #ffffff; color: #000000; }}
  pre.article {{ font-family: Menlo, "DejaVu Sans Mono", Consolas, monospace; font-size: 14px;
    line-height: 1.5; white-space: pre-wrap; max-width: 100ch; margin: 0 auto; }}
</style>
</head>
<body>
<pre class="article">{body}</pre>
</body>
</html>
"""


def html_page(view: ArticleView, *, entities: bool = False) -> str:
    """A self-contained page of the view: no script, no external file."""
    title = view.article.get("title") or view.article["source_path"]
    return PAGE.format(title=html.escape(title), body=html_fragment(view, entities=entities))


def _rows(relation: duckdb.DuckDBPyRelation | None) -> list[Row]:
    return [] if relation is None else relation.to_arrow_table().to_pylist()


def find_article(con: duckdb.DuckDBPyConnection, ref: str | None = None, title: str | None = None) -> str:
    """The ``doc_id`` of the one article ``ref`` names (a doc_id, the start of one, or a
    source path) or whose title holds every word of ``title``; NoSuchArticle or
    AmbiguousArticle otherwise. An exact doc_id or source path wins over a prefix."""
    if title is not None:
        words = title.split()
        if not words:
            raise NoSuchArticle("--title ''")
        where = " AND ".join("contains(lower(title), lower(?))" for _ in words)
        return _one(_rows(con.sql(f"SELECT doc_id, title FROM articles WHERE {where} ORDER BY title", params=words)),
                    f"--title {title!r}")
    if not ref:
        raise NoSuchArticle(repr(ref))
    paths = sorted({ref, os.path.normpath(ref), os.path.abspath(ref)})
    for sql, params in (
        ("doc_id = ?", [ref]),
        (f"source_path IN ({', '.join('?' for _ in paths)})", paths),
        ("starts_with(doc_id, ?)", [ref]),
    ):
        found = _rows(con.sql(f"SELECT doc_id, title FROM articles WHERE {sql} ORDER BY doc_id", params=params))
        if found:
            return _one(found, repr(ref))
    raise NoSuchArticle(repr(ref))


def _one(found: Sequence[Row], what: str) -> str:
    if not found:
        raise NoSuchArticle(what)
    if len(found) > 1:
        raise AmbiguousArticle(what, [(r["doc_id"], r["title"]) for r in found])
    return found[0]["doc_id"]


def load_views(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> dict[str, ArticleView]:
    """The views of ``doc_ids`` (those that exist), three queries however many."""
    params = {"ids": list(doc_ids)}
    pick = "WHERE doc_id IN (SELECT unnest($ids))"
    articles = _rows(con.sql(f"SELECT doc_id, source_path, title, text, url, published_at FROM articles {pick}", params=params))
    quotes = _rows(con.sql(f"SELECT * FROM quotes {pick} ORDER BY doc_id, quote_id", params=params))
    entities = _rows(con.sql(f"SELECT * FROM entities {pick} ORDER BY doc_id, entity_id", params=params))
    views = {a["doc_id"]: ArticleView(a, [], []) for a in articles}
    for q in quotes:
        views[q["doc_id"]].quotes.append(q)
    for e in entities:
        views[e["doc_id"]].entities.append(e)
    return views

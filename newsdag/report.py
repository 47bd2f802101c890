"""The HTML report: charts of speakers and entities and a searchable table of quotations.

The page is one file that opens without a network: plotly.js is inlined and the figures
travel as JSON in the page. Each quotation links to a view of its article inside the
page (``newsdag show``'s highlighting, shown by CSS ``:target``, no script needed). All
article text is HTML-escaped, and the figure JSON has its ``<`` escaped so no text from
the data can close a script element.
"""

from __future__ import annotations

import html
import os
import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from newsdag import charts
from newsdag.analytics import run_query
from newsdag.catalog import connect
from newsdag.show import ArticleView, html_fragment, load_views
from newsdag.store import Store

Rows = list[dict[str, Any]]
CONTEXT_CHARS = 120


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, read from the data dir by named queries."""

    overview: dict[str, int]
    speakers: Rows
    entities: Rows
    pairs: Rows
    timeline: Rows
    bucket: str
    quotes: Rows
    sources: Rows
    quoted_genders: Rows
    mentioned_genders: Rows
    repeated: Rows
    articles: dict[str, ArticleView] = dataclasses.field(default_factory=dict)


def pick_bucket(first: date, last: date) -> str:
    """A period length that gives a readable number of points for the dates' span."""
    days = (last - first).days
    return "day" if days <= 62 else "week" if days <= 730 else "month"


def gather(store: Store, *, top: int = 20, max_quotes: int = 5000) -> ReportData:
    """Run the named queries the report is made of."""
    timeline = run_query(store, "quotes_over_time", {"bucket": "day"}).to_pylist()
    bucket = "day"
    if timeline:
        bucket = pick_bucket(min(r["period"] for r in timeline), max(r["period"] for r in timeline))
        if bucket != "day":
            timeline = run_query(store, "quotes_over_time", {"bucket": bucket}).to_pylist()
    quotes = run_query(store, "quote_contexts", {"context": CONTEXT_CHARS, "limit": max_quotes}).to_pylist()
    with connect(store) as con:
        articles = load_views(con, list(dict.fromkeys(q["doc_id"] for q in quotes)))
    return ReportData(
        overview=run_query(store, "overview").to_pylist()[0],
        speakers=run_query(store, "top_speakers", {"limit": top}).to_pylist(),
        entities=run_query(store, "top_entities", {"limit": top}).to_pylist(),
        pairs=run_query(store, "speaker_entities", {"limit": 100_000}).to_pylist(),
        timeline=timeline,
        bucket=bucket,
        quotes=quotes,
        sources=run_query(store, "source_types", {"bucket": "year"}).to_pylist(),
        quoted_genders=run_query(store, "gender_balance", {"of": "quoted", "bucket": "year"}).to_pylist(),
        mentioned_genders=run_query(store, "gender_balance", {"of": "mentioned", "bucket": "year"}).to_pylist(),
        repeated=run_query(store, "repeated_quotes", {"limit": top}).to_pylist(),
        articles=articles,
    )


def _e(value: Any) -> str:
    return "" if value is None else html.escape(str(value))


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else ""


def _section(title: str, about: str, body: str) -> str:
    return f'    <section>\n      <h2>{_e(title)}</h2>\n      <p class="about">{_e(about)}</p>\n      {body}\n    </section>'


def _chart(fig_id: str, figures: dict[str, go.Figure], fig: go.Figure | None, empty: str) -> str:
    """A placeholder plotly fills from ``figures``, or a note when there is nothing to draw."""
    if fig is None:
        return f'<p class="empty">{_e(empty)}</p>'
    figures[fig_id] = fig
    return f'<div id="{fig_id}" class="chart"></div>'


def _charts(data: ReportData, figures: dict[str, go.Figure]) -> str:
    return "\n".join(
        [
            _section("Top speakers", "Quotations per named speaker (one person or organisation across the corpus), by kind.", _chart(
                "chart-speakers", figures, charts.top_speakers(data.speakers) if data.speakers else None,
                "No quotation has a named speaker.")),
            _section("Kinds of source", "Quotations by who gives them: named persons and organisations, unnamed sources, groups, documents.", _chart(
                "chart-sources", figures, charts.source_types(data.sources) if data.sources else None,
                "No quotations.")),
            _section("Gender balance", "Women and men among quoted persons (per quotation) and mentioned persons (per article), as the text marks gender.", _chart(
                "chart-genders", figures,
                charts.gender_balance(data.quoted_genders, data.mentioned_genders)
                if data.quoted_genders or data.mentioned_genders else None,
                "No persons.")),
            _section("Most mentioned entities", "Mentions per entity across all articles.", _chart(
                "chart-entities", figures, charts.top_entities(data.entities) if data.entities else None,
                "No entities were found.")),
            _section("Who talks about whom", "Entities mentioned inside each speaker's quotations.", _chart(
                "chart-speaker-entities", figures, charts.speaker_entities(data.pairs) if data.pairs else None,
                "No quotation of a resolved speaker mentions an entity.")),
            _section("Repeated quotations", "The quotations carried by the most articles (the same words, or trimmed), and by how many stories: copies of one article count once.", _chart(
                "chart-repeated", figures, charts.repeated_quotes(data.repeated) if data.repeated else None,
                "No quotation appears in more than one article.")),
            _section("Quotations over time", f"Quotations per {data.bucket} of publication, most quoted speakers.",
                     _chart("chart-timeline", figures,
                            charts.quotes_over_time(data.timeline) if data.timeline else None,
                            "No article with a quotation has a publication date.")),
        ]
    )


def _quote_row(q: dict[str, Any]) -> str:
    before = ("…" if len(q["before"]) >= CONTEXT_CHARS else "") + q["before"]
    after = q["after"] + ("…" if len(q["after"]) >= CONTEXT_CHARS else "")
    written = q["speaker_as_written"]
    speaker = _e(q["speaker"]) if q["speaker"] else '<span class="empty">unattributed</span>'
    if written and written != q["speaker"]:
        speaker += f"<small>as “{_e(written)}”</small>"
    link = f'href="#{_e(article_anchor(q["doc_id"]))}"'
    return (
        f'        <tr><td class="speaker">{speaker}</td><td class="cue">{_e(q["cue"])}</td><td>{_e(q["kind"])}</td>'
        f'<td><span class="context">{_e(before)}</span><a class="quote" {link}><mark>{_e(q["quote"])}</mark></a>'
        f'<span class="context">{_e(after)}</span></td>'
        f'<td class="article"><a {link}>{_e(q["title"])}</a><small>{_day(q["published_at"])}</small></td></tr>'
    )


def article_anchor(doc_id: str) -> str:
    """The id of an article's view in the page."""
    return f"article-{doc_id}"


def _article_view(view: ArticleView, entities: bool) -> str:
    """One article as ``newsdag show`` marks it, hidden until a link targets it."""
    anchor = _e(article_anchor(view.article["doc_id"]))
    return (
        f'  <section class="article-view" id="{anchor}">\n'
        f'    <p class="about"><a href="#quotations">↑ back to the quotations</a></p>\n'
        f'    <pre class="article">{html_fragment(view, entities=entities)}</pre>\n  </section>'
    )


def _totals(overview: dict[str, int]) -> str:
    labels = {
        "articles": "articles", "quotes": "quotations", "attributed_quotes": "with a resolved speaker",
        "speakers": "speakers", "entities": "distinct entities", "entity_mentions": "entity mentions",
    }
    return "".join(f'<div class="total"><b>{overview[k]:,}</b><span>{v}</span></div>' for k, v in labels.items())


def _figures_json(figures: dict[str, go.Figure]) -> str:
    """The figures as one JSON object; ``<``, ``>`` and ``&`` escaped so it is inert inside <script>."""
    body = ",".join(f'"{fig_id}":{fig.to_json()}' for fig_id, fig in figures.items())
    return "{" + body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "}"


def render(data: ReportData, *, title: str = "newsdag report", subtitle: str = "", entities: bool = False) -> str:
    """The report as one self-contained HTML page; ``entities`` marks them in the article views."""
    figures: dict[str, go.Figure] = {}
    chart_html = _charts(data, figures)
    shown, total = len(data.quotes), data.overview["quotes"]
    note = f"All {total:,} quotations." if shown == total else f"The first {shown:,} of {total:,} quotations."
    template = Template((resources.files("newsdag") / "templates" / "report.html").read_text("utf-8"))
    return template.substitute(
        title=_e(title),
        subtitle=_e(subtitle),
        totals=_totals(data.overview),
        charts=chart_html,
        quote_note=_e(note),
        quote_count=shown,
        quote_rows="\n".join(_quote_row(q) for q in data.quotes),
        article_views="\n".join(_article_view(view, entities) for view in data.articles.values()),
        plotly_js=get_plotlyjs(),
        figures=_figures_json(figures),
    )


def write_report(store: Store, out: Path, *, top: int = 20, max_quotes: int = 5000, entities: bool = False) -> Path:
    """Gather, render and write the report to ``out`` (via a temporary file, then renamed)."""
    data = gather(store, top=top, max_quotes=max_quotes)
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    page = render(data, subtitle=f"{store.root} · generated {made}", entities=entities)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    return out

"""The report's plotly figures, built from named-query rows.

Plotly reads a few HTML entities and tags in chart text, so every name from the data
is HTML-escaped here: it is shown as written and never as markup.
"""

from __future__ import annotations

import html
from collections import defaultdict
from typing import Any

import plotly.graph_objects as go

Rows = list[dict[str, Any]]

_KINDS = ("direct", "indirect", "mixed")
_FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=12)


def _text(value: Any) -> str:
    return html.escape(str(value), quote=False)


def _layout(fig: go.Figure, rows: int, **extra: Any) -> go.Figure:
    """A common look; the height grows with the number of bars or cells."""
    base = dict(
        height=max(260, 90 + 24 * rows), margin=dict(l=10, r=10, t=34, b=40), font=_FONT,
        plot_bgcolor="white", legend=dict(orientation="h", traceorder="normal", y=-0.12 if rows > 8 else -0.3),
    )
    fig.update_layout(**{**base, **extra})
    return fig


def top_speakers(rows: Rows) -> go.Figure:
    """Horizontal bars of quotations per speaker, split by kind; the busiest speaker on top."""
    names = [_text(r["speaker"]) for r in rows]
    fig = go.Figure(
        [go.Bar(name=kind, y=names, x=[r[kind] for r in rows], orientation="h") for kind in _KINDS]
    )
    return _layout(fig, len(rows), barmode="stack", yaxis=dict(autorange="reversed", automargin=True),
                   xaxis=dict(title="quotations", gridcolor="#eee"))


def source_types(rows: Rows) -> go.Figure:
    """Horizontal bars of quotations per kind of source, summed over publishers and periods."""
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r["source_type"] or "unknown"] += r["quotes"]
    kinds = sorted(totals, key=lambda k: (-totals[k], k))
    fig = go.Figure(go.Bar(y=[_text(k) for k in kinds], x=[totals[k] for k in kinds], orientation="h"))
    return _layout(fig, len(kinds), yaxis=dict(autorange="reversed", automargin=True),
                   xaxis=dict(title="quotations", gridcolor="#eee"))


def gender_balance(quoted: Rows, mentioned: Rows) -> go.Figure:
    """Grouped bars of women, men and unknown among quoted and mentioned persons."""
    groups = (("quoted persons", quoted), ("mentioned persons", mentioned))
    fig = go.Figure(
        [
            go.Bar(name=column, x=[label for label, _ in groups], y=[sum(r[column] for r in rows) for _, rows in groups])
            for column in ("women", "men", "unknown")
        ]
    )
    return _layout(fig, 8, barmode="group", yaxis=dict(title="count", gridcolor="#eee"))


def repeated_quotes(rows: Rows, words: int = 12) -> go.Figure:
    """Horizontal bars of articles and stories per repeated quotation, labelled by its
    speaker and first words; the most repeated on top."""
    def label(r: dict[str, Any]) -> str:
        text = (r["quote"] or "").split()
        short = " ".join(text[:words]) + (" …" if len(text) > words else "")
        return _text(f"{r['speaker'] or 'unattributed'}: “{short}”")

    names = [label(r) for r in rows]
    fig = go.Figure(
        [go.Bar(name=column, y=names, x=[r[column] for r in rows], orientation="h") for column in ("articles", "stories")]
    )
    return _layout(fig, len(rows), barmode="group", yaxis=dict(autorange="reversed", automargin=True),
                   xaxis=dict(title="articles / stories carrying it", gridcolor="#eee"))


def top_entities(rows: Rows) -> go.Figure:
    """Horizontal bars of mentions per entity, one colour per label."""
    names = [f"{_text(r['entity'])} ({_text(r['label'])})" for r in rows]
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_label[r["label"]].append(i)
    fig = go.Figure(
        [
            go.Bar(name=_text(label), y=[names[i] for i in idx], x=[rows[i]["mentions"] for i in idx], orientation="h")
            for label, idx in by_label.items()
        ]
    )
    return _layout(fig, len(rows), barmode="overlay",
                   yaxis=dict(categoryorder="array", categoryarray=names, autorange="reversed", automargin=True),
                   xaxis=dict(title="mentions", gridcolor="#eee"))


def speaker_entity_matrix(rows: Rows, speakers: int, entities: int) -> tuple[list[str], list[str], list[list[int]]]:
    """Up to ``speakers`` × ``entities`` names and the mention counts between them.

    Pairs are taken strongest first while there is room, so every row and column shown
    has at least one mention; rows and columns are then ordered by their totals.
    """
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        cells[r["speaker"], r["entity"]] += r["mentions"]
    ys: list[str] = []
    xs: list[str] = []
    for (y, x), _ in sorted(cells.items(), key=lambda kv: (-kv[1], kv[0])):
        if (y in ys or len(ys) < speakers) and (x in xs or len(xs) < entities):
            ys += [] if y in ys else [y]
            xs += [] if x in xs else [x]

    def by_total(names: list[str], total) -> list[str]:
        return sorted(names, key=lambda n: (-total(n), n))

    ys = by_total(ys, lambda y: sum(cells.get((y, x), 0) for x in xs))
    xs = by_total(xs, lambda x: sum(cells.get((y, x), 0) for y in ys))
    return ys, xs, [[cells.get((y, x), 0) for x in xs] for y in ys]


def speaker_entities(rows: Rows, speakers: int = 15, entities: int = 20) -> go.Figure:
    """Heat map of who talks about whom: entity mentions inside each speaker's quotations."""
    ys, xs, z = speaker_entity_matrix(rows, speakers, entities)
    fig = go.Figure(
        go.Heatmap(
            z=z, x=[_text(x) for x in xs], y=[_text(y) for y in ys], colorscale="Blues",
            hovertemplate="%{y} on %{x}: %{z} mentions<extra></extra>", xgap=1, ygap=1,
        )
    )
    return _layout(fig, len(ys) + 6, yaxis=dict(autorange="reversed", automargin=True),
                   xaxis=dict(tickangle=-40, automargin=True), plot_bgcolor="#f4f4f4")


def quotes_over_time(rows: Rows, speakers: int = 8) -> go.Figure:
    """Lines of quotations per period for the most quoted speakers."""
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r["speaker"]] += r["quotes"]
    keep = sorted(totals, key=lambda k: (-totals[k], k))[:speakers]
    fig = go.Figure(
        [
            go.Scatter(
                name=_text(name), mode="lines+markers",
                x=[r["period"] for r in rows if r["speaker"] == name],
                y=[r["quotes"] for r in rows if r["speaker"] == name],
            )
            for name in keep
        ]
    )
    return _layout(fig, 12, yaxis=dict(title="quotations", gridcolor="#eee", rangemode="tozero"),
                   xaxis=dict(gridcolor="#eee"))

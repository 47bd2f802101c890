"""The HTML report: self-contained, escaped, with charts and quote rows from known data."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from newsdag.cli import app
from newsdag.report import gather, pick_bucket, render, write_report
from newsdag.charts import speaker_entity_matrix
from tests.analytics_lake import HOSTILE_TITLE, build_lake

runner = CliRunner()


class QuoteRows(HTMLParser):
    """The text of each cell of the quote table's body rows."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.rows[-1].append("")

    def handle_endtag(self, tag) -> None:
        if tag == "tbody":
            self.in_body = False

    def handle_data(self, data) -> None:
        if self.in_body and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return build_lake(tmp_path_factory.mktemp("lake"))


@pytest.fixture(scope="module")
def page(lake, tmp_path_factory) -> str:
    out = write_report(lake, tmp_path_factory.mktemp("report") / "report.html")
    return out.read_text("utf-8")


def figures(page: str) -> dict:
    blob = re.search(r'<script type="application/json" id="figures">(.*?)</script>', page, re.S)
    return json.loads(blob.group(1))


def quote_rows(page: str) -> list[list[str]]:
    parser = QuoteRows()
    parser.feed(page)
    return parser.rows


def test_page_is_self_contained(page) -> None:
    assert "plotly.js v" in page
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)


def test_source_and_gender_panels_count_the_lake(page) -> None:
    sources = figures(page)["chart-sources"]["data"][0]
    assert dict(zip(sources["y"], sources["x"])) == {"person": 6, "unnamed": 1}
    genders = {bar["name"]: bar["y"] for bar in figures(page)["chart-genders"]["data"]}
    assert genders == {"women": [4, 3], "men": [2, 2], "unknown": [0, 0]}  # quoted, mentioned


def test_every_chart_has_a_placeholder_and_a_figure(page) -> None:
    ids = ["chart-speakers", "chart-sources", "chart-genders", "chart-entities", "chart-speaker-entities", "chart-timeline"]
    assert list(figures(page)) == ids
    for fig_id in ids:
        assert f'<div id="{fig_id}" class="chart"></div>' in page


def test_speaker_and_entity_charts_hold_the_counts(page) -> None:
    figs = figures(page)
    bars = {t["name"]: (t["y"], t["x"]) for t in figs["chart-speakers"]["data"]}
    names = ["Alice Smith", "Bob Jones", "Carol O'Neil"]
    assert bars == {"direct": (names, [3, 0, 1]), "indirect": (names, [0, 2, 0]), "mixed": (names, [0, 0, 0])}
    entity_bars = {t["name"]: dict(zip(t["y"], t["x"])) for t in figs["chart-entities"]["data"]}
    assert entity_bars["ORG"] == {"Acme (ORG)": 6}
    assert entity_bars["PERSON"] == {"Bob Jones (PERSON)": 5, "Alice Smith (PERSON)": 3, "Carol O'Neil (PERSON)": 1}


def test_heat_map_ranks_speakers_and_entities_by_mentions(lake, page) -> None:
    pairs = gather(lake).pairs
    assert speaker_entity_matrix(pairs, 15, 20) == (
        ["Alice Smith", "Bob Jones", "Carol O'Neil"],
        ["Acme", "Bob Jones", "Paris"],
        [[3, 1, 1], [2, 0, 1], [0, 1, 0]],
    )
    heat = figures(page)["chart-speaker-entities"]["data"][0]
    assert heat["type"] == "heatmap" and heat["z"] == [[3, 1, 1], [2, 0, 1], [0, 1, 0]]
    assert speaker_entity_matrix(pairs, 1, 2)[2] == [[3, 1]]


def test_heat_map_shows_no_empty_row_or_column() -> None:
    pairs = [
        {"speaker": "A", "entity": "X", "mentions": 5},
        {"speaker": "A", "entity": "Y", "mentions": 4},
        {"speaker": "B", "entity": "Z", "mentions": 3},
        {"speaker": "C", "entity": "X", "mentions": 2},
    ]
    # B's only entity does not fit in two columns, so C (who speaks of X) takes the second row.
    assert speaker_entity_matrix(pairs, 2, 2) == (["A", "C"], ["X", "Y"], [[5, 4], [2, 0]])


def test_timeline_uses_days_for_a_short_span(page) -> None:
    lines = {t["name"]: dict(zip(t["x"], t["y"])) for t in figures(page)["chart-timeline"]["data"]}
    assert lines == {
        "Alice Smith": {"2024-01-15": 2, "2024-03-01": 1},
        "Bob Jones": {"2024-01-15": 1, "2024-02-03": 1},
        "Carol O'Neil": {"2024-02-03": 1},
    }
    assert "Quotations per day of publication" in page


@pytest.mark.parametrize(
    ("first", "last", "bucket"),
    [(date(2024, 1, 1), date(2024, 3, 1), "day"), (date(2024, 1, 1), date(2025, 6, 1), "week"),
     (date(2020, 1, 1), date(2024, 1, 1), "month")],
)
def test_pick_bucket(first, last, bucket) -> None:
    assert pick_bucket(first, last) == bucket


def test_without_dates_the_timeline_says_so(lake) -> None:
    data = dataclasses.replace(gather(lake), timeline=[])
    html = render(data)
    assert "chart-timeline" not in figures(html)
    assert "No article with a quotation has a publication date." in html


def test_quote_table_has_speaker_cue_and_context(page) -> None:
    table = quote_rows(page)
    assert len(table) == 7
    carol = next(r for r in table if r[0] == "Carol O'Neil")
    assert carol[1:3] == ["said", "direct"]
    assert 'Acme agreed.\n\n"Mr. Jones is right,"' in carol[3] and "Talks resume" in carol[4]
    unattributed = next(r for r in table if r[4].startswith("Unattributed"))
    assert unattributed[0] == "unattributed" and "We will see," in unattributed[3]
    assert "All 7 quotations." in page


def test_article_text_is_escaped(page) -> None:
    assert HOSTILE_TITLE not in page and "<b>bold</b>" not in page.split("<script>")[0]
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; more" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; Acme." in page
    hostile = next(r for r in quote_rows(page) if HOSTILE_TITLE in r[4])
    assert "<b>bold</b> & Acme." in hostile[3]


def test_figure_json_cannot_close_its_script(lake) -> None:
    data = gather(lake)
    data = dataclasses.replace(data, speakers=[{**data.speakers[0], "speaker": "</script><script>alert(1)//"}])
    html = render(data)
    blob = html.split('id="figures">', 1)[1].split("</script>", 1)[0]
    assert "<" not in blob and "\\u003c" in blob
    figs = figures(html)
    assert figs["chart-speakers"]["data"][0]["y"] == ["&lt;/script&gt;&lt;script&gt;alert(1)//"]
    assert figs["chart-speaker-entities"]["data"][0]["hovertemplate"].endswith("<extra></extra>")


def test_quote_table_can_be_capped(lake) -> None:
    html = render(gather(lake, max_quotes=2))
    assert len(quote_rows(html)) == 2 and "The first 2 of 7 quotations." in html


def test_cli_report_writes_the_file(lake, tmp_path) -> None:
    out = tmp_path / "sub" / "r.html"
    result = runner.invoke(app, ["report", "--out", str(out), "--data-dir", str(lake.root), "--top", "2"])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output.replace("\n", "")
    speakers = figures(out.read_text("utf-8"))["chart-speakers"]["data"][0]["y"]
    assert speakers == ["Alice Smith", "Bob Jones"]


def test_cli_report_without_data_exits_2(tmp_path) -> None:
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "r.html"), "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and "newsdag run" in result.output
    assert not (tmp_path / "r.html").exists()


class Links(HTMLParser):
    """Every link's target, and the ids and text inside each article view."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.views: dict[str, str] = {}
        self.current: str | None = None
        self.depth = 0

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag == "section" and "article-view" in (attrs.get("class") or ""):
            self.current, self.depth = attrs["id"], 0
            self.views[self.current] = ""
        elif tag == "section" and self.current:
            self.depth += 1

    def handle_endtag(self, tag) -> None:
        if tag == "section" and self.current:
            if self.depth == 0:
                self.current = None
            else:
                self.depth -= 1

    def handle_data(self, data) -> None:
        if self.current:
            self.views[self.current] += data


def test_every_quotation_links_to_its_article_view_in_the_page(page) -> None:
    links = Links()
    links.feed(page)
    assert all(href.startswith("#") for href in links.hrefs)  # nothing outside the page
    rows = quote_rows(page)
    quote_links = [h for h in links.hrefs if h.startswith("#article-")]
    assert len(quote_links) == 2 * len(rows) == 2 * 7  # the quotation and the title
    assert {h[1:] for h in quote_links} == set(links.views) == {"article-d1", "article-d2", "article-d4", "article-d5"}
    assert "and Acme knows it." in links.views["article-d1"]
    assert "Alice Smith" in links.views["article-d1"] and "(person)" in links.views["article-d1"]  # the legend


def test_article_views_are_highlighted_and_escaped(page) -> None:
    view = page.split('id="article-d5"', 1)[1].split("</section>", 1)[0]
    assert "background-color: #ffd54f" in view  # Alice Smith's quotation
    assert "font-style: italic" in view  # the cue
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; Acme." in view and "<b>" not in view
    assert HOSTILE_TITLE not in page and html_escaped(HOSTILE_TITLE) in view
    assert "[ORG]" not in view


def html_escaped(text: str) -> str:
    import html

    return html.escape(text)


def test_article_views_can_mark_entities(lake, tmp_path) -> None:
    page = write_report(lake, tmp_path / "r.html", entities=True).read_text("utf-8")
    view = page.split('id="article-d1"', 1)[1].split("</section>", 1)[0]
    assert "[ORG]" in view and "[PERSON]" in view


def test_repeated_quotations_panel(lake) -> None:
    assert "No quotation appears in more than one article." in render(gather(lake))
    once = gather(lake, top=3)
    repeated = [{**r, "articles": 3, "stories": 2} for r in once.repeated] or [
        {"quote": "we will win " * 10, "speaker": "<b>Ann</b>", "articles": 3, "stories": 2}]
    page = render(dataclasses.replace(once, repeated=repeated))
    assert 'id="chart-repeated"' in page and "<b>Ann</b>" not in page

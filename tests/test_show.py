"""``newsdag show``: an article with its quotations in their speakers' colours."""

from __future__ import annotations

import re

import pytest
from rich.text import Text
from typer.testing import CliRunner

from newsdag.catalog import connect
from newsdag.cli import app
from newsdag.errors import AmbiguousArticle, NoSuchArticle
from newsdag.show import find_article, html_page, load_views, marked_text, speakers
from newsdag.store import Store
from tests.analytics_lake import HOSTILE_TITLE, build_lake
from tests.conftest import SEED

runner = CliRunner()
SEED_ID = "80acf1540fb41a25"


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return build_lake(tmp_path_factory.mktemp("lake"))


@pytest.fixture(scope="module")
def seed_view(seed_data):
    with connect(Store(seed_data)) as con:
        return load_views(con, [SEED_ID])[SEED_ID]


def test_an_article_is_found_by_id_prefix_path_or_title(seed_data) -> None:
    with connect(Store(seed_data)) as con:
        assert find_article(con, SEED_ID) == SEED_ID
        assert find_article(con, SEED_ID[:5]) == SEED_ID
        assert find_article(con, str(SEED)) == SEED_ID
        assert find_article(con, title="blinken PUTIN") == SEED_ID
        with pytest.raises(NoSuchArticle):
            find_article(con, "ffff")
        with pytest.raises(NoSuchArticle):
            find_article(con, "")
        with pytest.raises(NoSuchArticle):
            find_article(con, title="Blinken Obama")


def test_several_matches_are_an_error_naming_them(lake) -> None:
    with connect(lake) as con:
        with pytest.raises(AmbiguousArticle, match="5 articles match 'd'"):
            find_article(con, "d")
        assert find_article(con, "d1") == "d1"  # an exact doc_id wins over a prefix


def _backgrounds(text: Text) -> list[str | None]:
    colours: list[str | None] = [None] * len(text.plain)
    for span in text.spans:
        style = span.style
        if not isinstance(style, str) and style.bgcolor is not None:
            colours[span.start:span.end] = [style.bgcolor.triplet.hex] * (span.end - span.start)
    return colours


def test_each_quotation_is_in_its_speakers_colour(seed_view) -> None:
    text = marked_text(seed_view)
    colours = _backgrounds(text)
    legend = speakers(seed_view.quotes)
    assert len({entry.colour for entry in legend.values()}) == len(legend)
    for q in seed_view.quotes:
        entry = next(e for e in legend.values() if e.name == (q["speaker_name"] or q["speaker_canonical"]))
        for s in q["segments"]:
            assert set(colours[s["start_char"]:s["end_char"]]) == {entry.colour}, q["text"]
    blinken = next(e for e in legend.values() if e.name == "Antony J. Blinken")
    assert blinken.type == "person" and blinken.kinds["direct"] == 5


def test_cue_and_speaker_mention_are_marked(seed_view) -> None:
    text = marked_text(seed_view)
    q = seed_view.quotes[1]  # According to Secretary Blinken, ... “sets out ...”
    styles_at = lambda i: [s.style for s in text.spans if s.start <= i < s.end]  # noqa: E731
    assert any(st.bold and st.italic for st in styles_at(q["cue_start_char"]))
    assert any(st.bold and st.underline and st.bgcolor for st in styles_at(q["speaker_start_char"]))


def test_unattributed_quotations_say_so() -> None:
    legend = speakers([{"kind": "direct", "speaker_name": None, "speaker_canonical": None, "speaker_type": "unknown"}])
    assert [e.name for e in legend.values()] == ["unattributed"]


def test_show_in_a_100_column_terminal(seed_data, seed_view) -> None:
    env = {"COLUMNS": "100", "FORCE_COLOR": "1", "COLORTERM": "truecolor", "TERM": "xterm-256color"}
    result = runner.invoke(app, ["show", SEED_ID[:6], "--data-dir", str(seed_data)], env=env)
    assert result.exit_code == 0, result.output
    shown = Text.from_ansi(result.stdout)
    assert all(len(line) <= 100 for line in shown.plain.split("\n"))
    colours = _backgrounds(shown)
    # The text without line breaks and spaces, with each character's background.
    kept = [(ch, c) for ch, c in zip(shown.plain, colours) if not ch.isspace()]
    squeezed, backgrounds = "".join(ch for ch, _ in kept), [c for _, c in kept]
    legend = {e.name: e.colour for e in speakers(seed_view.quotes).values()}
    for q in (q for q in seed_view.quotes if q["kind"] == "direct"):
        name = q["speaker_name"] or q["speaker_canonical"]
        for segment in q["segments"]:
            words = re.sub(r"\s", "", seed_view.article["text"][segment["start_char"]:segment["end_char"]])
            at = squeezed.index(words, squeezed.index("entitymentions"))  # in the text, not the header
            assert set(backgrounds[at:at + len(words)]) == {legend[name]}, q["text"]
        # ... and the legend gives that colour to that name.
        line = next(n for n, line in enumerate(shown.plain.split("\n")) if re.match(rf"\s+{re.escape(name)}\s+\(", line))
        start = sum(len(x) + 1 for x in shown.plain.split("\n")[:line])
        assert colours[start] == legend[name]


def test_show_entities_marks_their_labels(seed_data) -> None:
    result = runner.invoke(app, ["show", SEED_ID, "--entities", "--data-dir", str(seed_data)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "Stoltenberg[PERSON]" in result.stdout and "NATO[ORG]" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [(["zzz"], "no article matches 'zzz'"), (["d"], "5 articles match 'd'"), ([], "give ARTICLE"),
     (["--title", "nothing like it"], "no article matches --title")],
)
def test_show_errors_are_one_line_exit_2(lake, args, message) -> None:
    result = runner.invoke(app, ["show", *args, "--data-dir", str(lake.root)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_html_page_is_self_contained_and_escaped(lake, tmp_path) -> None:
    out = tmp_path / "d5.html"
    result = runner.invoke(app, ["show", "d5", "--format", "html", "--out", str(out), "--data-dir", str(lake.root)])
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert "<script" not in page and "<b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert f"<title>{HOSTILE_TITLE.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace(chr(34), '&quot;')}</title>" in page
    assert "background-color: #ffd54f" in page  # Alice Smith's quotation


def test_html_page_of_the_seed_highlights_every_quotation(seed_view) -> None:
    page = html_page(seed_view)
    for entry in speakers(seed_view.quotes).values():
        assert f"background-color: {entry.colour}" in page


def test_a_16_colour_terminal_still_tells_the_speakers_apart(seed_data, seed_view) -> None:
    env = {"COLUMNS": "100", "FORCE_COLOR": "1", "COLORTERM": "", "TERM": "xterm"}
    result = runner.invoke(app, ["show", SEED_ID, "--data-dir", str(seed_data)], env=env)
    assert result.exit_code == 0, result.output
    shown = Text.from_ansi(result.stdout)
    lines = shown.plain.split("\n")
    swatches = []
    for entry in speakers(seed_view.quotes).values():
        line = next(n for n, text in enumerate(lines) if re.match(rf"\s+{re.escape(entry.name)}\s+\(", text))
        start = sum(len(x) + 1 for x in lines[:line])
        swatches.append(next(s.style.bgcolor.name for s in shown.spans if s.start <= start < s.end and s.style.bgcolor))
    assert len(set(swatches)) == len(swatches) == 8

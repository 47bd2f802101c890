"""Line breaks as sentence boundaries (``newsdag_line_breaks``)."""

from __future__ import annotations

import pytest

from newsdag.lines import mark_line_breaks
from newsdag.stages.tokenise import STAGE as TOKENISE


def _sentences(nlp, text: str) -> list[str]:
    return [sent.text.strip() for sent in nlp(text).sents]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a headline without final punctuation is a sentence of its own
        ("Mayor Wins Vote\nThe mayor said the bridge would reopen in May.", ["Mayor Wins Vote", "The mayor said the bridge would reopen in May."]),
        # a dateline, then a quotation opening the next line: the mark stays with its words
        (
            "BERLIN (Reuters)\n\n“We will not give in,” the chancellor said on Monday.",
            ["BERLIN (Reuters)", "“We will not give in,” the chancellor said on Monday."],
        ),
        ('Updated 9:15 a.m.\n"The road is closed," the police said.', ["Updated 9:15 a.m.", '"The road is closed," the police said.']),
    ],
)
def test_lines_start_sentences(nlp, text, expected):
    assert _sentences(nlp, text) == expected


def test_marks_only_line_starts(nlp):
    doc = mark_line_breaks(nlp.make_doc("First line\n\n“Second line here,” she said."))
    assert [t.text for t in doc if t.is_sent_start] == ["First", "“"]
    assert [t.text for t in doc if t.is_sent_start is False] == ["Second"]


def test_runs_before_the_parser_in_the_tokenise_stage(nlp):
    assert nlp.pipe_names.index("newsdag_line_breaks") == nlp.pipe_names.index("parser") - 1
    assert [name for name in nlp.pipe_names if name in TOKENISE.pipes] == list(TOKENISE.pipes)

"""Line breaks as sentence boundaries (``newsdag_line_breaks``), set before the parser.

News text puts headlines, datelines, bylines and timestamps on lines of their own,
without final punctuation. The parser glues such a line to the next sentence, which
gives that sentence a wrong subject (a dateline's place "said ...") and lets clauses
run across lines. A line break always ends a sentence in this text, and the parser
keeps boundaries set before it runs, so this component marks them.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from newsdag.quotes.tokens import ends_line

# Marks that open a quotation at the start of a line; the word after one continues
# the sentence the mark opens (else the parser may cut the mark off on its own).
_OPENING_MARKS = frozenset({"“", '"', "‘", "``", "''", "„", "«", "'"})


def mark_line_breaks(doc: Doc) -> Doc:
    """Start a sentence at the first word of every line; keep an opening quotation
    mark at a line start together with the word after it. Modifies ``doc`` in place
    (sentence starts only) and returns it."""
    after_break = False
    for token in doc:
        if token.is_space:
            after_break = after_break or ends_line(token)
            continue
        if after_break:
            token.is_sent_start = True
            if token.text in _OPENING_MARKS and token.i + 1 < len(doc) and not token.whitespace_:
                doc[token.i + 1].is_sent_start = False
        after_break = ends_line(token)
    return doc


@Language.component("newsdag_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Pipeline component: :func:`mark_line_breaks`."""
    return mark_line_breaks(doc)

"""Token predicates and span conventions shared by the quote modules.

Every token range is half-open, ``(start, end)`` with ``doc[start:end]`` its tokens,
like spaCy's own spans. ``quoted[i]`` is the number of the quotation holding token
``i`` (its marks included), or -1; ``paragraph[i]`` the number of its paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Token

from newsdag.names import SPEAKER_LABELS
from newsdag.quotes.lexicon import PERSON_NOUNS

TokenRange = tuple[int, int]

TIME_LABELS = frozenset({"DATE", "TIME"})
SENTENCE_ENDS = frozenset({".", "!", "?"})
VERB_POS = frozenset({"VERB", "AUX"})
NOMINAL_POS = frozenset({"PROPN", "NOUN", "PRON"})
_INANIMATE_PRONOUNS = frozenset({"it", "this", "that", "which", "everything", "something", "nothing", "anything"})


def ends_line(token: Token) -> bool:
    """Does a line break follow ``token`` (or is it one)?"""
    return "\n" in token.text or "\n" in token.whitespace_


def across_lines(a: Token, b: Token) -> bool:
    """Is there a line break between ``a`` and ``b`` (a dateline or timestamp the
    parser glued to the next sentence)?"""
    first, last = sorted((a.i, b.i))
    return any(ends_line(t) for t in a.doc[first:last])


def paragraphs(doc: Doc) -> list[int]:
    """Per token: the number of its paragraph (non-empty line)."""
    numbers, paragraph, blank = [], 0, True
    for token in doc:
        if ends_line(token):
            numbers.append(paragraph)
            if not blank and ("\n" in token.whitespace_ or token.is_space):
                paragraph += 1
                blank = True
            continue
        blank = False
        numbers.append(paragraph)
    return numbers


def in_compound_word(token: Token) -> bool:
    """Part of a hyphenated word ("so-called")?"""
    doc = token.doc
    return token.i > 0 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_


def is_animate(token: Token) -> bool:
    """Can ``token`` head a speaker: a name, an entity, a person noun or a personal pronoun?"""
    if token.ent_type_ in SPEAKER_LABELS or token.pos_ == "PROPN":
        return True
    if token.pos_ == "PRON":
        return token.lower_ not in _INANIMATE_PRONOUNS
    return token.lemma_.lower() in PERSON_NOUNS or token.lower_ in PERSON_NOUNS


def is_name(token: Token) -> bool:
    """A word of a speaker's name: a proper noun, a speaker entity or a capitalised word
    outside other entities (not "2016" or "Monday" before a colon)."""
    return token.pos_ == "PROPN" or token.ent_type_ in SPEAKER_LABELS or (token.is_title and not token.ent_type_)


def word_before(doc: Doc, i: int) -> Token | None:
    """The last token before index ``i`` that is not white space, or None."""
    return next((t for t in reversed(doc[:i]) if not t.is_space), None)


def word_after(doc: Doc, i: int) -> Token | None:
    """The first token from index ``i`` on that is not white space, or None."""
    return next((t for t in doc[i:] if not t.is_space), None)


def token_ranges(tokens: Iterable[Token]) -> tuple[TokenRange, ...]:
    """Contiguous ranges of ``tokens``, punctuation and spaces trimmed at each end."""
    tokens = sorted(tokens, key=lambda t: t.i)
    if not tokens:
        return ()
    doc = tokens[0].doc
    runs: list[list[int]] = []
    for token in tokens:
        if runs and token.i == runs[-1][1]:
            runs[-1][1] = token.i + 1
        elif not runs or token.i > runs[-1][1]:
            runs.append([token.i, token.i + 1])
    ranges = []
    for start, end in runs:
        while start < end and (doc[start].is_punct or doc[start].is_space):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if start < end:
            ranges.append((start, end))
    return tuple(ranges)


def holds_quoted(ranges: Iterable[TokenRange], quoted: Sequence[int]) -> set[int]:
    """The quotations some token of ``ranges`` belongs to."""
    return {quoted[i] for s, e in ranges for i in range(s, e)} - {-1}

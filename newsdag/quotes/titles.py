"""Quoted words that name a work or label a thing rather than report speech.

"Star Wars", NBC's “Today”, the book “Art of the Deal”, the “emergency” measures:
title-cased words, or short words modifying a noun, are left out or kept only where
a rule says that someone said them.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from newsdag.quotes.lexicon import WORK_NOUNS

TERMINAL = (".", "!", "?", "…")
_MINOR_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "at", "with", "by"})


def is_title(words: Sequence[str]) -> bool:
    """Title-cased words without final punctuation: a title of a work, a name."""
    if words[-1].endswith(TERMINAL + (",",)):
        return False
    return all(w[:1].isupper() or not w[:1].isalpha() or w.lower() in _MINOR_WORDS for w in words)


def is_styled_title(words: Sequence[str]) -> bool:
    """Title-cased words, whatever punctuation the style puts inside the closing mark."""
    return is_title([*words[:-1], words[-1].rstrip(".,")])


def names_work(words: Sequence[str]) -> bool:
    """Two or more title-cased words: the name of a show or book, not one word opening a
    split quotation ("“Hopefully,” he said, “...”")."""
    return len(words) > 1 and is_styled_title(words)


def names_a_work(doc: Doc, first: int, words: Sequence[str]) -> bool:
    """Title-cased words after a possessive ("NBC's “Today”"), after "on" or "of" ("on
    “Meet the Press,”"), or after a noun for a work ("the book “Art of the Deal”"):
    the name of a show or book, whatever punctuation the style puts inside the marks.
    ``first`` is the quotation's first token."""
    i = first - 1
    while i >= 0 and (doc[i].is_space or doc[i].text == ","):
        i -= 1
    if i < 0 or not is_styled_title(words):
        return False
    if doc[i].tag_ == "POS":
        return True
    return len(words) > 1 and (doc[i].lower_ in ("on", "of") or doc[i].lemma_.lower() in WORK_NOUNS)


def in_headline(doc: Doc, start: int, end: int, quoted: Sequence[int], paragraph: Sequence[int]) -> bool:
    """Are the tokens ``doc[start:end]`` in a headline, a paragraph whose every word is
    capitalised ("Senator Calls Plan ‘A Disgrace’")? There title case is the style."""
    home = paragraph[start]
    first, last = start, end - 1
    while first > 0 and paragraph[first - 1] == home:
        first -= 1
    while last + 1 < len(doc) and paragraph[last + 1] == home:
        last += 1
    words = [t.text for t in doc[first : last + 1] if quoted[t.i] < 0 and t.is_alpha]
    return len(words) >= 3 and is_title(words)


def is_label(doc: Doc, start: int, end: int, quoted: Sequence[int]) -> bool:
    """Do the quoted words ``doc[start:end]`` modify a noun after the closing mark ("the
    “emergency” measures")? Such a short quotation labels a thing rather than reports words."""
    q = quoted[start]
    return any(
        quoted[t.head.i] != q and t.head.i >= end and t.head.pos_ in ("NOUN", "PROPN")
        for t in doc[start:end]
    )

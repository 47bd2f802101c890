"""Quotation marks: pair them into quoted regions of the text, paragraph by paragraph.

Pure string processing, independent of the parse, so that quoted regions are found the
same way whatever the tokeniser does with the marks.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Double marks. Openers and closers are unambiguous, toggles open when nothing is open
# and close otherwise (straight ", NYT's doubled apostrophe '').
_DOUBLE_OPEN = frozenset({"“", "«", "``", "„"})
_DOUBLE_CLOSE = frozenset({"”", "»"})
_DOUBLE_TOGGLE = frozenset({'"', "''"})
# Single typographic marks quote at top level only outside double quotes (headlines);
# inside double quotes they are nested quotes and belong to the outer quotation.
_SINGLE_OPEN, _SINGLE_CLOSE = "‘", "’"
_MARK_RE = re.compile(r"''|``|[“”„«»\"‘’]")
_OPENING_CONTEXT = frozenset("([{—–-/")


class QuoteRegion(NamedTuple):
    """Text strictly between a pair of marks (``start``, ``end``: inner offsets).

    ``close_mark`` is None when the quotation runs to the end of its paragraph
    unclosed; ``continues`` is True when the next paragraph reopens it (a quotation
    over several paragraphs repeats the opening mark and closes only at its end).
    """

    start: int
    end: int
    open_mark: int
    close_mark: int | None
    continues: bool


def find_quote_regions(text: str) -> list[QuoteRegion]:
    """Quoted regions of ``text``, ordered by start; never raises on unmatched marks.

    Regions never cross a line break. Apostrophes (``don’t``, ``voters’``) are not
    marks: a single ’ closes only an open ‘ and only when not followed by a letter.
    A straight single ' is never a top-level mark (too ambiguous with apostrophes).
    Typographic double marks typed the wrong way round are flipped when their context
    (space on one side only) says so; in a line with an odd number of straight double
    marks, one that would open where a closing mark stands (an inch mark: 6'2" tall)
    is skipped, and one that opens after a sentence's end while a quotation is open starts
    a new quotation there (a paragraph break the text lost). Regions without a letter or
    digit are dropped.
    """
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    regions: list[QuoteRegion] = []
    for number, (lo, hi) in enumerate(lines):
        found = _regions_in_line(text, lo, hi)
        if found and found[-1].close_mark is None and _next_line_reopens(text, lines, number):
            found[-1] = found[-1]._replace(continues=True)
        regions.extend(found)
    return regions


def _next_line_reopens(text: str, lines: list[tuple[int, int]], number: int) -> bool:
    for lo, hi in lines[number + 1 :]:
        line = text[lo:hi].lstrip()
        if line:
            mark = _MARK_RE.match(line)
            return mark is not None and mark.group() in _DOUBLE_OPEN | _DOUBLE_TOGGLE
    return False


def _is_opening(text: str, p: int, length: int, lo: int, hi: int) -> bool | None:
    """True / False when the mark's surroundings say opening / closing, else None."""
    before = text[p - 1] if p > lo else " "
    after = text[p + length] if p + length < hi else " "
    opening = (before.isspace() or before in _OPENING_CONTEXT) and not after.isspace()
    closing = not before.isspace() and (after.isspace() or not after.isalnum())
    if opening and not closing:
        return True
    if closing and not opening:
        return False
    return None


def _reopens(text: str, p: int, lo: int, hi: int) -> bool:
    """Does the straight mark at ``p`` open a new paragraph of the open quotation, as where
    a text lost its paragraph breaks ("...fall apart. "It gave me a start...")? It stands
    after a sentence's end and a space, before a capital letter."""
    before = text[lo:p].rstrip()
    return (
        p + 1 < hi
        and text[p + 1].isupper()
        and p > lo
        and text[p - 1].isspace()
        and before.endswith((".", "!", "?"))
    )


def _has_alnum(text: str, start: int, end: int) -> bool:
    return any(ch.isalnum() for ch in text[start:end])


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _regions_in_line(text: str, lo: int, hi: int) -> list[QuoteRegion]:
    marks = [(m.start(), m.group()) for m in _MARK_RE.finditer(text, lo, hi)]
    doubles: list[tuple[int, int, int, int | None]] = []
    open_at: tuple[int, int] | None = None
    odd = sum(mark == '"' for _, mark in marks) % 2 == 1  # one straight mark pairs with none
    for p, mark in marks:
        if mark in (_SINGLE_OPEN, _SINGLE_CLOSE):
            continue
        if mark in _DOUBLE_TOGGLE:
            opening = open_at is None
            if opening and mark == '"' and odd and _is_opening(text, p, 1, lo, hi) is False:
                continue  # a stray closer or an inch mark (6'3" tall) opens nothing
            if not opening and mark == '"' and _reopens(text, p, lo, hi):
                # a paragraph break lost from the text: the open quotation ends, a new one opens
                doubles.append((open_at[0] + open_at[1], p, open_at[0], None))
                open_at = (p, 1)
                continue
        else:
            opening = mark in _DOUBLE_OPEN
            if mark in ("“", "”"):
                context = _is_opening(text, p, 1, lo, hi)
                opening = opening if context is None else context
        if opening and open_at is None:
            open_at = (p, len(mark))
        elif not opening and open_at is not None:
            doubles.append((open_at[0] + open_at[1], p, open_at[0], p))
            open_at = None
    if open_at is not None:
        doubles.append((open_at[0] + open_at[1], hi, open_at[0], None))

    def inside_double(p: int) -> bool:
        return any(om <= p < (cm if cm is not None else hi) + 1 for _, _, om, cm in doubles)

    singles = [(p, m) for p, m in marks if m in (_SINGLE_OPEN, _SINGLE_CLOSE) and not inside_double(p)]
    found = list(doubles)
    i = 0
    while i < len(singles):
        p, mark = singles[i]
        if mark == _SINGLE_OPEN and (p == lo or not text[p - 1].isalnum()):
            for j in range(i + 1, len(singles)):
                q, other = singles[j]
                after = text[q + 1] if q + 1 < hi else " "
                if other == _SINGLE_CLOSE and not text[q - 1].isspace() and not after.isalnum():
                    found.append((p + 1, q, p, q))
                    i = j
                    break
        i += 1
    regions = []
    for start, end, open_mark, close_mark in sorted(found):
        if open_mark > lo and text[open_mark - 1] == "=":
            continue  # a markup attribute value (author="..."), not a quotation
        start, end = _strip(text, start, end)
        if _has_alnum(text, start, end):
            regions.append(QuoteRegion(start, end, open_mark, close_mark, False))
    return regions

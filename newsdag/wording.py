"""The words of a text as the echoes compare them, and the key of a quotation's words.

Apart from :mod:`newsdag.echoes` because the quote stage writes each quotation's key:
its cache depends on this file only, not on the grouping's code.
"""

from __future__ import annotations

import re
import unicodedata

from newsdag.plan import digest

_NON_WORD = re.compile(r"[^\w]+")


def words(text: str) -> list[str]:
    """The words of ``text``: NFKC, case-folded, marks and punctuation dropped (``don't`` → ``dont``)."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("'", "").replace("\u2019", "")
    return [w for w in _NON_WORD.sub(" ", folded).replace("_", " ").split() if w]


def text_key(text: str | None) -> str | None:
    """The stable key of a quotation's words (None when it has none): the quote stage
    writes it, so the quotation groups can be joined onto quotes by it."""
    found = words(text or "")
    return digest("words", " ".join(found)) if found else None



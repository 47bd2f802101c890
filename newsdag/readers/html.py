"""HTML pages: the article body, title, date and author, extracted by trafilatura."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import trafilatura

from newsdag.errors import Reasons
from newsdag.readers.common import Item, ReadOptions, dated, decode_file, make_article, normalise_newlines
from newsdag.tables import Reject

# Fewer words than this is a menu, a cookie banner or an error page, not an article.
MIN_WORDS = 5


def read(path: Path, data: bytes, options: ReadOptions) -> Iterator[Item]:
    source = str(path)
    page = decode_file(source, data)
    if not isinstance(page, str):
        yield page
        return
    extracted = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=False)
    if extracted is None or len((extracted.text or "").split()) < MIN_WORDS:
        yield Reject(source, Reasons.NO_ARTICLE_IN_HTML)
        return
    yield make_article(
        source,
        normalise_newlines(extracted.text),
        options,
        title=extracted.title or "",
        url=extracted.url,
        **dated(extracted.date),
        source=extracted.sitename,
        author=extracted.author,
    )

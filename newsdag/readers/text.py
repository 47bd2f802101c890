"""Plain-text articles (.txt, .md): the whole file is the text, its first line the title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from newsdag.readers.common import Item, ReadOptions, decode_file, make_article, title_of


def read(path: Path, data: bytes, options: ReadOptions) -> Iterator[Item]:
    text = decode_file(str(path), data)
    yield text if not isinstance(text, str) else make_article(str(path), text, options, title=title_of(text))

"""newsdag: who is mentioned and who said what, from batches of news articles.

From Python: ``newsdag.connect(data_dir)`` queries a data dir, ``newsdag.analyse(text)``
finds one text's quotations and entities (see the README's "Notebooks").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["analyse", "connect"]

if TYPE_CHECKING:
    from newsdag.api import analyse, connect


def __getattr__(name: str) -> Any:
    """``connect`` and ``analyse`` on first use, so that importing any part of newsdag
    (a worker, the CLI) does not load DuckDB or spaCy for them."""
    if name in __all__:
        from newsdag import api

        return getattr(api, name)
    raise AttributeError(f"module 'newsdag' has no attribute {name!r}")

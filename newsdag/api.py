"""newsdag from Python (a notebook, a script): query a data dir, or analyse one text.

Neither needs Prefect: :func:`connect` builds DuckDB views from the data dir's manifest,
and :func:`analyse` runs the spaCy pipeline and the stages' row builders on one text,
so its rows are what ``newsdag run`` would write for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import duckdb
import pyarrow as pa

from newsdag.defaults import DEFAULT_DATA_DIR, DEFAULT_MODEL


class Analysis(NamedTuple):
    """One text's rows: ``quotes`` and ``entities`` with the columns the stages write
    (the corpus-level ones, such as ``speaker_id`` and ``actor_id``, need a corpus)."""

    doc_id: str
    quotes: pa.Table
    entities: pa.Table


def connect(data_dir: str | Path = DEFAULT_DATA_DIR) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with every table of ``data_dir`` as a view, reading the data
    dir's live Parquet parts and nothing else (as ``newsdag sql`` does), so it cannot
    change the data dir. Use ``.sql(...)`` with ``.df()``, ``.pl()`` or ``.arrow()``;
    close it, or use it in a ``with`` block, when done."""
    from newsdag.catalog import open_sandboxed
    from newsdag.store import Store

    return open_sandboxed(Store(Path(data_dir)))


def analyse(text: str, model: str = DEFAULT_MODEL) -> Analysis:
    """The quotations and entities of ``text``, without a data dir: the model and
    newsdag's components over the text, as ``newsdag run`` reads it (line endings as
    ``\\n``), so offsets index into that text."""
    from newsdag.nlp import load_pipeline
    from newsdag.readers.common import doc_id as hash_text, normalise_newlines
    from newsdag.stages.ner import entity_rows
    from newsdag.stages.quotes import quote_rows
    from newsdag.tables import ENTITIES, QUOTES, to_table

    text = normalise_newlines(text)
    doc_id = hash_text(text)
    doc = load_pipeline(model)(text)
    return Analysis(doc_id, to_table(quote_rows(doc_id, doc), QUOTES), to_table(entity_rows(doc_id, doc), ENTITIES))

"""Table schemas: the single source of truth, and the README that documents them."""

from __future__ import annotations

import pyarrow as pa
import pytest

from newsdag.tables import QUOTES, REJECTS, SCHEMAS, describe, to_table
from tests.conftest import REPO

CONTRACT = {
    "articles": ["doc_id", "source_path", "title", "text"],
    "sentences": ["doc_id", "sent_id", "start_char", "end_char"],
    "tokens": ["doc_id", "token_id", "sent_id", "text", "start_char", "end_char", "lemma", "pos", "tag", "dep", "head_token_id"],
    "entities": ["doc_id", "entity_id", "text", "label", "start_char", "end_char", "canonical"],
    "quotes": ["doc_id", "quote_id", "kind", "text", "start_char", "end_char", "speaker", "speaker_start_char",
               "speaker_end_char", "speaker_canonical", "cue"],
    "rejects": ["source_path", "reason"],
}


@pytest.mark.parametrize("table", CONTRACT)
def test_every_contract_column_is_in_the_schema(table: str) -> None:
    assert set(CONTRACT[table]) <= set(SCHEMAS[table].names)


@pytest.mark.parametrize("table", SCHEMAS)
def test_readme_documents_every_column_as_the_schema_says(table: str) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split(f"#### `{table}`", 1)[1].split("####", 1)[0]
    for name, type_, doc in describe(SCHEMAS[table]):
        assert f"| `{name}` | {type_} | {doc} |" in section


def test_to_table_builds_typed_columns_and_empty_tables() -> None:
    table = to_table([("a.txt", "empty")], REJECTS)
    assert table.schema.equals(REJECTS) and table.to_pylist() == [{"source_path": "a.txt", "reason": "empty"}]
    empty = to_table([], QUOTES)
    assert empty.num_rows == 0 and empty.schema.equals(QUOTES)


def test_to_table_refuses_rows_of_the_wrong_type() -> None:
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        to_table([(1, 2)], REJECTS)

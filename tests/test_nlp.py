"""Parsed docs between stages: saved and read back, or restored from the entities part, they
equal the docs the previous stage made, so a stage run in another process gives the same rows."""

from __future__ import annotations

import pytest

from newsdag.errors import MissingIntermediate, ModelNotInstalled
from newsdag.nlp import DOC_ATTRS, Handoff, load_docs, make_docs, run_pipes, save_docs
from newsdag.stages import ner, quotes, tokenise
from newsdag.stages.ner import entity_rows, with_entities
from newsdag.stages.quotes import quote_rows
from newsdag.tables import ENTITIES, to_table

TEXTS = [
    "Storm warning\n\n“Stay indoors tonight,” said Tom Reyes, a forecaster at the Met Office. "
    "He added that the A1 would close.",
    "The council met in Leeds on Monday.\nMayor Jane Porter said the budget was fair, "
    "according to the BBC. Porter won’t resign.",
    "",
]


def _parsed(nlp):
    docs = list(run_pipes(nlp, make_docs(nlp, TEXTS), tokenise.STAGE.pipes))
    for number, doc in enumerate(docs):
        doc.user_data["doc_id"] = f"doc-{number}"
    return docs


def _same(a, b) -> None:
    assert a.text == b.text and a.user_data["doc_id"] == b.user_data["doc_id"]
    assert (a.to_array(list(DOC_ATTRS)) == b.to_array(list(DOC_ATTRS))).all()
    assert [(s.start, s.end) for s in a.sents] == [(s.start, s.end) for s in b.sents]
    assert [(t.lemma_, t.tag_, t.dep_, str(t.morph), t.norm_) for t in a] == [
        (t.lemma_, t.tag_, t.dep_, str(t.morph), t.norm_) for t in b
    ]


def test_saved_docs_read_back_equal(nlp, tmp_path) -> None:
    docs = _parsed(nlp)
    save_docs(docs, tmp_path / "chunk.docs")
    back = load_docs(nlp, tmp_path / "chunk.docs")
    assert len(back) == len(docs)
    for original, loaded in zip(docs, back, strict=True):
        _same(original, loaded)
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_empty_chunk_round_trips(nlp, tmp_path) -> None:
    save_docs([], tmp_path / "empty.docs")
    assert load_docs(nlp, tmp_path / "empty.docs") == []


def test_missing_docs_are_a_clear_error(nlp, tmp_path) -> None:
    with pytest.raises(MissingIntermediate, match="--force"):
        load_docs(nlp, tmp_path / "gone.docs")


def test_entities_restored_from_their_rows_give_the_same_docs_and_quotes(nlp, tmp_path) -> None:
    annotated = list(run_pipes(nlp, _parsed(nlp), ner.STAGE.pipes))
    rows = [row for doc in annotated for row in entity_rows(doc.user_data["doc_id"], doc)]
    assert any(row[6] == "Tom Reyes" for row in rows)
    save_docs(_parsed(nlp), tmp_path / "chunk.docs")
    restored = with_entities(load_docs(nlp, tmp_path / "chunk.docs"), to_table(rows, ENTITIES))
    for original, back in zip(annotated, restored, strict=True):
        _same(original, back)
        assert [(e.start, e.end, e.label_, e.kb_id_, e.id_) for e in original.ents] == [
            (e.start, e.end, e.label_, e.kb_id_, e.id_) for e in back.ents
        ]
    quoted = [list(quote_rows(d.user_data["doc_id"], d)) for d in run_pipes(nlp, annotated, quotes.STAGE.pipes)]
    assert quoted == [list(quote_rows(d.user_data["doc_id"], d)) for d in run_pipes(nlp, restored, quotes.STAGE.pipes)]
    assert ("Tom Reyes", "said") in {(row[10], row[11]) for doc_rows in quoted for row in doc_rows}


def test_a_component_the_model_lacks_is_a_clear_error(nlp) -> None:
    with pytest.raises(ModelNotInstalled, match="lacks the components .'newsdag_nothing'."):
        run_pipes(nlp, _parsed(nlp), ("ner", "newsdag_nothing"))


def test_the_handoff_keeps_only_the_latest_chunk_and_gives_it_once() -> None:
    handoff = Handoff(size=1)
    handoff.put("a", ["doc-a"])
    handoff.put("b", ["doc-b"])
    assert handoff.take("a") is None
    assert handoff.take("b") == ["doc-b"]
    assert handoff.take("b") is None

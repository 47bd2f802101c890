"""Corpus-level actors: one identity per person or organisation across articles."""

from __future__ import annotations

from collections import Counter

import pytest

from newsdag.actors import Name, is_person, resolve


def name(key_label: str, text: str, mentions: int = 5, **votes: int) -> Name:
    item = Name(f"{key_label}:{text.lower()}", key_label, text, mentions, mentions)
    for spec, n in votes.items():
        kind, gender = spec.split("_")
        item.votes[kind, gender] = n
    return item


def actor_of(actors, text: str):
    return next(a for a in actors if f"PERSON:{text.lower()}" in a.keys or any(k.endswith(":" + text.lower()) for k in a.keys))


def test_a_surname_becomes_the_only_compatible_full_name() -> None:
    actors = resolve([name("PERSON", "Tony Blair", 40), name("PERSON", "Blair", 12), name("PERSON", "Mr Blair", 3)])
    assert len(actors) == 1
    assert actors[0].name == "Tony Blair" and {"Blair", "Mr Blair"} <= set(actors[0].aliases)


def test_an_ambiguous_surname_stays_apart() -> None:
    actors = resolve([name("PERSON", "Serena Williams"), name("PERSON", "Rowan Williams"), name("PERSON", "Williams")])
    assert sorted(a.name for a in actors) == ["Rowan Williams", "Serena Williams", "Williams"]


def test_an_honorific_picks_the_person_of_that_gender() -> None:
    actors = resolve([
        name("PERSON", "Tony Blair", 40, honorific_male=9),
        name("PERSON", "Cherie Blair", 4, honorific_female=2),
        name("PERSON", "Blair", 10, honorific_male=3),
    ])
    assert actor_of(actors, "Blair").name == "Tony Blair"
    assert actor_of(actors, "Cherie Blair").name == "Cherie Blair"


def test_a_shorter_full_name_joins_the_fuller_one() -> None:
    actors = resolve([name("PERSON", "George W Bush", 30), name("PERSON", "George Bush", 6)])
    assert [a.name for a in actors] == ["George W Bush"]


def test_the_label_is_decided_by_all_mentions() -> None:
    actors = resolve([name("ORG", "Labour", 500), name("PERSON", "Labour", 40)])
    assert [(a.label, a.type) for a in actors] == [("ORG", "organisation")]


@pytest.mark.parametrize("written", ["Yukos", "Manchester United", "Lib Dems"])
def test_a_person_name_nothing_treats_as_a_person_is_not_one(written: str) -> None:
    (actor,) = resolve([name("PERSON", written, 150)])
    assert actor.type == "organisation" and actor.label == "ORG"


def test_a_name_with_article_evidence_stays_a_person() -> None:
    assert is_person("Khodorkovsky", Counter({("honorific", "male"): 3}), Counter())
    assert is_person("Ronaldinho", Counter({("pronoun", "male"): 2}), Counter())
    assert is_person("Arsene Wenger", Counter(), Counter())  # a known first name
    assert not is_person("Oscar", Counter(), Counter())  # a first name alone is not a person's name


def test_gender_comes_from_the_articles_first_then_the_first_name() -> None:
    striker = name("PERSON", "Xq Zhv", 2)
    striker.roles["Leeds striker"] = 2  # a person by the articles, of no gender they mark
    actors = resolve([
        name("PERSON", "Kelly Holmes", 8, pronoun_female=5),
        name("PERSON", "Jamie Cullum", 3, honorific_male=1),
        name("PERSON", "Sandra Howard", 2),
        striker,
    ])
    genders = {a.name: (a.gender, a.gender_evidence) for a in actors}
    assert genders["Kelly Holmes"] == ("female", "pronoun")
    assert genders["Jamie Cullum"] == ("male", "honorific")
    assert genders["Sandra Howard"] == ("female", "first_name")
    assert genders["Xq Zhv"] == ("unknown", None)


def test_gender_inference_can_be_switched_off() -> None:
    (actor,) = resolve([name("PERSON", "Sandra Howard", 2, pronoun_female=3)], genders=False)
    assert actor.gender == "unknown" and actor.gender_evidence is None


def test_ids_depend_on_the_actor_not_on_the_batch() -> None:
    first = resolve([name("PERSON", "Tony Blair", 40), name("PERSON", "Blair", 5)])
    later = resolve([name("PERSON", "Tony Blair", 41), name("PERSON", "Blair", 9), name("PERSON", "Gordon Brown", 3)])
    assert first[0].actor_id in {a.actor_id for a in later}


# ------------------------------------------------------------------ the stage over a corpus
CORPUS = {
    "budget.txt": "Budget row\n\nPrime Minister Tony Blair defended the budget. Mr Blair said the plan was fair.\n",
    "visit.txt": "Visit\n\nMr Blair arrived in Leeds. Blair said the city was thriving.\n",
    "oil.txt": "Oil firm\n\nVantora posted a loss. Vantora said costs had risen. The company said more cuts would come.\n",
    "spokes.txt": "Talks\n\nA spokesman for Vantora said the talks had ended. Analysts said the shares would fall.\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from newsdag.store import Store
    from tests.conftest import run_stages

    folder = tmp_path_factory.mktemp("corpus")
    for name, text in CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = Store(tmp_path_factory.mktemp("data"))
    run_stages(store, [str(folder)], chunk_size=2)
    return folder, store


def _speakers(store) -> dict[str, tuple]:
    from newsdag.catalog import query

    rows = query(store, "select speaker, speaker_name, speaker_type, speaker_gender, speaker_id from quotes").to_pylist()
    return {r["speaker"]: (r["speaker_name"], r["speaker_type"], r["speaker_gender"], r["speaker_id"]) for r in rows}


def test_one_person_is_one_actor_across_articles(corpus) -> None:
    _, store = corpus
    speakers = _speakers(store)
    assert speakers["Mr Blair"][:3] == ("Tony Blair", "person", "male")
    assert speakers["Blair"][3] == speakers["Mr Blair"][3]  # the article without the full name too


def test_the_company_and_unnamed_sources_across_the_corpus(corpus) -> None:
    _, store = corpus
    speakers = _speakers(store)
    assert speakers["The company"][:2] == ("Vantora", "organisation")
    assert speakers["A spokesman for Vantora"][:2] == (None, "unnamed")
    assert speakers["Analysts"][:2] == (None, "group")


def test_every_quotation_finds_its_speaker_row(corpus) -> None:
    from newsdag.catalog import query

    _, store = corpus
    rows = query(store, "select speaker_ref, speaker_type from quotes").to_pylist()
    assert rows and all(r["speaker_ref"] and r["speaker_type"] for r in rows)  # the stage's refs are the quote stage's
    distinct = query(store, "select count(*) n, count(distinct speaker_ref) d from quote_speakers").to_pylist()[0]
    assert distinct["n"] == distinct["d"] == len({r["speaker_ref"] for r in rows})


def test_entities_carry_their_actor(corpus) -> None:
    from newsdag.catalog import query

    _, store = corpus
    rows = query(store, "select canonical, actor_id from entities where label = 'PERSON'").to_pylist()
    assert len({r["actor_id"] for r in rows if "Blair" in r["canonical"]}) == 1
    actors = query(store, "select name, type, mentions, articles, quotes from actors where name = 'Tony Blair'").to_pylist()
    assert actors == [{"name": "Tony Blair", "type": "person", "mentions": 4, "articles": 2, "quotes": 2}]


def test_a_new_batch_keeps_the_ids_and_an_unchanged_corpus_reuses_the_stage(corpus, tmp_path) -> None:
    from newsdag.stages import actors as stage
    from tests.conftest import run_stages

    folder, store = corpus
    before = _speakers(store)
    manifest = store.load_manifest()
    assert stage.run(store, manifest).items() <= manifest.corpus.items()  # nothing changed: the same parts
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "later.txt").write_text("Later\n\nGordon Brown said the figures were good.\n", encoding="utf-8")
    run_stages(store, [str(folder), str(extra)], chunk_size=2)
    after = _speakers(store)
    assert after["Mr Blair"][3] == before["Mr Blair"][3] and after["Gordon Brown"][0] == "Gordon Brown"


def test_a_surname_goes_to_a_full_name_the_corpus_names_overwhelmingly_more() -> None:
    actors = resolve([
        name("PERSON", "Tony Blair", 400, honorific_male=40),
        name("PERSON", "Euan Blair", 6, pronoun_male=2),
        name("PERSON", "Blair", 30, honorific_male=5),
    ])
    assert actor_of(actors, "Blair").name == "Tony Blair"
    even = resolve([name("PERSON", "Serena Williams", 40), name("PERSON", "Venus Williams", 30), name("PERSON", "Williams")])
    assert actor_of(even, "Williams").name == "Williams"


def test_a_name_the_articles_call_its_is_not_a_person() -> None:
    yukos = name("PERSON", "Yukos", 150, pronoun_male=8, pronoun_neuter=20)
    (actor,) = resolve([yukos])
    assert actor.type == "organisation"
    (person,) = resolve([name("PERSON", "Ronaldinho", 40, pronoun_male=20, pronoun_neuter=3)])
    assert (person.type, person.gender) == ("person", "male")


def test_the_stage_gives_the_same_tables_whatever_order_it_reads_its_chunks_in(corpus) -> None:
    from newsdag.stages import actors as stage
    from newsdag.store import Manifest

    _, store = corpus
    manifest = store.load_manifest()
    backward = Manifest(dict(reversed(manifest.chunks.items())), manifest.rejects, manifest.segments)
    forward, _ = stage.build(store, manifest)
    again, _ = stage.build(store, backward)
    assert all(forward[table].equals(again[table]) for table in forward)


# ------------------------------------------------------------------ incremental = from scratch
# Synthetic entity and quote parts (no NLP): names that interact (surnames, short forms,
# labels, genders, roles), spread over chunks, so that adding, removing and replacing
# chunks exercises every aggregate.
_PEOPLE = [
    ("Tony Blair", "PERSON"), ("Blair", "PERSON"), ("Mr Blair", "PERSON"), ("Cherie Blair", "PERSON"),
    ("Blair", "ORG"), ("Gordon Brown", "PERSON"), ("Brown", "PERSON"), ("Mrs Brown", "PERSON"),
    ("Labour", "ORG"), ("Labour", "PERSON"), ("Vantora", "ORG"), ("Vantora", "PERSON"), ("Serena Williams", "PERSON"),
    ("Venus Williams", "PERSON"), ("Williams", "PERSON"), ("Leeds", "GPE"), ("ex-Vantora", "ORG"), ("1900", "CARDINAL"),
    ("GMT", "ORG"), ("Michael Howard", "PERSON"), ("Howard", "PERSON"), ("Sandra Howard", "PERSON"),
]
_PEOPLE += [
    (f"{first}{surname}", label)
    for surname in ("Smith", "Jones", "Patel", "Okafor", "Nakamura", "Garcia", "Kowalski", "Moreau")
    for first, label in (("John ", "PERSON"), ("Mary ", "PERSON"), ("", "PERSON"), ("Mr ", "PERSON"), ("", "ORG"), ("Dr J. ", "PERSON"))
]
_ROLES = [None, None, "Prime Minister", "prime minister", "Chancellor", "chairman", "film"]
_GENDERS = [(None, None), (None, None), ("male", "honorific"), ("female", "honorific"), ("male", "pronoun"), ("neuter", "pronoun")]


def _synthetic_chunk(store, seed: int, docs: int = 6, tag: str = ""):
    import random

    from newsdag.names import entity_key
    from newsdag.plan import chunk_id, digest
    from newsdag.quotes.sources import speaker_ref
    from newsdag.store import Chunk
    from newsdag.tables import ENTITIES, QUOTES, to_table

    rng = random.Random(seed)
    pool = rng.sample(_PEOPLE, 12)  # each chunk names a few of the people: a run changes only some
    ents, quotes, ids = [], [], []
    for d in range(docs):
        doc_id = digest("doc", str(seed), str(d), tag)
        ids.append(doc_id)
        at = 0
        for e in range(rng.randint(2, 9)):
            text, label = rng.choice(pool)
            gender, evidence = rng.choice(_GENDERS)
            canonical = text if rng.random() < 0.8 else text.upper()
            key = entity_key(canonical, label)
            at += rng.randint(1, 3)
            ents.append((doc_id, e, text, label, at, at + len(text), canonical, e, key, 0, rng.choice(_ROLES), gender, evidence))
            at += len(text)
            if label != "CARDINAL" and rng.random() < 0.4:
                mention = rng.choice([text, "the prime minister", "The company", "she"])
                kind = rng.choice(["person", "organisation", "unnamed"])
                role, gender = rng.choice(_ROLES), rng.choice(["male", "female", None])
                speaker_key = key if mention == text else None
                quotes.append((doc_id, len([q for q in quotes if q[0] == doc_id]), "direct", "words", 0, 5, [], mention, 0, 1,
                               canonical, "said", 0, 1, "nearest_cue", kind, speaker_key, role, None, gender, None,
                               speaker_ref(speaker_key, kind, role, gender, mention, canonical)))
    cid = chunk_id(ids)
    key = digest("synthetic", cid, tag)
    parts = {
        "entities": store.write_part("entities", key, to_table(ents, ENTITIES)),
        "quotes": store.write_part("quotes", key, to_table(quotes, QUOTES)),
    }
    return Chunk(cid, ids, parts)


def _manifest(chunks):
    from newsdag.store import Manifest

    return Manifest({c.chunk_id: c for c in chunks})


def _same(store, manifest, state) -> dict:
    """Build ``manifest`` from ``state`` and from scratch: the same tables; the new state."""
    from newsdag.stages import actors as stage

    incremental, state = stage.build(store, manifest, state=state)
    cold, _ = stage.build(store, manifest, state=None)
    for table in cold:
        assert incremental[table].equals(cold[table]), table
    path = store.path("cache/state-test")
    stage._save(path, state)  # as the next run finds it
    return stage._load(path, state["tag"])


def test_a_run_from_the_previous_state_gives_what_a_cold_run_gives(tmp_path) -> None:
    from newsdag.store import Store

    store = Store(tmp_path)
    chunks = [_synthetic_chunk(store, seed) for seed in range(8)]
    state = _same(store, _manifest(chunks[:3]), None)
    for n in range(4, 9):  # one new chunk at a time
        state = _same(store, _manifest(chunks[:n]), state)
    state = _same(store, _manifest(chunks[2:]), state)  # two chunks no longer published
    replaced = _synthetic_chunk(store, 5, docs=6, tag="new model")  # other parts for the same documents
    replaced.chunk_id, replaced.doc_ids = chunks[5].chunk_id, chunks[5].doc_ids
    state = _same(store, _manifest([*chunks[2:5], replaced, *chunks[6:]]), state)
    _same(store, _manifest(chunks[:1]), state)  # most of the corpus gone


def test_articles_count_an_article_naming_an_actor_twice_once(tmp_path) -> None:
    import duckdb

    from newsdag.stages import actors as stage
    from newsdag.store import Store

    store = Store(tmp_path)
    chunks = [_synthetic_chunk(store, seed) for seed in range(6)]
    tables, _ = stage.build(store, _manifest(chunks))
    files = [str(store.path(c.parts["entities"])) for c in chunks]
    with duckdb.connect() as con:
        con.register("keys", tables["actor_keys"])
        expected = dict(con.execute(
            f"SELECT actor_id, count(DISTINCT doc_id) FROM read_parquet({files}) JOIN keys USING (entity_key) GROUP BY 1"
        ).fetchall())
    got = dict(zip(tables["actors"].column("actor_id").to_pylist(), tables["actors"].column("articles").to_pylist()))
    assert got == expected


@pytest.mark.parametrize("damage", ["missing", "garbage", "truncated", "other code", "a chunk cache gone"])
def test_a_missing_or_damaged_state_is_rebuilt_from_the_chunks(tmp_path, damage: str) -> None:
    from newsdag.stages import actors as stage
    from newsdag.store import ACTORS_DIR, ACTORS_STATE, Store

    store = Store(tmp_path)
    chunks = [_synthetic_chunk(store, seed) for seed in range(5)]
    stage.run(store, _manifest(chunks[:4]))
    state = store.path(ACTORS_STATE)
    if damage == "missing":
        state.unlink()
    elif damage == "garbage":
        state.write_bytes(b"not a state")
    elif damage == "truncated":
        state.write_bytes(state.read_bytes()[:-100])
    elif damage == "other code":
        stage._save(state, {**stage._load(state, stage._tag(True)), "tag": "other"})
    else:
        for path in store.path(ACTORS_DIR).glob(f"{chunks[0].chunk_id}-*"):
            path.unlink()
    manifest = _manifest(chunks[1:])
    parts = stage.run(store, manifest)
    cold, _ = stage.build(store, manifest, state=None)
    for table, part in parts.items():
        assert store.read_part(part).equals(cold[table]), table


def test_the_sweep_keeps_only_the_aggregates_of_published_chunks(tmp_path) -> None:
    from newsdag.compaction import sweep
    from newsdag.stages import actors as stage
    from newsdag.store import ACTORS_DIR, Store

    store = Store(tmp_path)
    chunks = [_synthetic_chunk(store, seed) for seed in range(3)]
    stage.run(store, _manifest(chunks))
    sweep(store, _manifest(chunks[1:]))
    assert sorted(p.name.split("-")[0] for p in store.path(ACTORS_DIR).glob("*.parquet")) == sorted(c.chunk_id for c in chunks[1:])

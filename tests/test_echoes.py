"""Echoes: copied articles grouped into stories, repeated quotations into quotation groups."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsdag import echoes
from newsdag.stages import echoes as stage
from newsdag.store import Chunk, Manifest, Store, signatures_name
from newsdag.tables import ARTICLES, QUOTES, Article, to_table

_WORDS = (
    "council budget river bridge school teacher minister plan vote market price energy bank "
    "rate growth city police report court judge water farm harvest rail station museum film "
    "award player match season club goal coach fans league injury trial doctor hospital patient"
).split()


def _story(seed: int, paragraphs: int = 8) -> str:
    """A made-up article: a headline and paragraphs of words no other seed repeats in order."""
    rng = random.Random(seed)
    body = [" ".join(rng.choice(_WORDS) for _ in range(40)) + "." for _ in range(paragraphs)]
    return f"Headline number {seed}\n\n" + "\n\n".join(body)


def _edited(text: str) -> str:
    """A copy as an outlet runs it: new headline, last paragraph dropped, two swapped, a word changed."""
    head, *body = text.split("\n\n")
    body = body[:-1]
    body[1], body[2] = body[2], body[1]
    body[0] = body[0].replace(body[0].split()[3], "changed", 1)
    return "\n\n".join(["A new headline for the copy", *body])


def test_words_ignore_case_marks_punctuation_and_spacing() -> None:
    assert echoes.words("“We’ll  WIN,” she said —\n'again'!") == ["well", "win", "she", "said", "again"]


def test_an_edited_copy_is_a_copy_and_another_article_is_not() -> None:
    original = echoes.signature(_story(1))
    assert echoes.is_copy(original, echoes.signature(_edited(_story(1))))
    assert not echoes.is_copy(original, echoes.signature(_story(2)))
    half = "\n\n".join(_story(1).split("\n\n")[:5])  # the first half only: contained in the original
    assert echoes.is_copy(original, echoes.signature(half))


def test_stories_are_named_by_their_earliest_article() -> None:
    texts = {"a": _story(1), "b": _edited(_story(1)), "c": _story(2), "d": _edited(_story(2)), "e": _story(3)}
    sigs = {d: echoes.signature(t) for d, t in texts.items()}
    rank = {"b": 0, "a": 1, "c": 2, "d": 3, "e": 4}
    found = echoes.stories(sigs, rank.__getitem__)
    assert {d: s for d, (s, _) in found.items()} == {"a": "b", "b": "b", "c": "c", "d": "c", "e": "e"}
    assert found["b"][1] == 1.0 and 0.5 < found["a"][1] < 1.0


def test_known_stories_plus_a_new_batch_equal_a_cold_run() -> None:
    texts = {f"o{n}": _story(n) for n in range(6)}
    texts |= {f"c{n}": _edited(_story(n)) for n in range(0, 6, 2)}
    sigs = {d: echoes.signature(t) for d, t in texts.items()}
    earlier = {d: s for d, s in sigs.items() if d != "c4"}
    order = lambda d: d[::-1]  # noqa: E731 - any fixed order
    known = {d: s for d, (s, _) in echoes.stories(earlier, order).items()}
    assert echoes.stories(sigs, order, known=known) == echoes.stories(sigs, order)


def test_quotations_group_by_their_words_or_a_trimmed_part() -> None:
    quotes = [
        echoes.Quote("a", 0, "We will not raise taxes on working families, whatever happens"),
        echoes.Quote("b", 0, "we will NOT raise taxes   on working families — whatever happens!"),
        echoes.Quote("c", 3, "not raise taxes on working families"),
        echoes.Quote("d", 0, "raise taxes"),  # too short to be a trimmed part
        echoes.Quote("e", 1, "a different thing altogether was said here"),
        echoes.Quote("f", 0, "raise taxes"),
    ]
    groups = echoes.quote_groups(quotes)
    assert groups["a", 0] == groups["b", 0] == groups["c", 3]
    assert groups["d", 0] == groups["f", 0] != groups["a", 0]
    assert len({groups["a", 0], groups["d", 0], groups["e", 1]}) == 3


# The stage on a small data dir written by hand (no NLP needed).

_T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
QUOTED = "The plan will cost far more than anyone has admitted so far"


def _write_chunk(store: Store, manifest: Manifest, name: str, docs: list[tuple[str, str, str | None, int]]) -> None:
    """docs: (doc_id, text, source, day); every text quotes QUOTED if it holds it."""
    articles = [
        Article(d, f"{d}.txt", t.split("\n")[0], t, source=s, published_at=_T0 + timedelta(days=day), ingested_at=_T0)
        for d, t, s, day in docs
    ]
    quotes = []
    for d, t, _, _ in docs:
        start = t.find(QUOTED[4:30])
        if start >= 0:
            quotes.append((d, 0, "direct", t[start : start + 40], start, start + 40, [], None, None, None, None,
                           None, None, None, None, None, None, None, None, None, None))
    parts = {
        "articles": store.write_part("articles", name, to_table(articles, ARTICLES)),
        "quotes": store.write_part("quotes", name, to_table(quotes, QUOTES)),
    }
    manifest.chunks[name] = Chunk(name, [d for d, *_ in docs], parts)


def _with_quote(text: str) -> str:
    return text + f'\n\n"{QUOTED}," the minister said.'


@pytest.fixture
def lake(tmp_path: Path) -> tuple[Store, Manifest]:
    store = Store(tmp_path / "data")
    manifest = Manifest()
    _write_chunk(store, manifest, "c1", [
        ("d1", _with_quote(_story(1)), "Herald", 0),
        ("d2", _story(2), "Herald", 1),
        ("d3", _with_quote(_edited(_story(1))), "Gazette", 2),
    ])
    return store, manifest


def _stories(store: Store, parts: dict[str, str]) -> dict[str, str]:
    table = store.read_part(parts["stories"])
    return dict(zip(table.column("doc_id").to_pylist(), table.column("story_id").to_pylist()))


def test_the_stage_groups_copies_and_quotations(lake) -> None:
    store, manifest = lake
    parts = stage.run(store, manifest)
    assert _stories(store, parts) == {"d1": "d1", "d2": "d2", "d3": "d1"}
    echo = store.read_part(parts["quote_echoes"]).to_pylist()
    assert {(r["doc_id"], r["first_doc_id"], r["first_source"], r["group_articles"], r["group_stories"],
             r["group_publishers"]) for r in echo} == {("d1", "d1", "Herald", 2, 1, 2), ("d3", "d1", "Herald", 2, 1, 2)}
    assert len({r["quote_group"] for r in echo}) == 1


def test_a_new_batch_hashes_only_its_chunk_and_keeps_every_id(lake) -> None:
    store, manifest = lake
    manifest.corpus = first = stage.run(store, manifest)
    assert stage.run(store, manifest) == first  # unchanged: the same parts, reused
    index = store.path(signatures_name("c1", stage._code()))
    stamp = index.stat().st_mtime_ns
    before = _stories(store, first)
    groups = {r["doc_id"]: r["quote_group"] for r in store.read_part(first["quote_echoes"]).to_pylist()}
    _write_chunk(store, manifest, "c2", [
        ("d4", _with_quote(_edited(_story(2))), "Courier", 3),
        ("d5", _story(5), None, 4),
    ])
    second = stage.run(store, manifest)
    assert index.stat().st_mtime_ns == stamp  # the earlier chunk's signatures were read, not recomputed
    after = _stories(store, second)
    assert {d: after[d] for d in before} == before and after["d4"] == "d2" and after["d5"] == "d5"
    echo = {r["doc_id"]: r for r in store.read_part(second["quote_echoes"]).to_pylist()}
    assert {d: echo[d]["quote_group"] for d in groups} == groups
    assert echo["d4"]["quote_group"] == groups["d1"] and echo["d4"]["group_publishers"] == 3
    cold = stage.build(store, Manifest(manifest.chunks))  # no earlier stories to build on
    assert sorted(cold["stories"].to_pylist(), key=str) == sorted(store.read_part(second["stories"]).to_pylist(), key=str)


def test_sweep_keeps_the_signatures_of_published_chunks_only(lake) -> None:
    from newsdag.compaction import sweep

    store, manifest = lake
    manifest.corpus = stage.run(store, manifest)
    kept = store.path(signatures_name("c1", stage._code()))
    gone = store.path(signatures_name("c9", stage._code()))
    gone.write_bytes(kept.read_bytes())
    sweep(store, manifest)
    assert kept.exists() and not gone.exists()

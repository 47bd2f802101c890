"""Echoes: copied articles grouped into stories, repeated quotations into quotation groups."""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from newsdag import echoes
from newsdag.catalog import table_files, view_sql
from newsdag.stages import echoes as stage
from newsdag.store import Chunk, Manifest, Store, signatures_name
from newsdag.tables import ARTICLES, QUOTES, SCHEMAS, Article, to_table

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
                           None, None, None, None, None, None, None, None, None, echoes.text_key(t[start : start + 40]), None))
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


def _echo(store: Store, manifest: Manifest, parts: dict[str, str]) -> dict[tuple[str, int], dict]:
    """(doc_id, quote_id) -> the quotes view's echo columns, with ``parts`` as the corpus tables."""
    published = Manifest(manifest.chunks, corpus=dict(parts))
    for name in SCHEMAS:
        store.empty_part(name)
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(view_sql("quotes", table_files(store, published)))
        rows = con.sql("select doc_id, quote_id, quote_group, first_doc_id, first_source, first_published_at, "
                           "group_articles, group_stories, group_publishers from quotes").to_arrow_table()
    return {(r["doc_id"], r["quote_id"]): r for r in rows.to_pylist()}


def test_the_stage_groups_copies_and_quotations(lake) -> None:
    store, manifest = lake
    parts = stage.run(store, manifest)
    assert _stories(store, parts) == {"d1": "d1", "d2": "d2", "d3": "d1"}
    echo = _echo(store, manifest, parts)
    assert {(d, r["first_doc_id"], r["first_source"], r["group_articles"], r["group_stories"], r["group_publishers"])
            for (d, _), r in echo.items()} == {("d1", "d1", "Herald", 2, 1, 2), ("d3", "d1", "Herald", 2, 1, 2)}
    assert len({r["quote_group"] for r in echo.values()}) == 1


def test_a_new_batch_hashes_only_its_chunk_and_keeps_every_id(lake) -> None:
    store, manifest = lake
    manifest.corpus = first = stage.run(store, manifest)
    assert stage.run(store, manifest) == first  # unchanged: the same parts, reused
    index = store.path(signatures_name("c1", stage._signature_code()))
    stamp = index.stat().st_mtime_ns
    before = _stories(store, first)
    groups = {d: r["quote_group"] for (d, _), r in _echo(store, manifest, first).items()}
    _write_chunk(store, manifest, "c2", [
        ("d4", _with_quote(_edited(_story(2))), "Courier", 3),
        ("d5", _story(5), None, 4),
    ])
    second = stage.run(store, manifest)
    assert index.stat().st_mtime_ns == stamp  # the earlier chunk's signatures were read, not recomputed
    after = _stories(store, second)
    assert {d: after[d] for d in before} == before and after["d4"] == "d2" and after["d5"] == "d5"
    echo = {d: r for (d, _), r in _echo(store, manifest, second).items()}
    assert {d: echo[d]["quote_group"] for d in groups} == groups
    assert echo["d4"]["quote_group"] == groups["d1"] and echo["d4"]["group_publishers"] == 3
    cold = stage.build(store, Manifest(manifest.chunks))  # no earlier stories to build on
    assert cold["stories"].equals(store.read_part(second["stories"]))
    assert cold["quote_echoes"].equals(store.read_part(second["quote_echoes"]))


def test_a_quotation_in_one_article_has_no_row_and_its_defaults_in_the_view(lake) -> None:
    store, manifest = lake
    _write_chunk(store, manifest, "c2", [("d6", _story(6) + '\n\n"' + QUOTED[:30] + ' once," she said.', None, 5)])
    parts = stage.run(store, manifest)
    table = store.read_part(parts["quote_echoes"])
    echo = _echo(store, manifest, parts)
    alone = echo["d6", 0]
    assert alone["quote_group"] not in table.column("quote_group").to_pylist()
    assert (alone["first_doc_id"], alone["first_source"], alone["group_articles"], alone["group_stories"],
            alone["group_publishers"]) == ("d6", None, 1, 1, 0)
    assert alone["first_published_at"] == _T0 + timedelta(days=5)


# Many batches: what the kept state gives equals a cold computation.

_QUOTE_WORDS = "we will not raise taxes on working families whatever happens next year or after that".split()


def _batches(seed: int, batches: int = 6, size: int = 7) -> list[list[tuple[str, str, str | None, int]]]:
    """Articles: originals, edited copies (some dated before their original), and quotations
    that repeat, are trimmed parts of others, or contain others."""
    rng = random.Random(seed)
    out = []
    n = 0
    for _ in range(batches):
        batch = []
        for _ in range(size):
            base = rng.randrange(12)
            text = _story(base) if rng.random() < 0.4 else _edited(_story(base))
            if rng.random() < 0.15:  # a text that copies two stories, joining them
                text += "\n\n" + _story(base + 1)
            quoted = []
            for _ in range(rng.randrange(3)):
                start = rng.randrange(6)
                end = rng.randrange(start + 3, len(_QUOTE_WORDS) + 1)
                quoted.append(" ".join(_QUOTE_WORDS[start:end]) if rng.random() < 0.7 else f"unique words {n} here")
            body = text + "".join(f'\n\n"{q}," he said.' for q in quoted)
            batch.append((f"doc{n:03d}", body, rng.choice(["Herald", "Gazette", None]), rng.randrange(-5, 30)))
            n += 1
        out.append(batch)
    return out


def _write_quoted_chunk(store: Store, manifest: Manifest, name: str, docs) -> None:
    articles = [
        Article(d, f"{d}.txt", t.split("\n")[0], t, source=s, published_at=_T0 + timedelta(days=day), ingested_at=_T0)
        for d, t, s, day in docs
    ]
    quotes = []
    for d, t, _, _ in docs:
        for number, piece in enumerate(t.split('\n\n"')[1:]):
            said = piece.split(',"')[0]
            quotes.append((d, number, "direct", said, 0, len(said), [], None, None, None, None,
                           None, None, None, None, None, None, None, None, None, echoes.text_key(said), None))
    key = f"{name}-{docs[0][0]}"  # a chunk replaced has other parts
    parts = {
        "articles": store.write_part("articles", key, to_table(articles, ARTICLES)),
        "quotes": store.write_part("quotes", key, to_table(quotes, QUOTES)),
    }
    manifest.chunks[name] = Chunk(name, [d for d, *_ in docs], parts)


def _cold(store: Store, manifest: Manifest) -> dict[str, pa.Table]:
    return stage.build(store, Manifest(dict(manifest.chunks)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_batch_after_batch_equals_a_cold_run(tmp_path: Path, seed: int, monkeypatch) -> None:
    store, manifest = Store(tmp_path / "data"), Manifest()
    colds = []
    original = stage._cold
    monkeypatch.setattr(stage, "_cold", lambda *a: colds.append(1) or original(*a))
    for number, batch in enumerate(_batches(seed)):
        _write_quoted_chunk(store, manifest, f"c{number}", batch)
        manifest.corpus = stage.run(store, manifest)
        want = _cold(store, manifest)
        for table in stage.TABLES:
            assert store.read_part(manifest.corpus[table]).equals(want[table]), (number, table)
    assert len(colds) == 1 + 6  # the first run, then one cold check per batch here
    segments = [p for p in store.path(stage.STATE_DIR).iterdir() if p.is_dir()]
    assert 1 <= len(segments) <= 3  # merged as they go


def _runs(store: Store, manifest: Manifest, batches) -> None:
    for number, batch in enumerate(batches):
        _write_quoted_chunk(store, manifest, f"c{number}", batch)
        manifest.corpus = stage.run(store, manifest)


def _counting(monkeypatch) -> list[int]:
    colds: list[int] = []
    original = stage._cold
    monkeypatch.setattr(stage, "_cold", lambda *a: colds.append(1) or original(*a))
    return colds


def _check(store: Store, manifest: Manifest) -> None:
    manifest.corpus = stage.run(store, manifest)
    want = _cold(store, manifest)
    for table in stage.TABLES:
        assert store.read_part(manifest.corpus[table]).equals(want[table]), table


def test_a_chunk_removed_or_replaced_computes_afresh(tmp_path: Path, monkeypatch) -> None:
    store, manifest = Store(tmp_path / "data"), Manifest()
    batches = _batches(3)
    _runs(store, manifest, batches[:4])
    colds = _counting(monkeypatch)
    del manifest.chunks["c1"]
    _check(store, manifest)
    assert len(colds) == 2  # the run and the check
    _write_quoted_chunk(store, manifest, "c2", [(d + "x", t, s, day) for d, t, s, day in batches[2]])
    _check(store, manifest)
    assert len(colds) == 4
    _write_quoted_chunk(store, manifest, "c9", batches[5])
    _check(store, manifest)
    assert len(colds) == 5  # incremental again


@pytest.mark.parametrize("damage", ["missing", "truncated", "state"])
def test_a_missing_or_damaged_state_computes_afresh(tmp_path: Path, monkeypatch, damage: str) -> None:
    store, manifest = Store(tmp_path / "data"), Manifest()
    batches = _batches(4)
    _runs(store, manifest, batches[:3])
    directory = store.path(stage.STATE_DIR)
    if damage == "missing":
        shutil.rmtree(directory)
    elif damage == "truncated":
        for segment in (p for p in directory.iterdir() if p.is_dir()):
            victim = segment / "band_keys.npy"
            victim.write_bytes(victim.read_bytes()[:-16])
    else:
        next(directory.glob("*.json")).write_text("{not json")
    colds = _counting(monkeypatch)
    _write_quoted_chunk(store, manifest, "c3", batches[3])
    _check(store, manifest)
    assert len(colds) == 2
    _write_quoted_chunk(store, manifest, "c4", batches[4])
    _check(store, manifest)
    assert len(colds) == 3  # the state written afresh serves the next batch


def test_the_same_data_gives_the_same_tables(tmp_path: Path) -> None:
    tables = []
    for name in ("a", "b"):
        store, manifest = Store(tmp_path / name), Manifest()
        _runs(store, manifest, _batches(5))
        tables.append({t: store.read_part(manifest.corpus[t]) for t in stage.TABLES})
    assert all(tables[0][t].equals(tables[1][t]) for t in stage.TABLES)


def test_sweep_keeps_the_signatures_of_published_chunks_only(lake) -> None:
    from newsdag.compaction import sweep

    store, manifest = lake
    manifest.corpus = stage.run(store, manifest)
    kept = store.path(signatures_name("c1", stage._signature_code()))
    gone = store.path(signatures_name("c9", stage._signature_code()))
    gone.write_bytes(kept.read_bytes())
    sweep(store, manifest)
    assert kept.exists() and not gone.exists()


def test_quote_trail_finds_every_quotation_of_a_group_by_its_keys(tmp_path: Path) -> None:
    from newsdag.analytics import run_query
    from newsdag.catalog import publish_views, query

    store, manifest = Store(tmp_path / "data"), Manifest()
    _runs(store, manifest, _batches(6))
    store.save_manifest(manifest)
    publish_views(store, manifest)
    groups = query(store, "select quote_group, count(*) as n, count(distinct text_key) as keys from quotes "
                          "where quote_group is not null group by 1 order by 2 desc, 1").to_pylist()
    assert groups[0]["keys"] > 1 and groups[-1]["n"] == 1  # a group of several wordings, and one alone
    for group in (groups[0], groups[-1]):
        want = query(store, f"select doc_id, quote_id from quotes where quote_group = '{group['quote_group']}'").to_pylist()
        trail = run_query(store, "quote_trail", {"quote": group["quote_group"]}).to_pylist()
        assert sorted((r["doc_id"], r["quote_id"]) for r in trail) == sorted((r["doc_id"], r["quote_id"]) for r in want)


def test_the_written_out_bands_are_datasketchs_choice() -> None:
    from datasketch import MinHashLSH

    from newsdag import echoes

    lsh = MinHashLSH(threshold=echoes.LSH_THRESHOLD, num_perm=echoes.NUM_PERM)
    assert (echoes.BANDS, echoes.ROWS) == (lsh.b, lsh.r)

"""The run report a flow run publishes: built from plain data, no Prefect server needed."""

from __future__ import annotations

from newsdag.artifacts import RunReport, headline, markdown, top_speakers
from newsdag.plan import RunSummary
from newsdag.store import Store
from newsdag.tables import QUOTES, to_table

ROWS = {"articles": 12, "sentences": 300, "tokens": 7000, "entities": 900, "quotes": 40, "rejects": 1}


def _report(**changes) -> RunReport:
    summary = RunSummary(
        documents=5, new=3, cached=2, rejected=1, duplicates=0,
        stages={"tokenise": {"run": 1, "cached": 1}, "ner": {"run": 1, "cached": 1}, "quotes": {"run": 1, "cached": 1}},
        rows=ROWS, seconds=4.25,
    )
    fields = dict(
        summary=summary, inputs=["inbox"], data_dir="data", runner="local", files_read=6, files_skipped=10,
        timings={"scan": 0.01, "ingest": 0.2, "tokenise": 2.5, "ner": 0.5, "quotes": 0.25, "publish": 0.1},
        speakers=[("Antony J. Blinken", 7), ("Ursula | von der Leyen", 3)],
    )
    return RunReport(**{**fields, **changes})


def test_markdown_shows_articles_rows_speakers_and_timings() -> None:
    text = markdown(_report())
    assert text.startswith("# newsdag: 3 new, 2 cached, 1 rejected articles; files: 6 read, 10 unchanged\n")
    assert "Inputs `inbox` into `data` · runner `local` · 4.2 s" in text
    for line in ("| new | 3 |", "| cached | 2 |", "| rejected inputs | 1 |", "| files unchanged, skipped | 10 |"):
        assert line in text
    for table, rows in ROWS.items():
        assert f"| {table} | {rows} |" in text
    assert "| Antony J. Blinken | 7 |" in text
    assert "| Ursula \\| von der Leyen | 3 |" in text
    assert "| tokenise | 2.50 | 1 | 1 |" in text and "| ingest | 0.20 |  |  |" in text


def test_a_run_that_read_no_file_says_nothing_new() -> None:
    summary = RunSummary(0, 0, 0, 0, 0, rows=ROWS)
    report = _report(summary=summary, files_read=0, files_skipped=16, timings={"scan": 0.01}, speakers=[])
    assert report.nothing_new
    assert headline(report) == "nothing new; files: 0 read, 16 unchanged"
    text = markdown(report)
    assert "No attributed quotations in this batch." in text and "| scan | 0.01 |  |  |" in text


def test_a_first_run_on_an_empty_inbox_has_no_tables_yet() -> None:
    report = _report(summary=RunSummary(0, 0, 0, 0, 0), files_read=0, files_skipped=0, speakers=[])
    assert "No tables yet." in markdown(report)


def _quote(doc: str, number: int, speaker: str | None) -> tuple:
    return (doc, number, "direct", "words", 0, 5, [], speaker, None, None, speaker, "said", None, None, "nearest_cue", "person", None, None, None, None, None, None)


def test_top_speakers_count_quotes_across_parts(tmp_path) -> None:
    store = Store(tmp_path)
    first = [_quote("a", 0, "B"), _quote("a", 1, "A"), _quote("a", 2, None)]
    second = [_quote("b", 0, "B"), _quote("b", 1, "C"), _quote("b", 2, "A"), _quote("b", 3, "B")]
    parts = [store.write_part("quotes", key, to_table(rows, QUOTES)) for key, rows in (("1", first), ("2", second))]
    assert top_speakers(store, parts) == [("B", 3), ("A", 2), ("C", 1)]
    assert top_speakers(store, parts, limit=1) == [("B", 3)]
    assert top_speakers(store, []) == []

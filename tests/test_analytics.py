"""Named queries: known answers on a hand-built data dir, bound parameters, clear errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsdag.analytics import QueryError, available, parse_assignments, parse_query, run_query
from newsdag.catalog import query
from newsdag.cli import app
from newsdag.errors import NoData
from newsdag.store import Store
from tests.analytics_lake import HOSTILE_TITLE, build_lake, texts

runner = CliRunner()


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Store:
    return build_lake(tmp_path_factory.mktemp("lake"))


def rows(lake: Store, name: str, **params) -> list[dict]:
    return run_query(lake, name, params).to_pylist()


def pick(records: list[dict], *columns: str) -> list[tuple]:
    return [tuple(r[c] for c in columns) for r in records]


def test_every_shipped_query_is_documented_and_parses() -> None:
    queries = available()
    assert set(queries) == {
        "articles_without_quotes", "entity_cooccurrence", "overview", "quote_contexts", "quotes_by_speaker",
        "quotes_over_time", "speaker_entities", "top_entities", "top_speakers",
        "source_types", "gender_balance", "unnamed_sources", "repeated_quotes", "quote_trail",
    }
    for q in queries.values():
        assert q.description and all(p.doc for p in q.params)


def test_top_speakers_counts_quotes_by_kind_and_articles(lake) -> None:
    assert pick(rows(lake, "top_speakers"), "speaker", "quotes", "direct", "indirect", "mixed", "articles") == [
        ("Alice Smith", 3, 3, 0, 0, 2),
        ("Bob Jones", 2, 0, 2, 0, 2),
        ("Carol O'Neil", 1, 1, 0, 0, 1),
    ]
    assert pick(rows(lake, "top_speakers", limit=1), "speaker") == [("Alice Smith",)]


def test_quotes_by_speaker_gives_title_and_date_newest_first(lake) -> None:
    found = rows(lake, "quotes_by_speaker", speaker="alice SMITH")
    assert pick(found, "title", "quote", "cue") == [
        (HOSTILE_TITLE, "<b>bold</b> & Acme.", "said"),
        ("Budget row", "Bob Jones and Acme must pay.", "said"),
        ("Budget row", "Paris is far, and Acme knows it.", "told"),
    ]
    assert [r["published_at"].date() for r in found] == [date(2024, 3, 1), date(2024, 1, 15), date(2024, 1, 15)]


def test_top_entities_merges_canonical_variants_under_the_most_frequent_name(lake) -> None:
    assert pick(rows(lake, "top_entities"), "entity", "label", "mentions", "articles") == [
        ("Acme", "ORG", 6, 4),
        ("Bob Jones", "PERSON", 5, 2),
        ("Paris", "GPE", 3, 3),
        ("Alice Smith", "PERSON", 3, 2),
        ("Carol O'Neil", "PERSON", 1, 1),
    ]
    assert pick(rows(lake, "top_entities", label="person", limit=2), "entity") == [("Bob Jones",), ("Alice Smith",)]


def test_speaker_entities_counts_mentions_inside_quoted_segments_only(lake) -> None:
    # "Bob Jones" between the two segments of Alice Smith's split quote does not count.
    assert pick(rows(lake, "speaker_entities"), "speaker", "entity", "mentions", "quotes") == [
        ("Alice Smith", "Acme", 3, 3),
        ("Bob Jones", "Acme", 2, 2),
        ("Alice Smith", "Bob Jones", 1, 1),
        ("Alice Smith", "Paris", 1, 1),
        ("Bob Jones", "Paris", 1, 1),
        ("Carol O'Neil", "Bob Jones", 1, 1),
    ]
    assert pick(rows(lake, "speaker_entities", speaker="Carol O'Neil"), "entity") == [("Bob Jones",)]
    assert pick(rows(lake, "speaker_entities", label="GPE"), "speaker") == [("Alice Smith",), ("Bob Jones",)]


def test_entity_cooccurrence_counts_each_sentence_once(lake) -> None:
    pairs = [(frozenset((r["entity_a"], r["entity_b"])), r["sentences"], r["articles"])
             for r in rows(lake, "entity_cooccurrence")]
    assert pairs == [
        (frozenset({"Acme", "Bob Jones"}), 4, 2),
        (frozenset({"Acme", "Paris"}), 3, 3),
        (frozenset({"Acme", "Alice Smith"}), 3, 2),
        (frozenset({"Bob Jones", "Paris"}), 2, 2),
        (frozenset({"Alice Smith", "Bob Jones"}), 2, 1),
        (frozenset({"Bob Jones", "Carol O'Neil"}), 1, 1),
        (frozenset({"Alice Smith", "Paris"}), 1, 1),
    ]
    with_paris = rows(lake, "entity_cooccurrence", entity="PARIS")
    assert [r["sentences"] for r in with_paris] == [3, 2, 1]
    assert all("Paris" in (r["entity_a"], r["entity_b"]) for r in with_paris)


def test_quotes_over_time_per_speaker_and_period(lake) -> None:
    assert pick(rows(lake, "quotes_over_time"), "speaker", "period", "quotes", "articles") == [
        ("Alice Smith", date(2024, 1, 1), 2, 1),
        ("Bob Jones", date(2024, 1, 1), 1, 1),
        ("Bob Jones", date(2024, 2, 1), 1, 1),
        ("Carol O'Neil", date(2024, 2, 1), 1, 1),
        ("Alice Smith", date(2024, 3, 1), 1, 1),
    ]
    assert pick(rows(lake, "quotes_over_time", bucket="year"), "speaker", "quotes", "articles") == [
        ("Alice Smith", 3, 2), ("Bob Jones", 2, 2), ("Carol O'Neil", 1, 1),
    ]
    assert pick(rows(lake, "quotes_over_time", speaker="bob jones", bucket="day"), "period") == [
        (date(2024, 1, 15),), (date(2024, 2, 3),),
    ]


def test_articles_without_attributed_quotes(lake) -> None:
    assert pick(rows(lake, "articles_without_quotes"), "title", "unattributed_quotes") == [
        ("Unattributed", 1), ("Quiet day", 0),
    ]


def test_quote_contexts_cut_the_article_text_around_each_quote(lake) -> None:
    carol = [r for r in rows(lake, "quote_contexts", context=12) if r["speaker"] == "Carol O'Neil"]
    text = texts()["d2"]
    assert pick(carol, "before", "quote", "after", "cue", "title") == [
        ('e agreed.\n\n"', "Mr. Jones is right,", '" Carol O\'Ne', "said", "Talks resume"),
    ]
    assert "".join(pick(carol, "before", "quote", "after")[0]) in text
    assert len(rows(lake, "quote_contexts")) == 7


def test_overview_totals(lake) -> None:
    assert rows(lake, "overview") == [{
        "articles": 5, "quotes": 7, "attributed_quotes": 6, "speakers": 3,
        "entity_mentions": 18, "entities": 5, "dated_articles": 4, "stories": 5, "quote_groups": 7,
    }]


@pytest.mark.parametrize(
    "hostile",
    ["x' OR '1'='1", "'; DROP VIEW quotes; --", "$speaker", "Alice Smith' --", "\\'"],
)
def test_parameter_values_are_data_never_sql(lake, hostile) -> None:
    assert rows(lake, "quotes_by_speaker", speaker=hostile) == []
    assert rows(lake, "top_entities", label=hostile) == []
    assert query(lake, "select count(*) as n from quotes").column("n").to_pylist() == [7]


def test_a_name_with_a_quote_mark_matches_as_written(lake) -> None:
    assert pick(rows(lake, "quotes_by_speaker", speaker="Carol O'Neil"), "quote") == [("Mr. Jones is right,",)]


def test_text_values_are_converted_to_the_parameter_type(lake) -> None:
    assert len(rows(lake, "top_speakers", limit="2")) == 2
    assert len(rows(lake, "top_entities", names_only="no")) == 5
    with pytest.raises(QueryError, match="'limit' expects an integer, got '1; DROP VIEW quotes'"):
        rows(lake, "top_speakers", limit="1; DROP VIEW quotes")
    with pytest.raises(QueryError, match="one of day, week, month, quarter, year; got 'fortnight'"):
        rows(lake, "quotes_over_time", bucket="fortnight")


def test_unknown_query_and_missing_or_unknown_parameters_are_clear(lake) -> None:
    with pytest.raises(QueryError, match="no query named 'nope'; available: articles_without_quotes"):
        rows(lake, "nope")
    with pytest.raises(QueryError, match=r"needs --param speaker=VALUE"):
        rows(lake, "quotes_by_speaker")
    with pytest.raises(QueryError, match=r"has no parameter 'top'; its parameters: type, distinct_stories, limit"):
        rows(lake, "top_speakers", top=3)


def test_without_a_database_the_query_says_to_run_first(tmp_path) -> None:
    with pytest.raises(NoData, match="newsdag run"):
        run_query(Store(tmp_path), "top_speakers")


def test_query_headers_must_match_the_sql() -> None:
    good = "-- name: q\n-- description: d\n-- param: n = 3 | how many\nSELECT $n"
    assert [(p.name, p.default, p.required) for p in parse_query("q", good).params] == [("n", 3, False)]
    with pytest.raises(QueryError, match="must start with '-- name: other'"):
        parse_query("other", good)
    with pytest.raises(QueryError, match=r"declares parameters \['n'\] but its SQL uses \['m', 'n'\]"):
        parse_query("q", good + " + $m")
    with pytest.raises(QueryError, match="no '-- description:' line"):
        parse_query("q", "-- name: q\nSELECT 1")
    with pytest.raises(QueryError, match="not one of its choices"):
        parse_query("q", "-- name: q\n-- description: d\n-- param: b = 'x' one of a, c | b\nSELECT $b")


def test_parse_assignments_splits_at_the_first_equals_sign() -> None:
    assert parse_assignments(["speaker=a=b", "limit=3", "empty="]) == {"speaker": "a=b", "limit": "3", "empty": ""}
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_assignments(["limit"])


def cli(*args: str):
    return runner.invoke(app, list(args))


def test_cli_query_prints_json_csv_and_writes_parquet(lake, tmp_path) -> None:
    data = str(lake.root)
    result = cli("query", "quotes_by_speaker", "--param", "speaker=Carol O'Neil", "--data-dir", data, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(r["quote"], r["published_at"][:10]) for r in json.loads(result.stdout)] == [
        ("Mr. Jones is right,", "2024-02-03"),
    ]
    result = cli("query", "top_speakers", "-p", "limit=2", "--data-dir", data, "--format", "csv")
    assert [row[:8] for row in csv.reader(io.StringIO(result.stdout))] == [
        ["speaker", "type", "gender", "quotes", "direct", "indirect", "mixed", "articles"],
        ["Alice Smith", "person", "female", "3", "3", "0", "0", "2"],
        ["Bob Jones", "person", "male", "2", "0", "2", "0", "2"],
    ]
    out = tmp_path / "top.parquet"
    result = cli("query", "top_entities", "--data-dir", data, "--format", "parquet", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).column("entity").to_pylist()[:2] == ["Acme", "Bob Jones"]


def test_cli_table_format_shows_the_rows(lake) -> None:
    result = cli("query", "articles_without_quotes", "--data-dir", str(lake.root))
    assert result.exit_code == 0, result.output
    assert "Quiet day" in result.stdout and "Unattributed" in result.stdout and "Budget row" not in result.stdout


@pytest.mark.parametrize("args", [["query", "--list"], ["queries"]])
def test_cli_lists_queries_with_descriptions_and_parameters(args) -> None:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    for q in available().values():
        assert q.name in result.stdout and q.description in result.stdout
    assert "--param speaker (required): speaker name or actor id" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "nope"], "no query named 'nope'"),
        (["query", "quotes_by_speaker"], "needs --param speaker=VALUE"),
        (["query", "top_speakers", "-p", "top=3"], "has no parameter 'top'"),
        (["query", "top_speakers", "-p", "limit"], "--param expects NAME=VALUE"),
        (["query", "top_speakers", "-p", "limit=many"], "expects an integer"),
        (["query", "top_speakers", "--format", "parquet"], "--out FILE"),
        (["query"], "give a query NAME"),
    ],
)
def test_cli_errors_exit_2_with_a_message(lake, args, message) -> None:
    result = cli(*args, "--data-dir", str(lake.root))
    assert result.exit_code == 2
    assert "error:" in result.output and message in result.output


def test_cli_sql_text_in_a_parameter_is_data(lake) -> None:
    result = cli("query", "quotes_by_speaker", "-p", "speaker=x' OR 1=1; DROP VIEW quotes; --",
                 "--data-dir", str(lake.root), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert len(rows(lake, "quote_contexts")) == 7


def test_a_repeated_param_is_an_error() -> None:
    with pytest.raises(QueryError, match="given twice"):
        parse_assignments(["limit=3", "limit=4"])


def test_an_empty_required_param_is_an_error(lake) -> None:
    for value in ("", "   "):
        with pytest.raises(QueryError, match="required and cannot be empty"):
            run_query(lake, "quotes_by_speaker", {"speaker": value})


@pytest.mark.parametrize(("name", "param"), [("quote_contexts", "context"), ("quote_contexts", "limit"), ("top_speakers", "limit")])
def test_a_count_below_its_bound_is_an_error(lake, name, param) -> None:
    with pytest.raises(QueryError, match="must be at least 0, got -20"):
        run_query(lake, name, {param: "-20"})
    with pytest.raises(QueryError, match="must be at least 0"):
        run_query(lake, name, {param: -1})
    assert run_query(lake, name, {param: "0"}) is not None


def test_at_least_is_read_from_the_header() -> None:
    query = parse_query("q", "-- name: q\n-- description: d\n-- param: n = 3 at least 1 | n\nSELECT $n")
    assert query.params[0].minimum == 1 and "at least 1" in query.params[0].describe()
    with pytest.raises(QueryError, match="at least"):
        parse_query("q", "-- name: q\n-- description: d\n-- param: n = 0 at least 1 | n\nSELECT $n")


def test_repeated_quotes_and_a_quotations_trail(lake) -> None:
    assert rows(lake, "repeated_quotes") == []  # no quotation repeats in the lake
    once = rows(lake, "repeated_quotes", min_articles=1, min_words=1, limit=100)
    assert len(once) == 7 and all(r["articles"] == 1 and r["stories"] == 1 for r in once)
    trail = rows(lake, "quote_trail", quote="mr. jones is RIGHT")
    assert pick(trail, "speaker", "quote", "first_seen") == [("Carol O'Neil", "Mr. Jones is right,", True)]
    assert rows(lake, "quote_trail", quote=trail[0]["quote_group"]) == trail


def test_distinct_stories_counts_each_story_once(lake) -> None:
    assert rows(lake, "overview", distinct_stories=True)[0]["articles"] == 5  # no copies in the lake
    assert rows(lake, "top_speakers", distinct_stories=True) == rows(lake, "top_speakers")

"""Runs killed with SIGKILL at several points, then completed, equal one clean run."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdag.store import Store
from tests.killing import count_files, kill_when, newsdag_run, table_contents

PEOPLE = ["Ada Brennan", "Omar Castillo", "Lena Duarte", "Victor Ekwueme", "Mira Fontaine", "Tomas Gruber"]
PLACES = ["Leeds", "Lisbon", "Nairobi", "Quebec", "Tromso", "Osaka"]


def _article(n: int) -> str:
    person, place = PEOPLE[n % len(PEOPLE)], PLACES[n % len(PLACES)]
    other = PEOPLE[(n + 1) % len(PEOPLE)]
    return (
        f"Report {n}: flooding in {place}\n\n"
        f"Water levels in {place} rose for the {n + 2}th day on Tuesday, officials said.\n\n"
        f"“We have never seen anything like this,” said {person}, who runs a shelter in the city. "
        f"“Families are sleeping in the gym.”\n\n"
        f"{other} said that the council had asked for {n + 3} more pumps. "
        f"According to {person.split()[1]}, the repairs will take weeks.\n"
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for n in range(16):
        (folder / f"{n:02d}.txt").write_text(_article(n), encoding="utf-8")
    (folder / "blank.txt").write_text("   \n")
    return folder


@pytest.fixture(scope="module")
def server_env(prefect_harness) -> dict[str, str]:
    """Child runs talk to the test session's Prefect server instead of starting their own."""
    from prefect.settings import PREFECT_API_URL

    return {"PREFECT_API_URL": PREFECT_API_URL.value()}


def _run(corpus: Path, data: Path, env: dict[str, str]):
    return newsdag_run([str(corpus), "--data-dir", str(data), "--chunk-size", "2"], env)


def test_killed_runs_then_one_to_completion_equal_a_clean_run(corpus, server_env, tmp_path) -> None:
    clean = tmp_path / "clean"
    assert _run(corpus, clean, server_env).wait(timeout=600) == 0

    data = tmp_path / "faulted"
    tables = data / "tables"
    kill_points = [
        lambda: count_files(tables / "articles") >= 1,  # ingest has written its parts
        lambda: count_files(tables / "tokens") >= 3,  # mid tokenise
        lambda: count_files(tables / "entities") >= 5,  # NER under way, some chunks cached
        lambda: count_files(tables / "quotes") >= 8,  # every stage done: publishing
    ]
    killed = [kill_when(_run(corpus, data, server_env), ready) for ready in kill_points]
    assert sum(killed) >= 3, f"the runs ended before they could be killed: {killed}"
    assert _run(corpus, data, server_env).wait(timeout=600) == 0

    assert table_contents(data) == table_contents(clean)
    store = Store(data)
    assert list(store.unreferenced_parts(store.load_manifest())) == []
    assert not list(data.rglob(".*.tmp*")), "temporary files of killed writes were left behind"


def test_a_run_killed_before_publishing_leaves_the_previous_tables(corpus, server_env, tmp_path) -> None:
    data = tmp_path / "data"
    first = corpus.parent / "first"
    first.mkdir(exist_ok=True)
    for name in ("00.txt", "01.txt"):
        (first / name).write_text((corpus / name).read_text("utf-8"), encoding="utf-8")
    assert _run(first, data, server_env).wait(timeout=600) == 0
    before = table_contents(data)

    killed = kill_when(_run(corpus, data, server_env), lambda: count_files(data / "tables" / "entities") >= 3)
    assert killed
    assert table_contents(data) == before

"""The NLP tasks on an existing Dask cluster give the tables of a run in one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_articles
from tests.killing import table_contents

ARTICLES = [
    "Mill closes\n\n“We had no choice,” said Ruth Okafor, the owner of the mill in Halifax.\n",
    "Rail strike\n\nTrains in Kent will not run on Monday, Network Rail said.\n",
    "Library opens\n\nThe new library in Derby opened its doors, the mayor, Ian Brooks, said.\n",
    "Harbour fire\n\n“It spread in minutes,” a firefighter in Whitby told the BBC.\n",
    "Bridge repairs\n\nRepairs to the bridge in York will take a year, according to the council.\n",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_articles(tmp_path_factory.mktemp("articles"), ARTICLES)


@pytest.fixture(scope="module")
def cluster():
    """A real two-worker cluster in worker processes, as an existing cluster would be."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local, distributed.Client(local) as client:
        yield local.scheduler_address, client


def test_dask_runs_equal_a_single_process_run_and_cache_across_processes(
    prefect_harness, corpus, cluster, tmp_path
) -> None:
    from flows.pipeline import pipeline
    from newsdag.nlp import load_pipeline

    address, client = cluster
    single = tmp_path / "single"
    pipeline(paths=[str(corpus)], data_dir=str(single), chunk_size=2, workers=1)

    data = tmp_path / "dask"
    first = pipeline(paths=[str(corpus)], data_dir=str(data), chunk_size=2, runner="dask", dask_address=address)
    assert first.stages == {**{s: {"run": 3, "cached": 0} for s in ("tokenise", "ner", "quotes")}, "actors": {"run": 1, "cached": 0}, "echoes": {"run": 1, "cached": 0}}
    assert table_contents(data) == table_contents(single)
    # The work ran in the cluster's workers: each loaded the model for itself.
    assert sum(client.run(lambda: load_pipeline.cache_info().currsize).values()) >= 1

    again = pipeline(paths=[str(corpus)], data_dir=str(data), chunk_size=2, runner="dask", dask_address=address)
    assert again.stages == {**{s: {"run": 0, "cached": 3} for s in ("tokenise", "ner", "quotes")}, "actors": {"run": 0, "cached": 1}, "echoes": {"run": 0, "cached": 1}}
    assert table_contents(data) == table_contents(single)

"""Shared fixtures: one loaded pipeline per test session, the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_fb24d6273bcab460.txt"


def write_articles(folder: Path, texts: list[str]) -> Path:
    """``texts`` as ``0.txt``, ``1.txt``, ... in ``folder``."""
    for n, text in enumerate(texts):
        (folder / f"{n}.txt").write_text(text, encoding="utf-8")
    return folder


def run_chunks(store, inputs: list[str], chunk_size: int):
    """Ingest, then each chunk's stages and its share of the corpus stages, as the chunk
    task runs them, without Prefect: (plan, outputs), nothing published yet."""
    from newsdag.defaults import DEFAULT_MODEL
    from newsdag.stages import CHUNK_STAGES, ingest, prepare_corpus

    plan = ingest.run(store, inputs, model=DEFAULT_MODEL, chunk_size=chunk_size)
    outputs = []
    for job in plan.jobs:
        refs, upstream = [], None
        for stage in CHUNK_STAGES:
            upstream = stage.run(store, job, upstream, model=DEFAULT_MODEL)
            refs.append(upstream)
        prepare_corpus(store, job, refs)
        outputs.append((job, refs))
    return plan, outputs


def run_stages(store, inputs: list[str], chunk_size: int):
    """The pipeline's stages one after another, without Prefect: (plan, rows per table)."""
    from newsdag.stages import publish

    plan, outputs = run_chunks(store, inputs, chunk_size)
    return plan, publish.run(store, plan, outputs)


@pytest.fixture(scope="session")
def seed_data(tmp_path_factory) -> Path:
    """A data dir of the seed article, made by the stages without Prefect."""
    from newsdag.store import Store

    data = tmp_path_factory.mktemp("seed") / "data"
    run_stages(Store(data), [str(SEED)], chunk_size=64)
    return data


@pytest.fixture(scope="session")
def nlp():
    from newsdag.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_doc(nlp, seed_text):
    return nlp(seed_text)


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for every test that runs the flow."""
    from newsdag.runtime import apply_prefect_defaults

    apply_prefect_defaults()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield

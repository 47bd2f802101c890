"""Ingest stage: read the inputs, then plan the chunks the NLP stages will run over."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from newsdag import ingest as reader
from newsdag.integrity import heal, stale_chunks
from newsdag.readers.common import ReadOptions
from newsdag.plan import ChunkJob, Plan, chunk_id, chunked, stage_keys
from newsdag.stages import CHUNK_STAGES
from newsdag.store import Store
from newsdag.tables import ARTICLES, Article, to_table


def run(
    store: Store,
    paths: Sequence[str],
    *,
    model: str,
    chunk_size: int,
    options: ReadOptions | None = None,
    batch_id: str | None = None,
) -> Plan:
    """Ingest ``paths`` and plan one job per chunk touched by the batch.

    Documents already published keep their chunk (so its cache keys are unchanged);
    new ones are grouped into new chunks, whose articles parts are written here as
    they fill up, so only one chunk's texts are in memory at a time. A published chunk
    with a damaged part is planned too, so that the part is recomputed.
    """
    intake = reader.Intake(paths, options, batch_id=batch_id)
    heal(store)
    manifest = store.load_manifest()
    stale = stale_chunks(store, manifest)
    known = manifest.chunk_of()
    touched: set[str] = set()
    ingested: set[str] = set()
    counts = {"documents": 0, "new": 0}

    def fresh() -> Iterator[Article]:
        for article in intake.articles():
            counts["documents"] += 1
            ingested.add(article.source_path)
            if article.doc_id in known:
                touched.add(known[article.doc_id])
            else:
                counts["new"] += 1
                yield article

    jobs = []
    for group in chunked(fresh(), chunk_size):
        cid = chunk_id(a.doc_id for a in group)
        part = store.write_part("articles", cid, to_table(group, ARTICLES))
        jobs.append(ChunkJob(cid, tuple(a.doc_id for a in group), part, stage_keys(cid, model, CHUNK_STAGES), new=True))
    published = [
        ChunkJob(cid, tuple(chunk.doc_ids), chunk.parts["articles"], stage_keys(cid, model, CHUNK_STAGES), new=False)
        for cid, chunk in sorted(manifest.chunks.items())
        if cid in touched or cid in stale
    ]
    return Plan(
        jobs=published + jobs,
        rejects=[tuple(r) for r in intake.rejects],
        ingested_paths=ingested,
        documents=counts["documents"],
        new=counts["new"],
        duplicates=intake.duplicates,
    )

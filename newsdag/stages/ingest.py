"""Ingest stage: read the inputs, then plan the chunks the NLP stages will run over."""

from __future__ import annotations

from collections.abc import Sequence

from newsdag import ingest as reader
from newsdag.readers.common import ReadOptions
from newsdag.plan import ChunkJob, Plan, chunk_id, group_new, stage_keys
from newsdag.store import Store
from newsdag.tables import ARTICLES, to_table


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
    new ones are grouped into new chunks, whose articles parts are written here.
    """
    batch = reader.ingest(paths, options, batch_id=batch_id)
    manifest = store.load_manifest()
    known = manifest.chunk_of()
    jobs = [
        ChunkJob(cid, tuple(chunk.doc_ids), chunk.parts["articles"], stage_keys(cid, model), new=False)
        for cid, chunk in sorted(manifest.chunks.items())
        if cid in {known.get(a.doc_id) for a in batch.articles}
    ]
    fresh = [a for a in batch.articles if a.doc_id not in known]
    for group in group_new(fresh, chunk_size):
        cid = chunk_id(a.doc_id for a in group)
        part = store.write_part("articles", cid, to_table(group, ARTICLES))
        jobs.append(ChunkJob(cid, tuple(a.doc_id for a in group), part, stage_keys(cid, model), new=True))
    return Plan(
        jobs=jobs,
        rejects=[tuple(r) for r in batch.rejects],
        ingested_paths={a.source_path for a in batch.articles},
        documents=len(batch.articles),
        new=len(fresh),
        duplicates=batch.duplicates,
    )

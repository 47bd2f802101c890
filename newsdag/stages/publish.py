"""Publish stage: make a run's parts live in one atomic step, then refresh the views."""

from __future__ import annotations

from collections.abc import Sequence

from newsdag.catalog import publish_views, row_counts
from newsdag.compaction import settle, sweep
from newsdag.errors import MissingIntermediate
from newsdag.plan import ChunkJob, Plan, StageRef, digest
from newsdag.stages import actors
from newsdag.store import Chunk, Store, merge_rejects
from newsdag.tables import REJECTS, to_table


def run(store: Store, plan: Plan, outputs: Sequence[tuple[ChunkJob, Sequence[StageRef]]]) -> dict[str, int]:
    """Point the manifest at every processed chunk's parts and merge the rejects.

    The manifest is replaced in one rename: until then readers see the previous run,
    afterwards all of this one. Segments holding parts this run replaced are rewritten
    first. Returns the row count of every table.
    """
    manifest = store.load_manifest()
    for job, refs in outputs:
        parts = {"articles": job.articles}
        for ref in refs:
            parts.update(ref.parts)
        for part in parts.values():
            if not store.has([part]):
                raise MissingIntermediate(part)
        manifest.chunks[job.chunk_id] = Chunk(job.chunk_id, list(job.doc_ids), parts)
    previous = store.read_part(manifest.rejects) if manifest.rejects else None
    rejects = merge_rejects(previous, plan.rejects, plan.ingested_paths)
    manifest.rejects = (
        store.write_part("rejects", digest(*(f"{p}\t{r}" for p, r in rejects)), to_table(rejects, REJECTS))
        if rejects
        else None
    )
    settle(store, manifest)
    manifest.corpus = actors.run(store, manifest)
    store.save_manifest(manifest)
    publish_views(store, manifest)
    sweep(store, manifest)
    return row_counts(store)

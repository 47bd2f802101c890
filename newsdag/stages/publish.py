"""Publish stage: make a run's parts live in one atomic step, then refresh the views.

In two steps around the corpus-level stages: :func:`prepare` gives the manifest the run
will publish (this run's chunks added, the rejects merged, segments holding replaced parts
rewritten), on which the actors and echoes stages compute their tables, and :func:`commit` makes it live.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsdag.catalog import publish_views, row_counts
from newsdag.compaction import settle, sweep
from newsdag.errors import MissingIntermediate
from newsdag.plan import ChunkJob, Plan, StageRef, digest
from newsdag.store import Chunk, Manifest, Store, merge_rejects
from newsdag.tables import REJECTS, to_table


def published_chunk(job: ChunkJob, refs: Sequence[StageRef]) -> Chunk:
    """The chunk as the manifest will hold it: its articles and every stage's parts."""
    parts = {"articles": job.articles}
    for ref in refs:
        parts.update(ref.parts)
    return Chunk(job.chunk_id, list(job.doc_ids), parts)


def prepare(store: Store, plan: Plan, outputs: Sequence[tuple[ChunkJob, Sequence[StageRef]]]) -> Manifest:
    """The manifest that points at every processed chunk's parts, with the rejects merged.

    Nothing is visible yet: segments holding parts this run replaced are rewritten, but
    the manifest is only saved by :func:`commit`.
    """
    manifest = store.load_manifest()
    for job, refs in outputs:
        chunk = published_chunk(job, refs)
        for part in chunk.parts.values():
            if not store.has([part]):
                raise MissingIntermediate(part)
        manifest.chunks[job.chunk_id] = chunk
    previous = store.read_part(manifest.rejects) if manifest.rejects else None
    rejects = merge_rejects(previous, plan.rejects, plan.ingested_paths)
    manifest.rejects = (
        store.write_part("rejects", digest(*(f"{p}\t{r}" for p, r in rejects)), to_table(rejects, REJECTS))
        if rejects
        else None
    )
    settle(store, manifest)
    return manifest


def commit(store: Store, manifest: Manifest, corpus: dict[str, str]) -> dict[str, int]:
    """Replace the manifest in one rename (until then readers see the previous run,
    afterwards all of this one), with ``corpus`` as its corpus-level parts; rebuild the
    views and sweep what no manifest holds. Returns the row count of every table."""
    manifest.corpus = dict(corpus)
    store.save_manifest(manifest)
    publish_views(store, manifest)
    sweep(store, manifest)
    return row_counts(store)


def run(
    store: Store, plan: Plan, outputs: Sequence[tuple[ChunkJob, Sequence[StageRef]]], *, genders: bool = True
) -> dict[str, int]:
    """Prepare, compute the corpus-level tables and commit, in one call (without Prefect)."""
    manifest = prepare(store, plan, outputs)
    return commit(store, manifest, corpus(store, manifest, genders=genders))


def corpus(store: Store, manifest: Manifest, *, genders: bool = True) -> dict[str, str]:
    """Every corpus stage's parts over ``manifest``, merged (table -> part), for :func:`commit`."""
    from newsdag.stages import actors, echoes

    return {**actors.run(store, manifest, genders=genders), **echoes.run(store, manifest)}

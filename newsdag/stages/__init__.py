"""The pipeline's stages, Prefect-free: each turns a chunk's input into Parquet parts.

Each NLP stage declares one :class:`~newsdag.stages.stage.Stage` record in its module;
``STAGES`` lists them in running order, and ``newsdag.plan`` (cache keys), ``tasks``
(one cached task per record) and ``flows`` (counts and progress) iterate it, so adding
a stage is a module and one line here. ``actors`` and ``echoes`` are the corpus stages: once
per run, over every chunk the run will publish. ``ingest`` (plan the chunks) and ``publish``
(make a run live) are the uncached steps around them. Anything else (tests, notebooks,
another orchestrator) can call a record's ``run`` directly.
"""

from newsdag.plan import ChunkJob, StageRef
from newsdag.stages import actors, echoes, ner, quotes, tokenise
from newsdag.stages.publish import published_chunk
from newsdag.stages.stage import Stage
from newsdag.store import Store

STAGES: tuple[Stage, ...] = (tokenise.STAGE, ner.STAGE, quotes.STAGE, actors.STAGE, echoes.STAGE)
# The stages that run per chunk, each on the output of the one before it.
CHUNK_STAGES: tuple[Stage, ...] = tuple(stage for stage in STAGES if stage.scope == "chunk")


def prepare_corpus(store: Store, job: ChunkJob, refs: list[StageRef]) -> None:
    """The corpus stages' share of one chunk's work, done where the chunk was processed."""
    chunk = published_chunk(job, refs)
    for stage in STAGES:
        if stage.prepare is not None:
            stage.prepare(store, chunk)

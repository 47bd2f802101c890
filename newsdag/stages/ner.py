"""NER stage: the model's entity recogniser, then document-level normalisation → entities."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc

from newsdag.entities import entity_key
from newsdag.errors import MissingIntermediate
from newsdag.nlp import NER_PIPES, handoff, load_pipeline, run_pipes, save_docs, sentence_ids
from newsdag.plan import ChunkJob, StageRef
from newsdag.store import Store, docs_name, part_name
from newsdag.tables import ENTITIES, to_table

STAGE = "ner"


def outputs(key: str) -> list[str]:
    """The files a run of this stage under ``key`` leaves behind."""
    return [part_name("entities", key), docs_name(STAGE, key)]


def entity_rows(doc_id: str, doc: Doc) -> Iterator[tuple]:
    sents = sentence_ids(doc)
    for number, ent in enumerate(doc.ents):
        canonical = ent.kb_id_ or ent.text
        cluster = int(ent.id_) if ent.id_.isdigit() else number
        yield (
            doc_id, number, ent.text, ent.label_, ent.start_char, ent.end_char,
            canonical, cluster, entity_key(canonical, ent.label_), sents[ent.start],
        )


def run(store: Store, job: ChunkJob, upstream: StageRef, *, model: str) -> StageRef:
    """Recognise and normalise the entities of the parsed docs; keep the docs for quotes."""
    nlp = load_pipeline(model)
    source = store.path(upstream.docs)
    if not source.exists():
        raise MissingIntermediate(str(source))
    docs, rows = [], []
    for doc in run_pipes(nlp, handoff.take(nlp, source), NER_PIPES):
        docs.append(doc)
        rows.extend(entity_rows(doc.user_data["doc_id"], doc))
    key = job.keys[STAGE]
    docs_path = docs_name(STAGE, key)
    save_docs(docs, store.path(docs_path))
    handoff.put(store.path(docs_path), docs)
    return StageRef(STAGE, key, {"entities": store.write_part("entities", key, to_table(rows, ENTITIES))}, docs_path)

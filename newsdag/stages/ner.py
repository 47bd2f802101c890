"""NER stage: the model's entity recogniser, then document-level normalisation → entities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

import pyarrow as pa
from spacy.tokens import Doc

from newsdag.entities import entity_key
from newsdag.nlp import handoff, load_docs, load_pipeline, run_pipes, sentence_ids
from newsdag.people import Person, people_of
from newsdag.plan import ChunkJob, StageRef
from newsdag.stages.stage import Stage
from newsdag.store import Store
from newsdag.tables import ENTITIES, to_table

_NOBODY = Person(None, None, None)


def entity_rows(doc_id: str, doc: Doc) -> Iterator[tuple]:
    sents = sentence_ids(doc)
    people = people_of(doc)
    for number, ent in enumerate(doc.ents):
        person = people.get(int(ent.id_), _NOBODY)
        yield (
            doc_id, number, ent.text, ent.label_, ent.start_char, ent.end_char,
            ent.kb_id_, int(ent.id_), entity_key(ent.kb_id_, ent.label_), sents[ent.start],
            person.role, person.gender, person.evidence,
        )


def with_entities(docs: Sequence[Doc], entities: pa.Table) -> list[Doc]:
    """Set each doc's entities back from its ``entities`` rows: the docs as this stage left them."""
    spans = defaultdict(list)
    for row in entities.select(["doc_id", "start_char", "end_char", "label", "canonical", "cluster_id"]).to_pylist():
        spans[row["doc_id"]].append(row)
    for doc in docs:
        doc.ents = [
            doc.char_span(r["start_char"], r["end_char"], label=r["label"], kb_id=r["canonical"], span_id=str(r["cluster_id"]))
            for r in spans[doc.user_data["doc_id"]]
        ]
    return list(docs)


def handoff_name(key: str) -> str:
    """Where this stage's docs wait in the handoff for the quote stage."""
    return f"{STAGE.name}-{key}"


def run(store: Store, job: ChunkJob, upstream: StageRef, *, model: str) -> StageRef:
    """Recognise and normalise the entities of the parsed docs.

    The docs with their entities go on to the quote stage in memory; the stage's only
    file is the entities part, from which :func:`with_entities` restores them.
    """
    nlp = load_pipeline(model)
    parsed = handoff.take(upstream.docs)
    if parsed is None:
        parsed = load_docs(nlp, store.path(upstream.docs))
    docs, rows = [], []
    for doc in run_pipes(nlp, parsed, STAGE.pipes):
        docs.append(doc)
        rows.extend(entity_rows(doc.user_data["doc_id"], doc))
    key = job.keys[STAGE.name]
    handoff.put(handoff_name(key), docs)
    return StageRef(STAGE.name, key, {"entities": store.write_part("entities", key, to_table(rows, ENTITIES))}, upstream.docs)


STAGE = Stage(
    name="ner",
    sources=("nlp.py", "stages/ner.py", "entities.py", "names.py", "people.py", "gender.py", "quotes/marks.py", "resources/aliases*", "resources/names*"),
    pipes=("ner", "newsdag_entities"),
    tables=("entities",),
    run=run,
)

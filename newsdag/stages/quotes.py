"""Quote stage: who said what, over the parsed docs with their normalised entities."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc

from newsdag.nlp import handoff, load_docs, load_pipeline
from newsdag.plan import ChunkJob, StageRef
from newsdag.quotes import extract_quotes
from newsdag.stages.ner import handoff_name, with_entities
from newsdag.store import Store, part_name
from newsdag.tables import QUOTES, to_table

STAGE = "quotes"


def outputs(key: str) -> list[str]:
    """The files a run of this stage under ``key`` leaves behind."""
    return [part_name("quotes", key)]


def quote_rows(doc_id: str, doc: Doc) -> Iterator[tuple]:
    for number, q in enumerate(extract_quotes(doc)):
        segments = [{"start_char": s, "end_char": e} for s, e in q.segments]
        yield (
            doc_id, number, q.kind, q.text, q.start_char, q.end_char, segments,
            q.speaker, q.speaker_start_char, q.speaker_end_char, q.speaker_canonical,
            q.cue, q.cue_start_char, q.cue_end_char, q.rule,
        )


def run(store: Store, job: ChunkJob, upstream: StageRef, *, model: str) -> StageRef:
    """Extract the quotations of every doc of the chunk."""
    docs = handoff.take(handoff_name(upstream.key))
    if docs is None:
        parsed = load_docs(load_pipeline(model), store.path(upstream.docs))
        docs = with_entities(parsed, store.read_part(upstream.parts["entities"]))
    rows = []
    for doc in docs:
        rows.extend(quote_rows(doc.user_data["doc_id"], doc))
    key = job.keys[STAGE]
    return StageRef(STAGE, key, {"quotes": store.write_part("quotes", key, to_table(rows, QUOTES))})

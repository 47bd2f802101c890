"""Quote stage: who said what, over the parsed docs with their normalised entities."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc

from newsdag.nlp import handoff, load_docs, load_pipeline, run_pipes
from newsdag.people import people_of
from newsdag.plan import ChunkJob, StageRef
from newsdag.quotes.sources import describe_sources, speaker_ref
from newsdag.stages.ner import handoff_name, with_entities
from newsdag.stages.stage import Stage
from newsdag.store import Store
from newsdag.tables import QUOTES, to_table
from newsdag.wording import text_key


def quote_rows(doc_id: str, doc: Doc) -> Iterator[tuple]:
    """The ``quotes`` rows of a doc the ``newsdag_quotes`` component has run on."""
    quotes = doc._.quotes
    sources = describe_sources(doc, [(q.speaker_start_char, q.speaker_end_char, q.speaker_canonical) for q in quotes], people_of(doc))
    for number, (q, source) in enumerate(zip(quotes, sources, strict=True)):
        segments = [{"start_char": s, "end_char": e} for s, e in q.segments]
        canonical = source.name or q.speaker_canonical
        yield (
            doc_id, number, q.kind, q.text, q.start_char, q.end_char, segments,
            q.speaker, q.speaker_start_char, q.speaker_end_char, canonical,
            q.cue, q.cue_start_char, q.cue_end_char, q.rule,
            source.type, source.key, source.role, source.affiliation, source.gender,
            text_key(q.text),
            speaker_ref(source.key, source.type, source.role, source.gender, q.speaker, canonical),
        )


def run(store: Store, job: ChunkJob, upstream: StageRef, *, model: str) -> StageRef:
    """Extract the quotations of every doc of the chunk with the pipeline's quote component."""
    nlp = load_pipeline(model)
    docs = handoff.take(handoff_name(upstream.key))
    if docs is None:
        parsed = load_docs(nlp, store.path(upstream.docs))
        docs = with_entities(parsed, store.read_part(upstream.parts["entities"]))
    rows = []
    for doc in run_pipes(nlp, docs, STAGE.pipes):
        rows.extend(quote_rows(doc.user_data["doc_id"], doc))
    key = job.keys[STAGE.name]
    return StageRef(STAGE.name, key, {"quotes": store.write_part("quotes", key, to_table(rows, QUOTES))})


STAGE = Stage(
    name="quotes",
    sources=(
        "stages/quotes.py", "quotes/*.py", "wording.py", "names.py", "people.py", "gender.py",
        "resources/quote*", "resources/speech_verbs*", "resources/names*", "resources/sources*",
    ),
    pipes=("newsdag_quotes",),
    tables=("quotes",),
    run=run,
)

"""Tokenise stage: tokenizer, tagger, parser and lemmatizer → sentences and tokens."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc

from newsdag import progress
from newsdag.nlp import TOKENISE_PIPES, load_pipeline, make_docs, run_pipes, save_docs, sentence_ids
from newsdag.plan import ChunkJob, StageRef
from newsdag.store import Store, docs_name, part_name
from newsdag.tables import SENTENCES, TOKENS, to_table

STAGE = "tokenise"


def outputs(key: str) -> list[str]:
    """The files a run of this stage under ``key`` leaves behind."""
    return [part_name("sentences", key), part_name("tokens", key), docs_name(STAGE, key)]


def sentence_rows(doc_id: str, doc: Doc) -> Iterator[tuple]:
    for number, sent in enumerate(doc.sents):
        yield (doc_id, number, sent.start_char, sent.end_char)


def token_rows(doc_id: str, doc: Doc) -> Iterator[tuple]:
    sents = sentence_ids(doc)
    for tok in doc:
        yield (
            doc_id, tok.i, sents[tok.i], tok.text, tok.idx, tok.idx + len(tok.text),
            tok.lemma_, tok.pos_, tok.tag_, tok.dep_, tok.head.i,
        )


def run(store: Store, job: ChunkJob, upstream: StageRef | None = None, *, model: str) -> StageRef:
    """Parse the chunk's articles; write sentences, tokens and the parsed docs for NER.

    ``upstream`` is unused: the input is the chunk's articles part.
    """
    nlp = load_pipeline(model)
    articles = store.read_part(job.articles)
    doc_ids = articles.column("doc_id").to_pylist()
    docs, sentences, tokens = [], [], []
    parsed = run_pipes(nlp, make_docs(nlp, articles.column("text").to_pylist()), TOKENISE_PIPES)
    for doc_id, doc in zip(doc_ids, parsed):
        doc.user_data["doc_id"] = doc_id
        docs.append(doc)
        sentences.extend(sentence_rows(doc_id, doc))
        tokens.extend(token_rows(doc_id, doc))
        progress.advance(STAGE)
    key = job.keys[STAGE]
    docs_path = docs_name(STAGE, key)
    save_docs(docs, store.path(docs_path))
    parts = {
        "sentences": store.write_part("sentences", key, to_table(sentences, SENTENCES)),
        "tokens": store.write_part("tokens", key, to_table(tokens, TOKENS)),
    }
    return StageRef(STAGE, key, parts, docs_path)

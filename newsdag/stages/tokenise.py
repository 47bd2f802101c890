"""Tokenise stage: tokenizer, tagger, parser and lemmatizer → sentences and tokens."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from spacy.attrs import DEP, HEAD, IDX, LEMMA, ORTH, POS, SENT_START, TAG
from spacy.tokens import Doc

from newsdag.nlp import handoff, load_pipeline, make_docs, run_pipes, save_docs
from newsdag.plan import ChunkJob, StageRef
from newsdag.stages.stage import Stage
from newsdag.store import Store, docs_name
from newsdag.tables import SENTENCES, TOKENS, to_table

# Columns of Doc.to_array in token_table; the string-valued ones are hashes (or symbols).
_ATTRS = (IDX, HEAD, SENT_START, ORTH, LEMMA, POS, TAG, DEP)
_STRING_COLUMNS = {"text": 3, "lemma": 4, "pos": 5, "tag": 6, "dep": 7}


def sentence_rows(doc_id: str, doc: Doc) -> Iterator[tuple]:
    for number, sent in enumerate(doc.sents):
        yield (doc_id, number, sent.start_char, sent.end_char)


def token_table(doc_ids: Sequence[str], docs: Sequence[Doc]) -> pa.Table:
    """The tokens of a chunk, built column by column.

    Reading attributes token by token in Python costs a good part of the tagger's own
    time, so they come out of ``Doc.to_array`` and each distinct string is looked up once.
    """
    if not docs:
        return TOKENS.empty_table()
    arrays = [doc.to_array(list(_ATTRS)).reshape(len(doc), len(_ATTRS)) for doc in docs]
    values = np.concatenate(arrays)
    positions = np.concatenate([np.arange(len(a), dtype=np.int64) for a in arrays])
    # SENT_START is 1 on a sentence's first token (the first token of a doc always starts one).
    sent_ids = np.concatenate([np.maximum(np.cumsum(a[:, 2] == 1) - 1, 0) for a in arrays])
    strings = docs[0].vocab.strings

    def strings_of(index: int) -> pa.Array:
        unique, inverse = np.unique(values[:, index], return_inverse=True)
        return pa.array([strings[int(h)] for h in unique], pa.string()).take(pa.array(inverse.ravel()))

    columns = {name: strings_of(index) for name, index in _STRING_COLUMNS.items()}
    start = values[:, 0].astype(np.int64)
    return pa.table(
        {
            "doc_id": pa.array(np.repeat(np.array(doc_ids, dtype=object), [len(a) for a in arrays]), pa.string()),
            "token_id": positions.astype(np.int32),
            "sent_id": sent_ids.astype(np.int32),
            "text": columns["text"],
            "start_char": start,
            "end_char": start + pc.utf8_length(columns["text"]).to_numpy(zero_copy_only=False),
            "lemma": columns["lemma"],
            "pos": columns["pos"],
            "tag": columns["tag"],
            "dep": columns["dep"],
            # HEAD is the head's offset from the token, stored unsigned.
            "head_token_id": (positions + values[:, 1].astype(np.int64)).astype(np.int32),
        },
        schema=TOKENS,
    )


def run(store: Store, job: ChunkJob, upstream: StageRef | None = None, *, model: str) -> StageRef:
    """Parse the chunk's articles; write sentences, tokens and the parsed docs for NER.

    ``upstream`` is unused: the input is the chunk's articles part.
    """
    nlp = load_pipeline(model)
    articles = store.read_part(job.articles, columns=["doc_id", "text"])
    doc_ids = articles.column("doc_id").to_pylist()
    docs = list(run_pipes(nlp, make_docs(nlp, articles.column("text").to_pylist()), STAGE.pipes))
    sentences = []
    for doc_id, doc in zip(doc_ids, docs):
        doc.user_data["doc_id"] = doc_id
        sentences.extend(sentence_rows(doc_id, doc))
    key = job.keys[STAGE.name]
    docs_path = docs_name(STAGE.name, key)
    save_docs(docs, store.path(docs_path))
    handoff.put(docs_path, docs)
    parts = {
        "sentences": store.write_part("sentences", key, to_table(sentences, SENTENCES)),
        "tokens": store.write_part("tokens", key, token_table(doc_ids, docs)),
    }
    return StageRef(STAGE.name, key, parts, docs_path)


STAGE = Stage(
    name="tokenise",
    sources=("nlp.py", "lines.py", "stages/tokenise.py"),
    pipes=("tok2vec", "tagger", "newsdag_line_breaks", "parser", "attribute_ruler", "lemmatizer"),
    tables=("sentences", "tokens"),
    run=run,
    keeps_docs=True,
)

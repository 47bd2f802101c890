"""Loading the spaCy pipeline, running some of its components, and parsed docs between stages.

The model's parse components (tagger, parser, lemmatizer) share one tok2vec, while its
NER carries its own; so each stage can run its own components (its record's ``pipes``)
without doing any work twice. newsdag's own components (line breaks as sentence
boundaries, entity normalisation, quote extraction) are added by their registered
factory names, with the defaults of their factories' configs.
"""

from __future__ import annotations

import functools
import json
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import spacy
from spacy.attrs import SPACY
from spacy.language import Language
from spacy.tokens import Doc

# Imported for their factories, which an installed newsdag also registers as entry
# points: so they are found when newsdag runs from a checkout that is not installed.
from newsdag import entities as _entities  # noqa: F401
from newsdag import lines as _lines  # noqa: F401
from newsdag import quotes as _quotes  # noqa: F401
from newsdag.defaults import DEFAULT_MODEL
from newsdag.errors import MissingIntermediate, ModelNotInstalled
from newsdag.store import temp_path


# What the tokenise stage keeps of a parsed doc for the stages after it: DocBin's
# defaults without the entities (there are none yet) plus NORM, which the tokenizer sets
# per token and the NER model reads, so docs read back equal the docs written.
DOC_ATTRS = ("ORTH", "NORM", "TAG", "HEAD", "DEP", "LEMMA", "MORPH", "POS", "SENT_START")
# The columns whose values are string hashes (ORTH first, as load_docs expects).
_STRING_COLUMNS = [DOC_ATTRS.index(name) for name in ("ORTH", "NORM", "TAG", "DEP", "LEMMA", "MORPH")]


@functools.cache
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load ``model`` (an installed package name or a path) with newsdag's components.

    Cached per process: every stage of a run shares one loaded pipeline.
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelNotInstalled(model) from exc
    _require(nlp, ("parser", "ner"), model)
    nlp.add_pipe("newsdag_line_breaks", before="parser")
    nlp.add_pipe("newsdag_entities", after="ner")
    nlp.add_pipe("newsdag_quotes", last=True)
    return nlp


def model_id(nlp: Language) -> str:
    """Name and version of the model and of spaCy: part of every NLP cache key."""
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}/spacy-{spacy.__version__}"


def run_pipes(nlp: Language, docs: Iterable[Doc], names: Iterable[str], *, batch_size: int = 64) -> Iterator[Doc]:
    """Apply the named components of ``nlp`` to ``docs`` in order, streaming."""
    names = list(names)
    _require(nlp, names, model_id(nlp))
    for name in names:
        component = nlp.get_pipe(name)
        docs = component.pipe(docs, batch_size=batch_size) if hasattr(component, "pipe") else map(component, docs)
    return iter(docs)


def _require(nlp: Language, names: Iterable[str], model: str) -> None:
    """Fail with the components of ``names`` that ``nlp`` lacks, if any."""
    missing = [name for name in names if name not in nlp.pipe_names]
    if missing:
        raise ModelNotInstalled(model, f"it lacks the components {missing}")


def make_docs(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    """Tokenise only (no statistical component): the input of the tokenise stage."""
    return (nlp.make_doc(text) for text in texts)


def save_docs(docs: Sequence[Doc], path: Path) -> None:
    """Write ``docs`` (with their ``doc_id``) to ``path``, atomically.

    Kept as what ``DocBin`` keeps, built column-wise: ``DocBin.add`` reads every token in
    Python and scans package entry points for each doc, which cost about 5% of the
    pipeline's time. String hashes are stored as numbers into the list of strings used,
    so the compressed file is small.
    """
    empty = np.zeros((0, len(DOC_ATTRS)), np.uint64)
    values = np.concatenate([doc.to_array(list(DOC_ATTRS)).reshape(len(doc), len(DOC_ATTRS)) for doc in docs] or [empty])
    hashes, codes = np.unique(values[:, _STRING_COLUMNS], return_inverse=True)
    table = values.view(np.int64).astype(np.int32)  # the other attributes are small numbers
    table[:, _STRING_COLUMNS] = codes.reshape(len(values), len(_STRING_COLUMNS))
    payload = {
        "table": table,
        "spaces": np.concatenate([doc.to_array(SPACY) for doc in docs] or [empty[:, 0]]).astype(bool),
        "lengths": np.array([len(doc) for doc in docs], np.int64),
        "strings": _json_bytes([docs[0].vocab.strings[int(h)] for h in hashes]),
        "doc_ids": _json_bytes([doc.user_data["doc_id"] for doc in docs]),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    # An .npz archive, compressed at the fastest level: it halves the time of the default.
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, array in payload.items():
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array(member, array, allow_pickle=False)
    tmp.replace(path)


def load_docs(nlp: Language, path: Path) -> list[Doc]:
    """Read docs written by :func:`save_docs`; they equal the docs written."""
    if not path.exists():
        raise MissingIntermediate(str(path))
    with np.load(path, allow_pickle=False) as data:
        payload = {name: data[name] for name in data.files}
    doc_ids = json.loads(payload["doc_ids"].tobytes())
    if not doc_ids:
        return []
    hashes = np.array([nlp.vocab.strings.add(s) for s in json.loads(payload["strings"].tobytes())], np.uint64)
    table = payload["table"]
    values = table.astype(np.int64).view(np.uint64)
    values[:, _STRING_COLUMNS] = hashes[table[:, _STRING_COLUMNS]]
    bounds = np.cumsum(payload["lengths"])[:-1]
    docs = []
    for doc_id, rows, spaces in zip(doc_ids, np.split(values, bounds), np.split(payload["spaces"], bounds), strict=True):
        doc = Doc(nlp.vocab, words=rows[:, 0], spaces=spaces.tolist()).from_array(list(DOC_ATTRS), rows)
        doc.user_data["doc_id"] = doc_id
        docs.append(doc)
    return docs


def _json_bytes(items: list[str]) -> np.ndarray:
    return np.frombuffer(json.dumps(items).encode("utf-8"), np.uint8)


class Handoff:
    """Parsed docs a stage has just made, kept for the next stage in the same process.

    When a chunk's stages run one after another in one process, the next stage takes
    the docs from here instead of reading them back from disk; a stage that runs
    elsewhere, or later, reads the file. Only the latest chunk is kept, so memory stays
    flat however many chunks a worker runs.
    """

    def __init__(self, size: int = 1) -> None:
        self.size = size
        self._docs: OrderedDict[str, list[Doc]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, name: str, docs: list[Doc]) -> None:
        with self._lock:
            self._docs[name] = docs
            while len(self._docs) > self.size:
                self._docs.popitem(last=False)

    def take(self, name: str) -> list[Doc] | None:
        """The docs put under ``name``, once; None when they are not (or no longer) here."""
        with self._lock:
            return self._docs.pop(name, None)


handoff = Handoff()


def sentence_ids(doc: Doc) -> list[int]:
    """The 0-based sentence number of every token of ``doc``."""
    ids = [0] * len(doc)
    for number, sent in enumerate(doc.sents):
        ids[sent.start : sent.end] = [number] * len(sent)
    return ids

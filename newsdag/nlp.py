"""Loading the spaCy pipeline and splitting it into newsdag's stages.

The model's parse components (tagger, parser, lemmatizer) share one tok2vec, while its
NER carries its own; so the tokenise stage and the NER stage can run the model's
components separately without doing any work twice. newsdag's own components
(line breaks as sentence boundaries, entity normalisation, quote extraction) are added
by their registered factory names.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from newsdag import entities as _entities  # noqa: F401  (registers newsdag_entities)
from newsdag import lines as _lines  # noqa: F401  (registers newsdag_line_breaks)
from newsdag import quotes as _quotes  # noqa: F401  (registers newsdag_quotes)
from newsdag.defaults import DEFAULT_MODEL
from newsdag.errors import ModelNotInstalled
from newsdag.store import temp_path


TOKENISE_PIPES = ("tok2vec", "tagger", "newsdag_line_breaks", "parser", "attribute_ruler", "lemmatizer")
NER_PIPES = ("ner", "newsdag_entities")
QUOTE_PIPES = ("newsdag_quotes",)
# What a DocBin keeps of a parsed doc: spaCy's defaults plus NORM, which the tokenizer
# sets per token and the NER model reads, so docs read back equal the docs written.
DOC_ATTRS = (
    "ORTH", "NORM", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID",
    "LEMMA", "MORPH", "POS", "SENT_START",
)


@functools.cache
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load ``model`` (an installed package name or a path) with newsdag's components.

    Cached per process: every stage of a run shares one loaded pipeline.
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelNotInstalled(model) from exc
    model_pipes = [name for name in TOKENISE_PIPES + NER_PIPES[:1] if not name.startswith("newsdag_")]
    missing = [name for name in model_pipes if name not in nlp.pipe_names]
    if missing:
        raise ModelNotInstalled(model, f"it lacks the components {missing}")
    nlp.add_pipe("newsdag_line_breaks", before="parser")
    nlp.add_pipe("newsdag_entities", after="ner")
    nlp.add_pipe("newsdag_quotes", last=True)
    return nlp


def model_id(nlp: Language) -> str:
    """Name and version of the model and of spaCy: part of every NLP cache key."""
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}/spacy-{spacy.__version__}"


def run_pipes(nlp: Language, docs: Iterable[Doc], names: Iterable[str], *, batch_size: int = 64) -> Iterator[Doc]:
    """Apply the named components of ``nlp`` to ``docs`` in order, streaming."""
    for name in names:
        component = nlp.get_pipe(name)
        docs = component.pipe(docs, batch_size=batch_size) if hasattr(component, "pipe") else map(component, docs)
    return iter(docs)


def make_docs(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    """Tokenise only (no statistical component): the input of the tokenise stage."""
    return (nlp.make_doc(text) for text in texts)


def save_docs(docs: Iterable[Doc], path: Path) -> None:
    """Write ``docs`` to ``path`` as a DocBin, atomically (temp file, then rename)."""
    bin_ = DocBin(attrs=DOC_ATTRS, store_user_data=True)
    for doc in docs:
        bin_.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    tmp.write_bytes(bin_.to_bytes())
    tmp.replace(path)


def load_docs(nlp: Language, path: Path) -> list[Doc]:
    """Read a DocBin written by :func:`save_docs`."""
    return list(DocBin(store_user_data=True).from_bytes(path.read_bytes()).get_docs(nlp.vocab))


class Handoff:
    """Parsed docs a stage has just saved, kept for the next stage in the same process.

    When a chunk's stages run one after another in one process, the next stage takes
    the docs from here instead of reading them back from disk; a stage that runs
    elsewhere, or later, reads the file. Only the latest chunk is kept, so memory stays
    flat however many chunks a worker runs.
    """

    def __init__(self, size: int = 1) -> None:
        self.size = size
        self._docs: OrderedDict[Path, list[Doc]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, path: Path, docs: list[Doc]) -> None:
        with self._lock:
            self._docs[path] = docs
            while len(self._docs) > self.size:
                self._docs.popitem(last=False)

    def take(self, nlp: Language, path: Path) -> list[Doc]:
        """The docs saved at ``path``: from memory once, otherwise from the file."""
        with self._lock:
            docs = self._docs.pop(path, None)
        return docs if docs is not None else load_docs(nlp, path)


handoff = Handoff()


def sentence_ids(doc: Doc) -> list[int]:
    """The 0-based sentence number of every token of ``doc``."""
    ids = [0] * len(doc)
    for number, sent in enumerate(doc.sents):
        ids[sent.start : sent.end] = [number] * len(sent)
    return ids

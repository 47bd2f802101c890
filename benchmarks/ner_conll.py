"""Entity precision, recall and F1 on CoNLL-2003 dev: the raw model against newsdag's normalised output.

Each CoNLL document is rebuilt as text (tokens joined by spaces, sentences by newlines) and run
through the same pipeline code as production: the tokenise stage, then the model's ``ner``
(whose entities are scored as "raw"), then ``newsdag_entities`` (scored as "newsdag"). Spans are
compared exactly, by character offsets, after mapping OntoNotes labels to CoNLL's four types.
The two NER steps are timed separately (in CPU time, so that other work on the machine does not skew
the ratio) to report what normalisation adds to the NER stage, on CoNLL and then on the BBC
corpus (``../shared/data/bbc``; all of it, or the first N articles given as the only argument).

Run from the repository root: ``python -m benchmarks.ner_conll [N]``. The data lives outside the
repository (its licence forbids copying it in); when it is absent the benchmark says so and exits 0.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from spacy.tokens import Doc

from newsdag.nlp import load_pipeline, make_docs, run_pipes
from newsdag.readers.common import decode
from newsdag.stages.tokenise import STAGE as TOKENISE

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CONLL_DEV = SHARED / "data" / "conll2003" / "dev.txt"
BBC = SHARED / "data" / "bbc"

_LABEL_MAP = {
    "PERSON": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
_TYPES = ("PER", "LOC", "ORG", "MISC")
_BATCH = 16

Mention = tuple[int, int, str]


class ConllDoc(NamedTuple):
    text: str
    gold: frozenset[Mention]


def _gold_spans(tokens: list[tuple[int, int, str]]) -> Iterator[Mention]:
    """IOB2 tags over (start_char, end_char, tag) tokens to (start_char, end_char, type) spans."""
    start = end = kind = None
    for tok_start, tok_end, tag in tokens + [(0, 0, "O")]:
        if kind is not None and not (tag.startswith("I-") and tag[2:] == kind):
            yield start, end, kind
            kind = None
        if tag.startswith("B-") or (tag.startswith("I-") and kind is None):
            start, kind = tok_start, tag[2:]
        if kind is not None:
            end = tok_end


def _documents(lines: Iterable[str]) -> Iterator[list[list[tuple[str, str]]]]:
    """The ``-DOCSTART-``-separated documents of a CoNLL file, as sentences of (token, NER tag)."""
    sentences: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []
    for line in [*lines, "-DOCSTART-"]:
        fields = line.split()
        if fields and fields[0] != "-DOCSTART-":
            sentence.append((fields[0], fields[-1]))
            continue
        if sentence:
            sentences.append(sentence)
            sentence = []
        if fields and sentences:
            yield sentences
            sentences = []


def read_conll(path: Path) -> list[ConllDoc]:
    """Rebuild every document of a CoNLL-2003 file as text (tokens joined by spaces, sentences by
    newlines) plus its gold spans as character offsets into that text."""
    docs = []
    for sentences in _documents(path.read_text(encoding="utf-8").splitlines()):
        tokens, offset = [], 0
        for word, tag in (pair for sentence in sentences for pair in sentence):
            tokens.append((offset, offset + len(word), tag))
            offset += len(word) + 1  # each token is followed by one space or newline
        text = "\n".join(" ".join(word for word, _ in sentence) for sentence in sentences)
        docs.append(ConllDoc(text, frozenset(_gold_spans(tokens))))
    return docs


def predicted(doc: Doc) -> frozenset[Mention]:
    """The doc's entities as CoNLL-typed character spans; types CoNLL does not annotate are dropped."""
    return frozenset(
        (ent.start_char, ent.end_char, _LABEL_MAP[ent.label_]) for ent in doc.ents if ent.label_ in _LABEL_MAP
    )


def scores(
    gold: Iterable[frozenset[Mention]], pred: Iterable[frozenset[Mention]], kind: str | None
) -> tuple[float, float, float]:
    """Exact-span precision, recall and F1 (in %) over all documents, for one type or all (``None``)."""
    tp = n_gold = n_pred = 0
    for g, p in zip(gold, pred, strict=True):
        if kind is not None:
            g = frozenset(m for m in g if m[2] == kind)
            p = frozenset(m for m in p if m[2] == kind)
        tp += len(g & p)
        n_gold += len(g)
        n_pred += len(p)
    precision = 100 * tp / n_pred if n_pred else 0.0
    recall = 100 * tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main(bbc_limit: int | None = None) -> int:
    if not CONLL_DEV.is_file():
        print(f"skipped: CoNLL-2003 dev not found at {CONLL_DEV}")
        return 0
    conll = read_conll(CONLL_DEV)
    nlp = load_pipeline()
    docs = list(run_pipes(nlp, make_docs(nlp, (d.text for d in conll)), TOKENISE.pipes))

    raw, normalised, ner_seconds, normalise_seconds = timed_ner(nlp, docs)
    gold = [d.gold for d in conll]
    print(f"CoNLL-2003 dev: {len(conll)} documents, {sum(len(g) for g in gold)} gold entities")
    print(f"{'type':<8}{'raw P':>8}{'R':>7}{'F1':>7}   {'newsdag P':>10}{'R':>7}{'F1':>7}   {'ΔF1':>6}")
    for kind in (*_TYPES, None):
        (p0, r0, f0), (p1, r1, f1) = scores(gold, raw, kind), scores(gold, normalised, kind)
        before, after = f"{p0:>8.2f}{r0:>7.2f}{f0:>7.2f}", f"{p1:>10.2f}{r1:>7.2f}{f1:>7.2f}"
        print(f"{kind or 'overall':<8}{before}   {after}   {f1 - f0:>+6.2f}")
    print(_cost("CoNLL dev", ner_seconds, normalise_seconds))
    bbc = sorted(BBC.glob("*/*.txt"))[:bbc_limit]
    if bbc:
        texts = [decode(path.read_bytes()) for path in bbc]
        bbc_docs = list(run_pipes(nlp, make_docs(nlp, texts), TOKENISE.pipes))
        _, _, ner_seconds, normalise_seconds = timed_ner(nlp, bbc_docs)
        print(_cost(f"BBC ({len(bbc)} articles)", ner_seconds, normalise_seconds))
    return 0


def timed_ner(nlp, docs: list[Doc]) -> tuple[list[frozenset[Mention]], list[frozenset[Mention]], float, float]:
    """Raw and normalised entities of ``docs``, and the CPU seconds of each step.

    Timed batch by batch, alternating, so that both steps run under the same machine load.
    """
    raw: list[frozenset[Mention]] = []
    normalised: list[frozenset[Mention]] = []
    ner_seconds = normalise_seconds = 0.0
    for first in range(0, len(docs), _BATCH):
        started = time.process_time()
        batch = list(run_pipes(nlp, docs[first : first + _BATCH], ["ner"]))
        ner_seconds += time.process_time() - started
        raw += map(predicted, batch)
        started = time.process_time()
        batch = list(run_pipes(nlp, batch, ["newsdag_entities"]))
        normalise_seconds += time.process_time() - started
        normalised += map(predicted, batch)
    return raw, normalised, ner_seconds, normalise_seconds


def _cost(corpus: str, ner_seconds: float, normalise_seconds: float) -> str:
    return (
        f"CPU time on {corpus}: ner {ner_seconds:.2f}s, newsdag_entities {normalise_seconds:.2f}s "
        f"(normalisation adds {100 * normalise_seconds / ner_seconds:.1f}% to the NER stage)"
    )


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else None))

"""Echoes: the same story and the same quotation across articles, Prefect-free and pure.

Stories: each article's text becomes word shingles of its normalised words, summarised
by a MinHash signature (:mod:`datasketch`); an LSH index over the signatures proposes
candidate pairs, and a pair is a copy when its estimated Jaccard similarity, or the
share of the shorter text it covers, is high. Stories are the connected groups of
copies, so a new batch only has to query the index with its own articles: the groups of
the earlier ones, joined by the new pairs, are exactly what a cold run would find.

Quotations: the same words after normalising case, marks, punctuation and whitespace,
or one a contiguous trimmed part of the other, are one group.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

# Words per shingle: long enough that unrelated articles share almost none.
SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 1
# The hashing scheme of the stored signatures: datasketch asks for it when they are read back.
SCHEME = "affine32"
# The LSH proposes pairs from about this Jaccard similarity; a pair is a copy at
# ``COPY_JACCARD``, or when it covers ``COPY_CONTAINMENT`` of the shorter text.
LSH_THRESHOLD = 0.3
COPY_JACCARD = 0.5
COPY_CONTAINMENT = 0.8
# A trimmed quotation joins a longer one only with at least this many words.
MIN_TRIMMED_WORDS = 5

_NON_WORD = re.compile(r"[^\w]+")


def words(text: str) -> list[str]:
    """The words of ``text``: NFKC, case-folded, marks and punctuation dropped (``don't`` → ``dont``)."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("'", "").replace("\u2019", "")
    return [w for w in _NON_WORD.sub(" ", folded).replace("_", " ").split() if w]


def shingles(tokens: Sequence[str], k: int = SHINGLE_WORDS) -> set[bytes]:
    """The distinct runs of ``k`` words (the whole text when shorter)."""
    if len(tokens) <= k:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i : i + k]).encode() for i in range(len(tokens) - k + 1)}


@dataclass(frozen=True)
class Signature:
    """An article's MinHash values and how many shingles it has (for containment)."""

    hashvalues: np.ndarray
    size: int


def signature(text: str) -> Signature:
    """The MinHash signature of ``text``'s shingles."""
    grams = shingles(words(text))
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    if grams:
        minhash.update_batch(list(grams))
    return Signature(np.asarray(minhash.hashvalues, dtype=np.uint32), len(grams))


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if not a.size or not b.size:
        return 0.0
    return float(np.count_nonzero(a.hashvalues == b.hashvalues)) / len(a.hashvalues)


def containment(a: Signature, b: Signature, jaccard: float) -> float:
    """Estimated share of the shorter text's shingles that the other one has too."""
    if not a.size or not b.size:
        return 0.0
    shared = jaccard * (a.size + b.size) / (1.0 + jaccard)
    return min(1.0, shared / min(a.size, b.size))


def is_copy(a: Signature, b: Signature) -> bool:
    jaccard = similarity(a, b)
    return jaccard >= COPY_JACCARD or containment(a, b, jaccard) >= COPY_CONTAINMENT


class _Groups:
    """Union-find over hashable items."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, x: Hashable) -> Hashable:
        parent = self.parent.setdefault(x, x)
        while parent != x:
            grand = self.parent.setdefault(parent, parent)
            self.parent[x] = grand
            x, parent = parent, grand
        return x

    def union(self, a: Hashable, b: Hashable) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def members(self) -> dict[Hashable, list[Hashable]]:
        out: dict[Hashable, list[Hashable]] = defaultdict(list)
        for x in list(self.parent):
            out[self.find(x)].append(x)
        return out


def _minhash(sig: Signature) -> LeanMinHash:
    """A stored signature as datasketch's read-only MinHash (no permutations to rebuild)."""
    return LeanMinHash(seed=SEED, hashvalues=sig.hashvalues, scheme=SCHEME)


def _lsh() -> MinHashLSH:
    return MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)


def stories(
    signatures: Mapping[str, Signature],
    order: Callable[[str], Any],
    *,
    known: Mapping[str, str] | None = None,
) -> dict[str, tuple[str, float]]:
    """doc_id -> (story_id, similarity to the story's first article) for every article.

    ``order`` sorts articles (earliest first); a story's id is its first article's
    doc_id. ``known`` (doc_id -> story_id of an earlier run over a subset of the same
    articles) is trusted: only the other articles query the index, so old pairs are
    never compared again.
    """
    known = {d: s for d, s in (known or {}).items() if d in signatures}
    index = _lsh()
    for doc_id, sig in signatures.items():
        if sig.size:
            index.insert(doc_id, _minhash(sig))
    groups = _Groups()
    for doc_id, story in known.items():
        groups.union(story if story in known else doc_id, doc_id)
    for doc_id, sig in signatures.items():
        groups.find(doc_id)
        if doc_id in known or not sig.size:
            continue
        for other in index.query(_minhash(sig)):
            if other != doc_id and is_copy(sig, signatures[other]):
                groups.union(other, doc_id)
    result: dict[str, tuple[str, float]] = {}
    for members in groups.members().values():
        first = min(members, key=order)
        for doc_id in members:
            score = 1.0 if doc_id == first else similarity(signatures[doc_id], signatures[first])
            result[doc_id] = (first, score)
    return result


@dataclass(frozen=True)
class Quote:
    """One quotation as the grouping needs it."""

    doc_id: str
    quote_id: int
    text: str


def quote_groups(quotes: Iterable[Quote]) -> dict[tuple[str, int], int]:
    """(doc_id, quote_id) -> a group number: the same words, or one a trimmed part of the other."""
    by_words: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for q in quotes:
        key = tuple(words(q.text))
        if key:
            by_words[key].append((q.doc_id, q.quote_id))
    groups = _Groups()
    distinct = list(by_words)
    # Every run of MIN_TRIMMED_WORDS words of every distinct quotation: a trimmed part
    # starts with one of its longer quotation's runs.
    runs: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for n, key in enumerate(distinct):
        groups.find(n)
        if len(key) >= MIN_TRIMMED_WORDS:
            for i in range(len(key) - MIN_TRIMMED_WORDS + 1):
                runs[key[i : i + MIN_TRIMMED_WORDS]].append(n)
    for n, key in enumerate(distinct):
        if len(key) < MIN_TRIMMED_WORDS:
            continue
        text = " " + " ".join(key) + " "
        for m in set(runs.get(key[:MIN_TRIMMED_WORDS], ())):
            if m != n and len(distinct[m]) > len(key) and text in " " + " ".join(distinct[m]) + " ":
                groups.union(m, n)
    number = {root: i for i, root in enumerate(sorted(groups.members(), key=lambda r: distinct[r]))}
    return {quote: number[groups.find(n)] for n, key in enumerate(distinct) for quote in by_words[key]}

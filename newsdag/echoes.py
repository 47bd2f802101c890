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

import hashlib
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsdag.signatures import NUM_PERM, SCHEME, SEED, SHINGLE_WORDS, Signature, shingles, signature  # noqa: F401 - re-exported
from newsdag.wording import text_key, words  # noqa: F401 - the grouping's words, re-exported

# The LSH proposes pairs from about this Jaccard similarity; a pair is a copy at
# ``COPY_JACCARD``, or when it covers ``COPY_CONTAINMENT`` of the shorter text.
LSH_THRESHOLD = 0.3
COPY_JACCARD = 0.5
COPY_CONTAINMENT = 0.8
# A trimmed quotation joins a longer one only with at least this many words.
MIN_TRIMMED_WORDS = 5


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


# The LSH's bands: two articles are candidates when all ROWS values of one band are
# equal. datasketch's choice for LSH_THRESHOLD and NUM_PERM (``MinHashLSH(...).b, .r``,
# checked by a test), written out because computing it imports SciPy, a second of a
# run's start-up.
BANDS, ROWS = 37, 3
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _splitmix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def band_keys(values: np.ndarray) -> np.ndarray:
    """(articles, NUM_PERM) MinHash values -> (articles, BANDS) uint64 keys, one per band:
    equal keys are equal bands (as datasketch's LSH buckets them), so the band index can
    be kept as plain sorted numbers and looked up without rebuilding it."""
    values = np.asarray(values, dtype=np.uint64).reshape(len(values), NUM_PERM)
    out = np.empty((len(values), BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(BANDS):
            h = _splitmix(np.full(len(values), band + 1, dtype=np.uint64) * _MIX)
            for row in range(ROWS):
                h = _splitmix(h ^ values[:, band * ROWS + row])
            out[:, band] = h
    return out


def stories(
    signatures: Mapping[str, Signature],
    order: Callable[[str], Any],
    *,
    known: Mapping[str, str] | None = None,
) -> dict[str, tuple[str, float]]:
    """doc_id -> (story_id, similarity to the story's first article) for every article.

    ``order`` sorts articles (earliest first); a story's id is its first article's
    doc_id. ``known`` (doc_id -> story_id of an earlier run over a subset of the same
    articles) is trusted: pairs of two known articles are never compared again.
    Candidates are the articles sharing a band; a pair is only compared when its two
    articles are not already in one group (the groups are the same either way).
    """
    known = {d: s for d, s in (known or {}).items() if d in signatures}
    ids = list(signatures)
    number = {d: n for n, d in enumerate(ids)}
    groups = _Groups()
    for doc_id, story in known.items():
        groups.union(number[story] if story in known else number[doc_id], number[doc_id])
    live = [n for n, d in enumerate(ids) if signatures[d].size]
    if live:
        keys = band_keys(np.stack([signatures[ids[n]].hashvalues for n in live])).ravel()
        rows = np.repeat(np.asarray(live), BANDS)
        for bucket in buckets(keys, rows):
            link_bucket(groups, [int(n) for n in bucket], lambda n: ids[n] in known,
                        lambda a, b: is_copy(signatures[ids[a]], signatures[ids[b]]))
    result: dict[str, tuple[str, float]] = {}
    members: dict[Hashable, list[str]] = defaultdict(list)
    for n, doc_id in enumerate(ids):
        members[groups.find(n)].append(doc_id)
    for docs in members.values():
        first = min(docs, key=order)
        for doc_id in docs:
            score = 1.0 if doc_id == first else similarity(signatures[doc_id], signatures[first])
            result[doc_id] = (first, score)
    return result


def buckets(keys: np.ndarray, rows: np.ndarray) -> Iterable[np.ndarray]:
    """The rows sharing a key, for every key more than one row has (rows ascending)."""
    order = np.lexsort((rows, keys))
    keys, rows = keys[order], rows[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
        yield np.unique(rows[start:end])


def link_bucket(groups: _Groups, bucket: Sequence[Hashable], known: Callable[[Hashable], bool],
                copy: Callable[[Hashable, Hashable], bool]) -> None:
    """Join the copies among one bucket's candidates, skipping pairs already in one group
    and pairs of two known articles."""
    if len(bucket) < 2:
        return
    if len({groups.find(n) for n in bucket}) == 1:
        return
    for i, a in enumerate(bucket):
        for b in bucket[i + 1 :]:
            if (known(a) and known(b)) or groups.find(a) == groups.find(b):
                continue
            if copy(a, b):
                groups.union(a, b)


@dataclass(frozen=True)
class Quote:
    """One quotation as the grouping needs it."""

    doc_id: str
    quote_id: int
    text: str


def is_trimmed_part(part: Sequence[str], whole: Sequence[str]) -> bool:
    """Is ``part`` (of at least MIN_TRIMMED_WORDS words) a contiguous part of the longer ``whole``?"""
    if len(part) < MIN_TRIMMED_WORDS or len(whole) <= len(part):
        return False
    return " " + " ".join(part) + " " in " " + " ".join(whole) + " "


def run_hashes(key: Sequence[str]) -> list[int]:
    """A 64-bit hash of each run of MIN_TRIMMED_WORDS words of a quotation's words, in
    order: a trimmed part's first run is one of its longer quotation's runs."""
    return [
        int.from_bytes(hashlib.blake2b(" ".join(key[i : i + MIN_TRIMMED_WORDS]).encode(), digest_size=8).digest(), "little")
        for i in range(len(key) - MIN_TRIMMED_WORDS + 1)
    ]


def key_groups(keys: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """text_key -> a root text_key, for distinct quotations' words: the same root when one
    is a trimmed part of the other (transitively)."""
    groups = _Groups()
    runs: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key, found in keys.items():
        groups.find(key)
        for i in range(len(found) - MIN_TRIMMED_WORDS + 1):
            runs[tuple(found[i : i + MIN_TRIMMED_WORDS])].append(key)
    for key, found in keys.items():
        if len(found) < MIN_TRIMMED_WORDS:
            continue
        for other in set(runs.get(tuple(found[:MIN_TRIMMED_WORDS]), ())):
            if other != key and is_trimmed_part(found, keys[other]):
                groups.union(other, key)
    return {key: groups.find(key) for key in keys}


def quote_groups(quotes: Iterable[Quote]) -> dict[tuple[str, int], str]:
    """(doc_id, quote_id) -> a group (a root text_key): the same words, or one a trimmed part of the other."""
    by_key: dict[str, list[tuple[str, int]]] = defaultdict(list)
    found: dict[str, list[str]] = {}
    for q in quotes:
        key = text_key(q.text)
        if key:
            by_key[key].append((q.doc_id, q.quote_id))
            found.setdefault(key, words(q.text))
    roots = key_groups(found)
    return {quote: roots[key] for key, quoted in by_key.items() for quote in quoted}

"""An article's MinHash signature: what the echoes stage keeps per chunk.

Apart from the grouping (:mod:`newsdag.echoes`) so that the kept signatures are named by
this file and the words only: a change to how stories are grouped does not hash every
article again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsdag.wording import words

# Words per shingle: long enough that unrelated articles share almost none.
SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 1
# The hashing scheme of the stored signatures: datasketch asks for it when they are read back.
SCHEME = "affine32"


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
    from datasketch import MinHash  # here: importing datasketch costs every worker half a second

    grams = shingles(words(text))
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    if grams:
        minhash.update_batch(list(grams))
    return Signature(np.asarray(minhash.hashvalues, dtype=np.uint32), len(grams))

"""Perceived gender of a person, as news text conventionally marks it.

What is inferred is the gender the text presents, binary or unknown: from the
article's own evidence first (an honorific before the name — Mr, Mrs, Ms, Sir, Dame,
Lord, Lady, Baroness —, a gendered noun or title — "spokeswoman", "chairman" —, the
pronouns that refer to the person), and only then from the first name, by the name
lists of the maintained ``gender-guesser`` package. Nothing is inferred for names the
list calls androgynous or does not know: those stay ``unknown``. It is a convention of
the text, not a fact about the person, and analyses should say so.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping
from typing import NamedTuple

from newsdag.names import FEMALE_WORDS, HONORIFIC_GENDER, MALE_WORDS

MALE, FEMALE, UNKNOWN = "male", "female", "unknown"
# Not a gender: what the text calls a thing ("its"), which tells that a name is no person's.
NEUTER = "neuter"
# Kinds of evidence, strongest first: a later kind decides only when no earlier one does.
EVIDENCE = ("honorific", "noun", "pronoun", "first_name")
_PRONOUNS = {"he": MALE, "him": MALE, "his": MALE, "himself": MALE, "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE}
# Share of the votes of one kind that the winning gender must have: a text mistakes a
# pronoun's referent now and then, so a few stray votes do not overturn many.
_MAJORITY = 0.75


class Gender(NamedTuple):
    gender: str
    evidence: str | None


def word_gender(word: str) -> str | None:
    """Gender an honorific or a gendered noun marks ("Mrs" → female, "chairman" → male)."""
    lower = word.lower().rstrip(".")
    if lower in HONORIFIC_GENDER:
        return HONORIFIC_GENDER[lower]
    return MALE if lower in MALE_WORDS else FEMALE if lower in FEMALE_WORDS else None


def honorific_gender(word: str) -> str | None:
    return HONORIFIC_GENDER.get(word.lower().rstrip("."))


def pronoun_gender(word: str) -> str | None:
    return _PRONOUNS.get(word.lower())


_NEUTER_PRONOUNS = ("its", "itself")
# Every pronoun that tells something of its referent: gendered, or "its".
PRONOUN_WORDS = (*_PRONOUNS, *_NEUTER_PRONOUNS)


def neuter_pronoun(word: str) -> bool:
    """Is ``word`` the possessive a text uses for a thing or an organisation ("its")?"""
    return word.lower() in _NEUTER_PRONOUNS


@functools.cache
def first_names():
    """The first-name lists, parsed once per process (about 0.4 s: a start-up cost,
    loaded with the model)."""
    import gender_guesser.detector as guesser

    return guesser.Detector(case_sensitive=False)


@functools.lru_cache(maxsize=65536)
def first_name_gender(name: str) -> str | None:
    """Gender the first-name lists give ``name`` (also "mostly" so), or None when they
    call it androgynous or do not know it. Initials and one-letter words are not names."""
    if len(name.rstrip(".")) < 2 or not name[:1].isalpha():
        return None
    answer = first_names().get_gender(name.strip(".").split("-")[0])
    return {"male": MALE, "mostly_male": MALE, "female": FEMALE, "mostly_female": FEMALE}.get(answer)


def decide(votes: Mapping[tuple[str, str], int], first_name: str | None = None, *, names: bool = True) -> Gender:
    """The gender the evidence supports: ``votes`` counts (evidence kind, gender) pairs;
    the strongest kind with a clear majority decides, else the first name (when
    ``names``), else unknown."""
    for kind in EVIDENCE[:-1]:
        counts = Counter({g: n for (k, g), n in votes.items() if k == kind})
        total = sum(counts.values())
        if total:
            gender, n = counts.most_common(1)[0]
            if n / total >= _MAJORITY:
                return Gender(gender, kind)
    if names and first_name:
        gender = first_name_gender(first_name)
        if gender is not None:
            return Gender(gender, "first_name")
    return Gender(UNKNOWN, None)

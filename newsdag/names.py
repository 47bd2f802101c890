"""Names of people and organisations: titles, honorifics, cleaning and compatibility.

One place for what the entity normaliser, the quote speakers and the corpus-level
resolution of actors all need to agree on: which words are titles rather than names
("Secretary of State", "Mr"), how a written name is reduced to the name itself
("Chancellor Gordon Brown" → "Gordon Brown", role "Chancellor"), when two names can be
one person ("Blair" ~ "Tony Blair"), and which entity labels can speak.

Titles and honorifics come from the maintained ``nameparser`` package, extended by the
few multi-word forms news writes before a name; the gender a title or noun conventionally
marks is in ``resources/names.json``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from nameparser import HumanName
from nameparser.config import CONSTANTS
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

_RESOURCES = Path(__file__).resolve().parent / "resources"
_LEXICON = json.loads((_RESOURCES / "names.json").read_text(encoding="utf-8"))

# Entity labels whose mentions can speak, and those of them that are not a person.
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
GROUP_LABELS = frozenset({"ORG", "GPE", "NORP"})

# Titles as lowercase token sequences (the tokenizer splits "secretary-general" at the
# hyphen). A person's title is not part of the name; it marks the following name as a
# PERSON. Words that also start organisation names ("General Motors", "Justice
# Department") are left out.
TITLE_SEQUENCES = frozenset(tuple(title.split()) for title in _LEXICON["title_sequences"])
_MAX_TITLE_TOKENS = max(map(len, TITLE_SEQUENCES))
_TITLE_FIRST_WORDS = frozenset(title[0] for title in TITLE_SEQUENCES)
_TITLE_LAST_WORDS = frozenset(title[-1] for title in TITLE_SEQUENCES)
TITLE_LAST_IDS = frozenset(map(get_string_id, _TITLE_LAST_WORDS))
# Words that may stand before a written name without being part of it ("Former
# Secretary of State John Kerry"): single title words and their joiners.
TITLE_WORDS = frozenset(_LEXICON["title_words"])

MALE_WORDS = frozenset(_LEXICON["male"])
FEMALE_WORDS = frozenset(_LEXICON["female"])
# Honorifics that mark a person's gender by convention ("Mr", "Dame", "Baroness").
HONORIFIC_GENDER: dict[str, str] = {
    **{word: "male" for word in _LEXICON["male_honorifics"]},
    **{word: "female" for word in _LEXICON["female_honorifics"]},
}

# Honorifics that stand before a first name ("Sir John" is John Bourn, not Elton John).
FIRST_NAME_HONORIFICS = frozenset(_LEXICON["first_name_honorifics"])
# Honorifics of peers, which with a surname alone are the usual name ("Lord Woolf").
PEERAGE = frozenset(_LEXICON["peerage"])
# Suffixes after a name ("Jr", "III", "QC", "MP", "OBE"), by nameparser's lists.
NAME_SUFFIXES = frozenset(CONSTANTS.suffix_acronyms) | frozenset(CONSTANTS.suffix_not_acronyms)
_DETERMINERS = frozenset({"the", "a", "an"})
POSSESSIVES = ("’s", "'s", "’", "'")


def name_key(text: str) -> str:
    """Comparison form of a name: case, periods, spacing, a leading "the" and an "ex-" do not
    matter ("The U.S." = "US", "ex-Yukos" = "Yukos")."""
    words = text.replace(".", "").casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    if words and words[0].startswith("ex-") and len(words[0]) > 3:
        words[0] = words[0][3:]
    return " ".join(words)


def entity_key(canonical: str, label: str) -> str:
    """Cross-article key of a referent: its label plus its case- and spacing-normalised canonical name."""
    return f"{label}:{' '.join(canonical.casefold().split())}"


# ------------------------------------------------------------------ titles in a Doc
def is_title_sequence(doc: Doc, start: int, end: int) -> bool:
    return tuple(t.lower_ for t in doc[start:end]) in TITLE_SEQUENCES


def title_before(doc: Doc, i: int) -> int | None:
    """Start of the longest title ("Secretary of State", "Mr.") ending right before token ``i``, if any."""
    if i == 0 or doc[i - 1].lower_ not in _TITLE_LAST_WORDS:
        return None
    for n in range(min(_MAX_TITLE_TOKENS, i), 0, -1):
        if is_title_sequence(doc, i - n, i):
            return i - n
    return None


def title_at(doc: Doc, start: int, end: int) -> int:
    """Length of the longest title starting at token ``start`` within ``doc[start:end]`` (0 if none)."""
    if start >= end or doc[start].lower_ not in _TITLE_FIRST_WORDS:
        return 0
    for n in range(min(_MAX_TITLE_TOKENS, end - start), 0, -1):
        if is_title_sequence(doc, start, start + n):
            return n
    return 0


# ------------------------------------------------------------------ written names
def strip_name(text: str) -> str:
    """``text`` without a leading determiner or trailing possessive."""
    words = text.split()
    if len(words) > 1 and words[0].lower() in _DETERMINERS:
        words = words[1:]
    name = " ".join(words)
    for suffix in POSSESSIVES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def without_titles(words: list[str]) -> list[str]:
    """``words`` without leading title words that precede a capitalised word."""
    while len(words) > 1 and words[0].lower() in TITLE_WORDS and words[1][:1].isupper():
        words = words[1:]
    return words


def is_title_word(word: str) -> bool:
    """A title or honorific by ``nameparser``'s list or newsdag's own ("Chancellor", "Dr.", "Actor")."""
    lower = word.lower().rstrip(".")
    return lower in CONSTANTS.titles or lower in TITLE_WORDS or word.lower() in TITLE_WORDS


class CleanName(NamedTuple):
    """A written person name split into the name itself and what stood before it."""

    name: str
    title: str


@functools.lru_cache(maxsize=65536)
def clean_person_name(text: str) -> CleanName:
    """The name inside a written person name, and the words before it that are not name.

    ``nameparser`` separates titles, honorifics, suffixes and nicknames ("Sir Alex
    Ferguson" → "Alex Ferguson", "Sir"; 'Bill "Slick" Clinton' → "Bill Clinton"); a
    pre-modifier it does not know as a title ("Songwriter Guy Chambers", "Liberal Democrat
    Charles Kennedy") goes too when a known first name follows it and it is none. An honorific
    inside the text ends whatever stood before it ("Tanzania Mr Brown" → "Brown"); a
    peer's honorific with a surname alone is the usual name ("Lord Woolf").
    """
    words = strip_name(" ".join(text.split())).split()
    lowered = [w.lower().rstrip(".") for w in words]
    honorific = max((k for k, w in enumerate(lowered[:-1]) if w in HONORIFIC_GENDER), default=None)
    titled: list[str] = []
    if honorific is not None:
        keep = honorific if lowered[honorific] in PEERAGE and len(words) == honorific + 2 else honorific + 1
        titled, words = words[:keep], words[keep:]
        if keep == honorific:
            return CleanName(" ".join(words), " ".join(titled))
    while len(words) > 1 and is_title_word(words[0]) and words[1][:1].isupper():
        titled.append(words.pop(0))
    parsed = HumanName(" ".join(words))
    if parsed.title and parsed.last:
        titled.extend(parsed.title.split())
        words = " ".join(p for p in (parsed.first, parsed.middle, parsed.last, parsed.suffix) if p).split()
    elif parsed.nickname:
        words = " ".join(p for p in (parsed.first, parsed.middle, parsed.last, parsed.suffix) if p).split()
    from newsdag.gender import first_name_gender  # the first-name list loads only when asked

    first = next((k for k, w in enumerate(words[:-1]) if first_name_gender(w) is not None), 0)
    if first > 0 and len(words) - first >= 2:
        titled.extend(words[:first])
        words = words[first:]
    return CleanName(" ".join(words), " ".join(titled))


# ------------------------------------------------------------------ same person
def person_name(span: Span | Iterable[Token]) -> tuple[str, ...]:
    """Casefolded name parts without periods or suffixes: "Antony J. Blinken Jr." → ("antony", "j", "blinken")."""
    parts = [t.lower_.replace(".", "") for t in span if not (t.is_punct or t.is_space or t.text in POSSESSIVES)]
    return _without_suffixes(parts)


@functools.lru_cache(maxsize=65536)
def name_parts(text: str) -> tuple[str, ...]:
    """:func:`person_name` of a name written as a string."""
    return _without_suffixes([w.replace(".", "") for w in strip_name(text).casefold().split()])


def _without_suffixes(parts: list[str]) -> tuple[str, ...]:
    while parts and parts[-1] in NAME_SUFFIXES:
        parts.pop()
    return tuple(p for p in parts if p)


def _part_matches(a: str, b: str) -> bool:
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def same_person(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether the name ``short`` can refer to the person named ``full``: same surname, and its other parts
    are, in order, parts or initials of ``full``'s ("Blinken", "J. Blinken", "Tony Blinken" no)."""
    if not short or not full or short[-1] != full[-1] or len(short) > len(full):
        return False
    given = iter(full[:-1])
    return all(any(_part_matches(part, other) for other in given) for part in short[:-1])


def person_roots(names: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Map each multi-part person name to the fullest name of its person.

    Longer names are placed first; a name joins an earlier one only when exactly one is compatible, so
    "Bill Clinton" and "Hillary Clinton" stay two people and "Hillary Rodham Clinton" absorbs
    "Hillary Clinton".
    """
    roots: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in sorted(set(names), key=len, reverse=True):
        compatible = {root for root in roots.values() if same_person(name, root)}
        roots[name] = compatible.pop() if len(compatible) == 1 else name
    return roots

"""What an article says about the people it names: their roles and the gender the text marks.

Runs over a Doc whose entities the normaliser has clustered (``Span.id_`` is the cluster).
A *role* is what the article puts beside a name: a title before it ("Chancellor Gordon
Brown", "Secretary of State Antony J. Blinken"), a noun phrase modifying it ("England
coach Sven-Goran Eriksson", "Wal-Mart spokesman Guy Whitcomb") or an apposition ("Jens
Stoltenberg, NATO secretary-general,"). The *gender evidence* is the strongest kind the
article gives: an honorific before a mention, a gendered noun in a role, or third-person
pronouns outside quotations whose only possible referent in reach is that person ("its"
there records "neuter": the text treats the name as a thing's).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from newsdag.gender import NEUTER, PRONOUN_WORDS, decide, honorific_gender, neuter_pronoun, pronoun_gender, word_gender
from newsdag.names import SPEAKER_LABELS, title_before
from newsdag.quotes.marks import find_quote_regions

# Dependents of a name that describe the person rather than name them.
_ROLE_DEPS = frozenset({"compound", "amod", "nmod", "poss", "npadvmod"})
_ROLE_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "PART"})
_ROLE_JOINERS = frozenset({"of", "for", "at", "'s", "’s", "-", "the"})
_MAX_ROLE_WORDS = 8
# Where :func:`people_of` keeps a doc's people.
_PEOPLE = "newsdag_people"
# Sentences back from a pronoun in which its referent may stand.
_PRONOUN_REACH = 2
_PRONOUN_IDS = np.array([get_string_id(w) for w in PRONOUN_WORDS], dtype=np.uint64)


class Person(NamedTuple):
    """One person cluster of an article: its role as written and the gender the text marks."""

    role: str | None
    gender: str | None
    evidence: str | None


def describe_people(doc: Doc) -> dict[int, Person]:
    """Per cluster (``int(Span.id_)``) of a name that can speak: the fullest role the
    article gives and the gender its evidence supports (None where it gives none).

    Names the model did not label PERSON are described too ("Mr Eriksson" read as an ORG):
    their honorifics and roles are what tells, across the corpus, that they are people.
    Pronouns count only for PERSON names."""
    named = [e for e in doc.ents if e.label_ in SPEAKER_LABELS]
    people = [e for e in named if e.label_ == "PERSON"]
    if not named:
        return {}
    roles: dict[int, str] = {}
    votes: dict[int, Counter] = defaultdict(Counter)
    for ent in named:
        cluster = int(ent.id_)
        role = role_of(ent)
        if role and len(role) > len(roles.get(cluster, "")):
            roles[cluster] = role
        for word, kind in _marking_words(ent, role):
            gender = word_gender(word)
            if gender is not None:
                votes[cluster][kind, gender] += 1
    for cluster, gender in pronoun_votes(doc, people):
        votes[cluster]["pronoun", gender] += 1
    described = {}
    for cluster in {int(e.id_) for e in named}:
        decided = decide(votes[cluster], names=False)
        known = decided.evidence is not None
        described[cluster] = Person(roles.get(cluster), decided.gender if known else None, decided.evidence)
    return described


def people_of(doc: Doc) -> dict[int, Person]:
    """:func:`describe_people` of ``doc``, computed once: the entity rows and the quote
    sources of one doc both need it, and its entities do not change in between."""
    if _PEOPLE not in doc.user_data:
        doc.user_data[_PEOPLE] = describe_people(doc)
    return doc.user_data[_PEOPLE]


def _marking_words(ent: Span, role: str | None) -> Iterable[tuple[str, str]]:
    """Words that may mark the gender of ``ent``: the honorific right before it, its role's words."""
    start = title_before(ent.doc, ent.start)
    if start is not None:
        for token in ent.doc[start : ent.start]:
            yield token.text, "honorific"
    for word in (role or "").replace("-", " ").split():
        yield word, "noun"


def role_of(ent: Span) -> str | None:
    """The role written beside one mention: a title right before it, the describing
    words before it that the parse hangs on the name, or a comma-set apposition."""
    doc = ent.doc
    title = title_before(doc, ent.start)
    start = _modifiers_start(ent, ent.start if title is None else title)
    end = ent.start
    while end > start and honorific_gender(doc[end - 1].text):
        end -= 1
    if start < end:
        role = _clean_role(doc[start:end])
        if role is not None and not all(honorific_gender(w) or w.lower().rstrip(".") == "dr" for w in role.split()):
            return role
    apposition = _apposition(ent)
    return _clean_role(apposition) if apposition is not None else None


def _modifiers_start(ent: Span, start: int) -> int:
    """First token of the describing phrase that ends at ``start``, right before ``ent``,
    and depends on it ("England" in "England coach Sven-Goran Eriksson"); ``start`` if none."""
    doc = ent.doc
    root = ent.root
    i = start - 1
    while i >= 0 and ent.start - i <= _MAX_ROLE_WORDS:
        token = doc[i]
        if token.is_space or "\n" in token.whitespace_ or token.ent_type_ == "PERSON":
            break
        if not (token.pos_ in _ROLE_POS or token.lower_ in _ROLE_JOINERS):
            break
        if not _depends_on(token, root, ent):
            break
        i -= 1
    first = i + 1
    while first < start and (doc[first].lower_ in _ROLE_JOINERS or doc[first].pos_ == "PART"):
        first += 1
    return first


def _depends_on(token: Token, root: Token, ent: Span) -> bool:
    """Does ``token`` hang (through words before the name) on the name's root?"""
    seen = 0
    while token.i != token.head.i and seen < _MAX_ROLE_WORDS:
        if token.head.i == root.i or ent.start <= token.head.i < ent.end:
            return token.dep_ in _ROLE_DEPS or token.head.i != root.i
        if token.head.i > ent.end or token.head.i < token.i - _MAX_ROLE_WORDS:
            return False
        token = token.head
        seen += 1
    return False


def _apposition(ent: Span) -> Span | None:
    """The noun phrase set off by a comma right after the name ("X, NATO secretary-general,")."""
    doc = ent.doc
    if ent.end + 1 >= len(doc) or doc[ent.end].text != ",":
        return None
    child = next((c for c in ent.root.children if c.dep_ == "appos" and c.i > ent.end), None)
    if child is None or child.ent_type_ == "PERSON" or child.pos_ not in ("NOUN", "PROPN"):
        return None
    end = ent.end + 1
    while end < len(doc) and end - ent.end <= _MAX_ROLE_WORDS and not _ends_apposition(doc[end]):
        end += 1
    if end - ent.end > _MAX_ROLE_WORDS or end == ent.end + 1:
        return None
    return doc[ent.end + 1 : end]


def _ends_apposition(token: Token) -> bool:
    return token.text in (",", ".", ";", ":", "(", ")") or token.pos_ in ("VERB", "AUX") or "\n" in token.text


def _clean_role(span: Span) -> str | None:
    words = [t for t in span if not t.is_punct or t.text in ("-", "'s", "’s")]
    while words and (words[0].lower_ in ("the", "a", "an") or words[0].is_punct):
        words = words[1:]
    while words and words[-1].is_punct:
        words = words[:-1]
    if not words:
        return None
    return " ".join(span.doc[words[0].i : words[-1].i + 1].text.split()) or None


def pronoun_votes(doc: Doc, people: list[Span]) -> Iterable[tuple[int, str]]:
    """(cluster, gender) for each he/she/his/her outside quotations whose only person
    mentioned in its sentence or the one before (before the pronoun) is one cluster; and
    (cluster, "neuter") for an "its" there, which a text writes of a thing: the name read
    as a person's may be an organisation's ("Yukos and its main unit")."""
    if not doc.has_annotation("SENT_START"):
        return
    lowers = doc.to_array("LOWER")
    found = np.flatnonzero(np.isin(lowers, _PRONOUN_IDS))
    if not len(found):
        return
    sentence = np.cumsum(doc.to_array("SENT_START") == 1)  # the sentence number of each token
    text = doc.text
    quoted = [(r.open_mark, r.end + 1) for r in find_quote_regions(text)]
    mentions = sorted((e.start, int(sentence[e.start]), int(e.id_)) for e in people)
    k = 0
    recent: list[tuple[int, int]] = []  # (sentence, cluster) of the mentions seen so far
    for i in found.tolist():
        while k < len(mentions) and mentions[k][0] < i:
            recent.append((mentions[k][1], mentions[k][2]))
            k += 1
        token = doc[i]
        gender = NEUTER if neuter_pronoun(token.text) else pronoun_gender(token.text)
        if gender is None or any(a <= token.idx < b for a, b in quoted):
            continue
        here = int(sentence[i])
        clusters = {c for s, c in recent if here - s < _PRONOUN_REACH}
        if len(clusters) == 1:
            yield clusters.pop(), gender

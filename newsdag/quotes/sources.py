"""What kind of source a quotation's speaker is, resolved inside its article.

A speaker mention is a name ("Mr Blair", "Yukos"), a pronoun the resolver has tied to a
name, or a noun phrase without one. Nominal speakers are resolved the way a reader
resolves them: "the company" / "the firm" / "the club" is the organisation the article
names; "the prime minister" / "the coach" is the person the article gives that role
("the 34-year-old": the person the article is about); "a spokesman for X" / "an X
spokeswoman" is an unnamed source speaking for X; "the report" / "a survey" is a
document, or its issuer when the article names one ("an OECD report" → the OECD);
"analysts", "critics", "MPs" are a group and stay unnamed.

Corpus-level identity (one actor per real-world person or organisation across
articles) is decided later, over all articles, from the ``speaker_key`` given here.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from nameparser.config import CONSTANTS
from spacy.tokens import Doc, Span, Token

from newsdag.gender import FEMALE, MALE, first_name_gender, pronoun_gender, word_gender
from newsdag.names import GROUP_LABELS, SPEAKER_LABELS, entity_key, strip_name
from newsdag.people import Person
from newsdag.plan import digest
from newsdag.quotes.lexicon import PERSON_NOUNS

_LEXICON = json.loads((Path(__file__).resolve().parent.parent / "resources" / "sources.json").read_text("utf-8"))
ORGANISATION_NOUNS = frozenset(_LEXICON["organisation_nouns"])
DOCUMENT_NOUNS = frozenset(_LEXICON["document_nouns"])
SPOKESPERSON_NOUNS = frozenset(_LEXICON["spokesperson_nouns"])
PERSON_ROLE_NOUNS = frozenset(_LEXICON["person_role_nouns"])

PERSON, ORGANISATION, UNNAMED, GROUP, DOCUMENT, UNKNOWN = "person", "organisation", "unnamed", "group", "document", "unknown"
_INDEFINITE = frozenset({"a", "an", "one", "another", "some", "any"})
_DEFINITE = frozenset({"the", "this", "that", "his", "her", "its", "their", "our", "my", "your"})
# Sentences back in which "the 34-year-old" may find the person meant.
_EPITHET_REACH = 3
# Mentions that make a person the one an article is about.
_MAIN_PERSON_MENTIONS = 3


def speaker_ref(key: str | None, kind: str | None, role: str | None, gender: str | None,
                mention: str | None, canonical: str | None) -> str:
    """A hash of the quotation columns its corpus-level speaker depends on (see the actors
    stage), so that ``quote_speakers`` holds one row per distinct speaker, not per quotation."""
    fields = [key, kind, role, gender, canonical]
    the = "1" if (mention or "").lower().startswith("the ") else "0"
    return digest("speaker", the, *("\x00" if f is None else "=" + f for f in fields))


def is_person_role(role: str) -> bool:
    """Is ``role`` one only a person holds ("England coach", "the 34-year-old"), not an
    organisation's description ("Russian oil giant")?"""
    last = role.lower().replace("’s", "").split()[-1] if role.split() else ""
    if last.endswith("-old") or last.split("-")[0] in PERSON_ROLE_NOUNS:
        return True  # "34-year-old", "mother-of-nine"
    if last in ORGANISATION_NOUNS or last in DOCUMENT_NOUNS:
        return False
    return last in PERSON_ROLE_NOUNS or last in CONSTANTS.titles


class Source(NamedTuple):
    """A quotation's speaker as its article presents it.

    ``key`` is the ``entity_key`` of the named entity the speaker resolves to (None for
    unnamed, group, document and unknown sources); ``name`` its canonical name in the
    article."""

    type: str
    name: str | None
    key: str | None
    role: str | None
    affiliation: str | None
    gender: str | None


UNKNOWN_SOURCE = Source(UNKNOWN, None, None, None, None, None)


class _Entities:
    """The doc's entity clusters, looked up by token and by canonical name."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # spaCy builds it anew on each access
        # first token of each sentence, to find a token's sentence without walking the doc
        self.sentence_starts = [s.start for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        self.at: dict[int, Span] = {}
        self.by_name: dict[str, Span] = {}
        self.mentions: Counter[int] = Counter()
        self.first: dict[int, Span] = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.at[i] = ent
            cluster = int(ent.id_) if ent.id_ else -1
            self.mentions[cluster] += 1
            self.first.setdefault(cluster, ent)
            if ent.label_ in SPEAKER_LABELS:
                self.by_name.setdefault(ent.kb_id_ or ent.text, ent)

    def sentence(self, i: int) -> int:
        """The number of the sentence holding token ``i``."""
        return bisect.bisect_right(self.sentence_starts, i) - 1

    def sentence_start(self, number: int) -> int:
        return self.sentence_starts[max(number, 0)]

    def sentence_end(self, number: int) -> int:
        return self.sentence_starts[number + 1] if number + 1 < len(self.sentence_starts) else len(self.doc)

    def within(self, span: Span, labels: frozenset[str]) -> list[Span]:
        found = {self.at[i].start: self.at[i] for i in range(span.start, span.end) if i in self.at}
        return [e for _, e in sorted(found.items()) if e.label_ in labels]


def describe_sources(
    doc: Doc,
    speakers: Sequence[tuple[int | None, int | None, str | None]],
    people: dict[int, Person],
) -> list[Source]:
    """One :class:`Source` per ``(speaker_start_char, speaker_end_char, speaker_canonical)``
    of a quotation of ``doc`` (offsets None when no mention), in the same order.

    ``people`` is :func:`newsdag.people.describe_people` of ``doc``.
    """
    entities = _Entities(doc)
    sources: list[Source] = []
    last_person: Source | None = None
    previous: Source | None = None  # the source of the quotation before
    for start, end, canonical in speakers:
        source = _describe(doc, start, end, canonical, entities, people)
        written = entities.text[start:end] if start is not None and end is not None else ""
        pronoun = pronoun_gender(written)
        if pronoun is not None and source.type == PERSON and _source_gender(source, entities, people) not in (None, pronoun):
            # "she" tied to a man: the last woman named before it ("Mrs Howard ... she said")
            person = _last_person(entities, people, before=start, gender=pronoun)
            source = _named(person, entities, people) if person is not None else UNKNOWN_SOURCE
        if pronoun is not None and last_person is not None and _unresolved(source, entities, people):
            if last_person.gender in (None, pronoun):
                source = last_person  # "he said", far from any name: the person quoted last
        if written.lower() == "it" and previous is not None and previous.type == ORGANISATION and source.name != previous.name:
            source = previous  # "the company denied ...; “...,” it said": the organisation just quoted
        if not _unresolved(source, entities, people):
            last_person = source
        previous = source
        sources.append(source)
    return sources


def _last_person(entities: _Entities, people: dict[int, Person], *, before: int, gender: str) -> Span | None:
    """The last person named before character ``before`` whose gender the article (or the
    first name) marks as ``gender``."""
    found = None
    for i, ent in sorted(entities.at.items()):
        if ent.start != i or ent.label_ != "PERSON" or ent.start_char >= before:
            continue
        if _gender_of(ent, people) == gender:
            found = ent
    return found


def _source_gender(source: Source, entities: _Entities, people: dict[int, Person]) -> str | None:
    ent = entities.by_name.get(source.name) if source.name else None
    return _gender_of(ent, people) if ent is not None else source.gender


def _gender_of(ent: Span, people: dict[int, Person]) -> str | None:
    person = people.get(int(ent.id_) if ent.id_ else -1)
    if person is not None and person.gender is not None:
        return person.gender
    words = (ent.kb_id_ or ent.text).split()
    return first_name_gender(words[0]) if len(words) > 1 else None


def _unresolved(source: Source, entities: _Entities, people: dict[int, Person]) -> bool:
    """Did a pronoun find no person: nothing, a noun phrase, or a one-word name nothing marks
    as a person's ("Energis")?"""
    if source.type != PERSON:
        return True
    ent = entities.by_name.get(source.name) if source.name else None
    return ent is not None and _organisation_like(ent, people)


def _named(ent: Span, entities: _Entities, people: dict[int, Person], role: str | None = None) -> Source:
    cluster = int(ent.id_) if ent.id_ else -1
    name = ent.kb_id_ or strip_name(ent.text)
    if ent.label_ == "PERSON":
        person = people.get(cluster)
        written = person.role if person is not None else None
        gender = person.gender if person is not None and person.gender in (MALE, FEMALE) else None
        role = written or role
        return Source(PERSON, name, entity_key(name, ent.label_), role, _affiliation(role, entities), gender)
    return Source(ORGANISATION, name, entity_key(name, ent.label_), None, None, None)


def _affiliation(role: str | None, entities: _Entities) -> str | None:
    """The organisation a person's role names, when an entity of the article spells it."""
    if not role:
        return None
    for other in entities.by_name.values():
        if other.label_ in ("ORG", "NORP") and other.text in role:
            return other.kb_id_ or other.text
    return None


def _describe(
    doc: Doc, start: int | None, end: int | None, canonical: str | None, entities: _Entities, people: dict[int, Person]
) -> Source:
    mention = doc.char_span(start, end, alignment_mode="expand") if start is not None and end is not None else None
    if mention is None or len(mention) == 0:
        ent = entities.by_name.get(canonical) if canonical else None
        return _named(ent, entities, people) if ent is not None else UNKNOWN_SOURCE
    head = mention.root
    ent = entities.at.get(head.i)
    if ent is not None and ent.label_ in SPEAKER_LABELS:
        return _named(ent, entities, people)
    if head.pos_ == "PRON" or head.tag_ in ("PRP", "WP", "WDT"):
        resolved = entities.by_name.get(canonical) if canonical else None
        if resolved is not None:
            return _named(resolved, entities, people)
        return _nominal_by_text(canonical) if canonical and canonical.lower() != head.lower_ else UNKNOWN_SOURCE
    named = _appositive_person(mention, entities) if head.pos_ == "NOUN" else None
    if named is not None:
        return _named(named, entities, people, role=_phrase(mention))
    if head.pos_ == "PROPN" and (inside := entities.within(mention, SPEAKER_LABELS)):
        return _named(inside[-1], entities, people)
    return _nominal(doc, mention, head, entities, people)


def _appositive_person(mention: Span, entities: _Entities) -> Span | None:
    """The person a role noun is set beside ("Their lawyer, Majeed Memon, said", "The
    chairman of the Bar Council, Guy Mansfield QC, has warned")."""
    for child in mention.root.children:
        if child.dep_ == "appos":
            ent = entities.at.get(child.i)
            if ent is not None and ent.label_ == "PERSON":
                return ent
    doc = mention.doc
    after = mention.end
    if after + 1 < len(doc) and doc[after].text == ",":
        ent = entities.at.get(after + 1)
        if ent is not None and ent.label_ == "PERSON" and ent.start == after + 1:
            return ent
    return None


def _phrase(span: Span) -> str | None:
    """The words of a mention as written, without a leading determiner or edge punctuation."""
    tokens = [t for t in span if not t.is_space]
    while tokens and (tokens[0].lower_ in _INDEFINITE | _DEFINITE or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return None
    return " ".join(span.doc[tokens[0].i : tokens[-1].i + 1].text.split())


def _lemma(token: Token) -> str:
    return token.lemma_.lower() if token.lemma_ else token.lower_


def _nominal(doc: Doc, mention: Span, head: Token, entities: _Entities, people: dict[int, Person]) -> Source:
    """A speaker mention headed by a common noun."""
    word, lemma = head.lower_, _lemma(head)
    before = [t for t in mention if t.i < head.i]
    determiner = next((t.lower_ for t in before if t.dep_ in ("det", "poss", "nummod") or t.tag_ == "PRP$"), None)
    # "his agent", "the families' lawyer": someone's, not a name for someone the article names
    possessed = any(t.dep_ == "poss" or t.tag_ in ("PRP$", "POS") for t in before)
    inside = [e for e in entities.within(mention, SPEAKER_LABELS) if not (e.start <= head.i < e.end)]
    issuers = [e for e in inside if e.label_ in GROUP_LABELS | {"PERSON"}]
    gender = word_gender(word)
    if word in DOCUMENT_NOUNS or lemma in DOCUMENT_NOUNS:
        issuer = _issuer(head, entities) or _issuer_of_kind(head, lemma, entities, people)
        if issuer is None and determiner in ("its", "their"):  # "its latest accounts"
            issuer = _salient(entities, head.i, people)
        if issuer is not None:
            return _named(issuer, entities, people)
        return Source(DOCUMENT, None, None, None, None, None)
    if (word in ORGANISATION_NOUNS or lemma in ORGANISATION_NOUNS) and head.tag_ != "NNS":
        if issuers and issuers[-1].label_ in GROUP_LABELS:
            return _named(issuers[-1], entities, people)
        if determiner in _DEFINITE or determiner is None:
            org = _salient(entities, head.i, people, noun=lemma)
            if org is not None:  # an organisation, whatever the model read its name as
                return _named(org, entities, people)._replace(type=ORGANISATION, role=None, affiliation=None, gender=None)
        return Source(UNNAMED, None, None, _phrase(mention), None, None)
    affiliation = next((e.kb_id_ or e.text for e in reversed(issuers) if e.label_ in GROUP_LABELS), None)
    if affiliation is None and determiner in ("its", "their"):
        org = _salient(entities, head.i, people)
        affiliation = org.kb_id_ if org is not None else None
    plural = head.tag_ in ("NNS", "NNPS")
    if plural:
        return Source(GROUP, None, None, _phrase(mention), affiliation, None)
    if word in SPOKESPERSON_NOUNS or lemma in SPOKESPERSON_NOUNS or determiner in _INDEFINITE:
        return Source(UNNAMED, None, None, _phrase(mention), affiliation, gender)
    if (determiner in ("the", "this", "that") or determiner is None) and not possessed:
        person = _person_with_role(doc, head, entities, people)
        if person is None and is_person_role(_phrase(mention) or ""):
            person = _epithet_person(doc, head, entities, people, gender=_phrase_gender(mention))
        if person is not None:
            return _named(person, entities, people, role=_phrase(mention))
    if word in PERSON_NOUNS or lemma in PERSON_NOUNS or head.ent_type_ == "" and head.pos_ == "NOUN":
        return Source(UNNAMED, None, None, _phrase(mention), affiliation, gender)
    return UNKNOWN_SOURCE


def _issuer(head: Token, entities: _Entities) -> Span | None:
    """Who issued a document that speaks: a name in its phrase ("an OECD report", "a survey
    by Hostway", "market statistics gathered by Websidestory", "Chelsea's statement")."""
    found = [
        entities.at[t.i] for t in head.subtree
        if t.i in entities.at and entities.sentence(t.i) == entities.sentence(head.i)
        and entities.at[t.i].label_ in GROUP_LABELS | {"PERSON"}
        and not (entities.at[t.i].start <= head.i < entities.at[t.i].end)
    ]
    return found[0] if found else None


def _issuer_of_kind(head: Token, noun: str, entities: _Entities, people: dict[int, Person]) -> Span | None:
    """An organisation described by the document's noun in this sentence or the next
    ("..., research suggests. Research group JD Power estimates ...")."""
    number = entities.sentence(head.i)
    for i in range(entities.sentence_start(number), entities.sentence_end(number + 1)):
        ent = entities.at.get(i)
        if ent is not None and ent.start == i and _organisation_like(ent, people) and _is_of_kind(ent, noun, people):
            return ent
    return None


def _nominal_by_text(text: str) -> Source:
    """A pronoun whose antecedent was a noun phrase without a name ("the spokesman ... he")."""
    words = text.lower().split()
    last = words[-1] if words else ""
    if last in DOCUMENT_NOUNS:
        return Source(DOCUMENT, None, None, None, None, None)
    if last.endswith("s") and last[:-1] in PERSON_NOUNS:
        return Source(GROUP, None, None, text, None, None)
    return Source(UNNAMED, None, None, text, None, word_gender(last))


def _salient(entities: _Entities, before: int, people: dict[int, Person], noun: str | None = None) -> Span | None:
    """The organisation named in the sentence before token ``before`` or the one before it
    (the nearest), else the one the article names most before it: whom "the company"
    means. Of the organisations whose name or description in the article has ``noun``
    ("the centre": the Natural Hazards Center; "the administrator": administrators
    David Rubin & Partners), if any. A name the model read as a person's, with no first
    name and nothing in the article marking a person, counts too ("Multiplex said ...
    The firm said", "Lycos Europe")."""
    seen: Counter[str] = Counter()
    last: dict[str, tuple[int, Span]] = {}
    for i, ent in entities.at.items():
        if ent.start == i and i < before and _organisation_like(ent, people):
            name = ent.kb_id_ or ent.text
            seen[name] += 1
            last[name] = (i, ent)
    if not seen:
        return None
    if noun is not None:  # "the centre": the Natural Hazards Center, whichever is nearer
        kind = {name for name in seen if _is_of_kind(last[name][1], noun, people)}
        if kind:
            seen = Counter({name: seen[name] for name in kind})
    previous = entities.sentence_start(entities.sentence(before) - 1)
    recent = [name for name in seen if last[name][0] >= previous]
    if recent:  # named in this sentence or the one before: "a statement from X ..., the company denied"
        return last[max(recent, key=lambda name: last[name][0])][1]
    best = max(seen, key=lambda name: (seen[name], last[name][0]))
    return last[best][1]


_SPELLINGS = {"center": "centre", "organization": "organisation", "theater": "theatre"}


def _is_of_kind(ent: Span, noun: str, people: dict[int, Person]) -> bool:
    """Does the organisation's name or its description in the article have ``noun``?"""
    person = people.get(int(ent.id_) if ent.id_ else -1)
    words = f"{ent.kb_id_ or ent.text} {person.role if person is not None and person.role else ''}"
    spelled = {_SPELLINGS.get(w, w).rstrip("s") for w in words.lower().split()}
    return _SPELLINGS.get(noun, noun).rstrip("s") in spelled


def _organisation_like(ent: Span, people: dict[int, Person]) -> bool:
    if ent.label_ == "ORG":
        return True
    words = (ent.kb_id_ or ent.text).split()
    if ent.label_ != "PERSON" or not words or first_name_gender(words[0]) is not None:
        return False
    person = people.get(int(ent.id_) if ent.id_ else -1)
    # A pronoun near the name tells nothing here: it may be anyone's.
    return person is None or (person.evidence in (None, "pronoun") and person.role is None)


def _person_with_role(doc: Doc, head: Token, entities: _Entities, people: dict[int, Person]) -> Span | None:
    """The person whose role in the article has the noun heading ``the <role>`` ("the
    chancellor" → the one called "Chancellor"), the last named before it if several."""
    word = head.lower_
    found = None
    for i, ent in sorted(entities.at.items()):
        if i >= head.i or ent.start != i or ent.label_ != "PERSON":
            continue
        person = people.get(int(ent.id_) if ent.id_ else -1)
        if person is not None and person.role and word in person.role.lower().replace("-", " ").split():
            found = ent
    return found


def _phrase_gender(mention: Span) -> str | None:
    """The gender a mention's words mark ("the mother-of-nine", "the actress")."""
    for word in (_phrase(mention) or "").replace("-", " ").split():
        gender = word_gender(word)
        if gender is not None:
            return gender
    return None


def _epithet_person(
    doc: Doc, head: Token, entities: _Entities, people: dict[int, Person], *, gender: str | None
) -> Span | None:
    """Whom a descriptive epithet means ("the 34-year-old", "the singer"): the only person
    named in the sentences just before it, else the only one of the gender the epithet
    marks named before it, else the person the article is about (named at least twice as
    often as anyone else); of the gender the epithet marks, if any."""

    def fits(ent: Span) -> bool:
        return gender is None or _gender_of(ent, people) == gender

    first = entities.sentence_start(entities.sentence(head.i) - _EPITHET_REACH)
    names = {}
    for i, ent in entities.at.items():
        if ent.start == i and first <= i < head.i and ent.label_ == "PERSON" and fits(ent):
            names[ent.kb_id_ or ent.text] = ent
    if len(names) == 1:
        return next(iter(names.values()))
    if gender is not None:  # "the mother-of-nine": the one woman the article has named
        named = {e.kb_id_ or e.text: e for i, e in entities.at.items() if e.start == i < head.i and e.label_ == "PERSON" and fits(e)}
        if len(named) == 1:
            return next(iter(named.values()))
    people_named = Counter(
        {c: n for c, n in entities.mentions.items() if entities.first[c].label_ == "PERSON" and fits(entities.first[c])}
    )
    ranked = people_named.most_common(2)
    if ranked and ranked[0][1] >= _MAIN_PERSON_MENTIONS and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        return entities.first[ranked[0][0]]
    return None

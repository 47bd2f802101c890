"""Actors: one identity per real-world person or organisation across the whole corpus.

Each article names its people and organisations in its own way ("Tony Blair", "Mr Blair",
"Blair"), and the entity normaliser already joins the mentions of one article. This
module joins the articles: it takes every article-level name (an ``entity_key`` with its
counts and evidence, summed over the corpus) and decides

- the **label** of a name from all its mentions and from what the corpus says of it: a
  name the model calls PERSON that no article treats as a person (no first name the
  name lists know, no honorific, no gendered pronoun or noun, no person's role) is not
  one ("Yukos", "Manchester United");
- which names are **one person**: a surname or short form ("Blair", "Mr Howard") is the
  full name when the corpus holds exactly one compatible full name of that type (and of a
  gender that does not contradict it), or one it names ten times as often as all the
  others together; a shorter full name joins the fuller one when only one is compatible;
  ambiguous names ("Williams" beside several Williamses) stay apart;
- the **gender** of each person: the article evidence first (honorifics, gendered nouns,
  pronouns), then the first name (see :mod:`newsdag.gender`).

Pure functions over plain records, so the corpus-level stage can feed them from DuckDB
and tests from lists.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from newsdag.gender import NEUTER, UNKNOWN, decide, first_name_gender
from newsdag.names import GROUP_LABELS, clean_person_name, name_key, name_parts, same_person
from newsdag.quotes.lexicon import WORK_NOUNS
from newsdag.quotes.sources import is_person_role

PERSON, ORGANISATION, OTHER = "person", "organisation", "other"
# Label of a name that is not a person and was never read as anything else.
_FALLBACK_LABEL = "ORG"
# Words that end the names of organisations and events, never a person's ("Manchester United", "Davis Cup").
_ORGANISATION_WORDS = frozenset(
    "united city rovers athletic wanderers dem dems party corp corporation inc ltd plc group bank fc council "
    "association union club agency commission office ministry department company airlines airways "
    "motors records studios pictures times post news cup league premiership championship championships "
    "open games trophy awards prize festival series tour".split()
)
_MAX_ROLES = 3
# Share of a name's articles that must treat it as a person's to overrule its label.
_EVIDENCE_SHARE = 0.1
_PRONOUN_SHARE = 0.3
# Share of the words written beside a name that must say what it is (see described_as).
_DESCRIBED_SHARE = 0.4
# Share of a name's articles in which it follows a number, to be a unit of it.
_UNIT_SHARE = 0.5
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
_TIME_WORDS = frozenset(
    "today yesterday tomorrow week month year weekend night morning evening season "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
# How many times more often a person must be named than a one-word organisation name to
# take it as that person's surname.
_SURNAME_DOMINANCE = 2
# How many times more often than all other compatible full names together one must be
# named for a surname alone to be taken as that person's.
_DOMINANCE = 10


@dataclass
class Name:
    """One article-level name as the whole corpus uses it.

    ``votes`` counts gender evidence as ``(kind, gender)`` pairs (see
    :func:`newsdag.gender.decide`); ``roles`` the roles written beside it, per article;
    ``aliases`` the other forms written for it."""

    key: str
    label: str
    name: str
    mentions: int = 0
    articles: int = 0
    quotes: int = 0
    votes: Counter = field(default_factory=Counter)
    roles: Counter = field(default_factory=Counter)
    aliases: Counter = field(default_factory=Counter)
    after_numbers: int = 0  # articles where it follows a number or time ("1900 GMT")


@dataclass
class Actor:
    """One corpus-level referent and the names that denote it."""

    actor_id: str
    name: str
    type: str
    label: str
    gender: str | None
    gender_evidence: str | None
    keys: list[str]
    aliases: list[str]
    roles: list[str]


def resolve(names: Iterable[Name], *, genders: bool = True, actor_id=None) -> list[Actor]:
    """The actors the corpus's ``names`` denote, each with every key that names it.

    ``actor_id(type, name)`` makes an actor's stable id (by default the type and the
    comparison form of its name). With ``genders`` false, no gender is inferred.
    """
    make_id = actor_id or (lambda kind, name: f"{kind}:{name_key(name)}")
    by_text: dict[str, list[Name]] = defaultdict(list)
    for item in names:
        item = replace(item, roles=Counter(item.roles), aliases=Counter(item.aliases))  # the caller's stay as they were
        if item.label == "PERSON" and (clean := clean_person_name(item.name)).name and clean.name != item.name:
            item.aliases[item.name] += item.mentions
            if clean.title:
                item.roles[clean.title] += item.articles  # "director Nair": a title is a role
            item.name = clean.name
        by_text[name_key(item.name)].append(item)
    merged = [_merge_labels(items) for items in by_text.values()]
    people = [m for m in merged if m.label == "PERSON"]
    groups = _group_people(people)
    by_surname: dict[str, list[list[_Merged]]] = defaultdict(list)
    for group in groups:
        parts = name_parts(group[0].name)
        if len(parts) > 1:
            by_surname[parts[-1]].append(group)
    for other in (m for m in merged if m.label != "PERSON"):
        home = _person_by_surname(other, by_surname)
        if home is not None:
            other.label = "PERSON"
            home.append(other)
        else:
            groups.append([other])
    groups = [g for group in groups for g in _people_or_not(group)]
    actors = []
    for group in groups:
        head = _display(group)
        kind = PERSON if head.label == "PERSON" else ORGANISATION if head.label in GROUP_LABELS else OTHER
        gender, evidence = (None, None)
        if kind == PERSON:
            votes = Counter({k: n for k, n in _sum(group, "votes").items() if k[1] != NEUTER})
            parts = head.name.split()
            decided = decide(votes, parts[0] if len(parts) > 1 else None)
            gender, evidence = (decided.gender, decided.evidence) if genders else (UNKNOWN, None)
        roles = _sum(group, "roles")
        aliases = sorted({m.name for m in group} - {head.name} | {a for m in group for a in m.aliases} - {head.name})
        actors.append(
            Actor(
                actor_id=make_id(kind, head.name),
                name=head.name,
                type=kind,
                label=head.label,
                gender=gender,
                gender_evidence=evidence,
                keys=sorted(k for m in group for k in m.keys),
                aliases=aliases,
                roles=[r for r, _ in roles.most_common(_MAX_ROLES)],
            )
        )
    return actors


@dataclass
class _Merged:
    """All the keys of one written name, whatever label each article gave it."""

    name: str
    label: str
    other_label: str  # its label if it is not a person's name after all
    keys: list[str]
    mentions: int
    articles: int
    votes: Counter
    roles: Counter
    aliases: set[str]


def _people_or_not(group: list[_Merged]) -> list[list[_Merged]]:
    """A group of person names, or, when nothing in the corpus treats its name as a
    person's (:func:`is_person`), each of its names alone under its other label: "Oscar"
    a work, "Passion Oscar" whatever else it was read as."""
    head = _display(group)
    if head.label != "PERSON":
        return [group]
    articles = sum(m.articles for m in group)
    if is_person(head.name, _sum(group, "votes"), _sum(group, "roles"), articles=articles):
        return [group]
    for m in group:
        m.label = m.other_label
    return [[m] for m in group]


def _sum(items: Sequence[Name | _Merged], what: str) -> Counter:
    total: Counter = Counter()
    for item in items:
        total.update(getattr(item, what))
    return total


def _merge_labels(items: Sequence[Name]) -> _Merged:
    """One written name across its labels: the label most of its mentions have, or PERSON
    when the articles treat it as a person's (:func:`person_evidence`)."""
    labels: Counter[str] = Counter()
    for item in items:
        labels[item.label] += item.mentions
    ranked = sorted(labels, key=lambda lab: (-labels[lab], lab))  # a tie goes the same way on every run
    label = ranked[0]
    articles = sum(i.articles for i in items)
    # Roles tell only where some article read the name as a person's ("chairman Adair
    # Turner"); an organisation has roles too ("market leader Nintendo"). An honorific
    # tells whatever the label ("Mr Eriksson" read as an ORG).
    person_roles = _sum([i for i in items if i.label == "PERSON"], "roles")
    if label != "PERSON" and person_evidence(_sum(items, "votes"), person_roles, articles=articles):
        label = "PERSON"
    other = next((lab for lab in ranked if lab != "PERSON"), _FALLBACK_LABEL)
    votes, roles = _sum(items, "votes"), _sum(items, "roles")
    described = described_as(roles, articles)
    if described is not None and label != "PERSON":
        label = other = described
    elif _PLURAL_ACRONYM.fullmatch(items[0].name) and label != "PERSON":
        label = other = "NORP"  # "MPs", "MEPs": people of a kind, not an organisation
    elif sum(i.after_numbers for i in items) >= _UNIT_SHARE * articles and label != "PERSON":
        label = other = "TIME"  # "1900 GMT": a unit after a number
    name = max(items, key=lambda i: (i.mentions, i.name)).name
    aliases = {a for i in items for a in i.aliases}
    return _Merged(name, label, other, [i.key for i in items], sum(labels.values()), articles, votes, roles, aliases)


def described_as(roles: Mapping[str, int], articles: int) -> str | None:
    """The label the words written beside a name give it, when most of what is written
    beside it says so, in a tenth of its articles at least: a date ("Wednesday's Budget", "last year's Oscars") makes an event, a
    time of day ("1900 GMT") a time, a noun for a work ("the film Vera Drake") a work, an
    organisation's possessive ("Microsoft's Xbox") a product."""
    kinds: Counter[str] = Counter()
    for role, n in roles.items():
        words = role.lower().replace("’", "'").split()
        if not words:
            continue
        if all(w.isdigit() for w in words):
            kinds["TIME"] += n
        elif words[-1].endswith("'s") and words[-1][:-2] in _TIME_WORDS:
            kinds["EVENT"] += n
        elif words[0] in WORK_NOUNS or words[-1] in WORK_NOUNS:
            kinds["WORK_OF_ART"] += n
        elif len(words) == 1 and words[0].endswith("'s") and role[:1].isupper():
            kinds["PRODUCT"] += n
    if not kinds:
        return None
    label, n = kinds.most_common(1)[0]
    described = sum(roles.values())
    return label if n >= 2 and n >= _DESCRIBED_SHARE * described and n >= _EVIDENCE_SHARE * articles else None


def person_evidence(votes: Mapping[tuple[str, str], int], roles: Mapping[str, int], *, articles: int = 0) -> bool:
    """Do the articles treat a name as a person's: an honorific, a gendered noun or a role
    only a person holds beside it in at least a tenth of the ``articles`` that name it
    (one will do for a rare name), or gendered pronouns in a third of them and more often
    than "its"?"""
    marked = sum(n for (kind, _), n in votes.items() if kind != "pronoun")
    marked += sum(n for r, n in roles.items() if is_person_role(r))
    if marked > 0 and marked >= _EVIDENCE_SHARE * articles:
        return True
    pronouns = sum(n for (kind, g), n in votes.items() if kind == "pronoun" and g != NEUTER)
    # A pronoun may be anyone's: alone, it must come in many of the articles.
    return pronouns > votes.get(("pronoun", NEUTER), 0) and pronouns >= _PRONOUN_SHARE * articles


def is_person(name: str, votes: Mapping[tuple[str, str], int], roles: Mapping[str, int], *, articles: int = 0) -> bool:
    """Does the corpus treat ``name`` as a person's? Article evidence says so
    (:func:`person_evidence`); so does a known first name before a surname, unless the
    name ends like an organisation's ("Manchester United")."""
    if person_evidence(votes, roles, articles=articles):
        return True
    words = name.split()
    if len(words) < 2 or words[-1].lower() in _ORGANISATION_WORDS:
        return False
    return first_name_gender(words[0]) is not None


def _group_people(people: Sequence[_Merged]) -> list[list[_Merged]]:
    """People names grouped by person: short forms and shorter full names join the only
    compatible fuller name (of a gender that does not contradict theirs)."""
    parts = {id(p): name_parts(p.name) for p in people}
    ordered = sorted(people, key=lambda p: (-len(parts[id(p)]), -p.mentions, p.name))
    roots: list[_Merged] = []
    groups: dict[int, list[_Merged]] = {}
    index: dict[str, list[_Merged]] = defaultdict(list)  # surname -> roots
    for person in ordered:
        mine = parts[id(person)]
        if not mine:
            continue
        candidates = [
            root for root in index[mine[-1]]
            if same_person(mine, parts[id(root)]) and _genders_agree(person, root)
        ]
        candidates = _dominant(candidates) if len(mine) == 1 else candidates
        if len(candidates) == 1 and candidates[0] is not person:
            groups[id(candidates[0])].append(person)
            continue
        roots.append(person)
        groups[id(person)] = [person]
        if len(mine) > 1 or not candidates:
            index[mine[-1]].append(person)
    return [groups[id(root)] for root in roots]


def _person_by_surname(name: _Merged, by_surname: Mapping[str, list[list[_Merged]]]) -> list[_Merged] | None:
    """The person a one-word name the model did not read as a person's is the surname of
    ("Eriksson said" beside Sven-Goran Eriksson): only one person has it, and that person
    is named far more often than the name alone, so it is not a company of that name."""
    parts = name_parts(name.name)
    if len(parts) != 1 or name.label not in GROUP_LABELS:
        return None
    candidates = by_surname.get(parts[0], [])
    if len(candidates) != 1:
        return None
    person = candidates[0]
    return person if sum(m.mentions for m in person) >= _SURNAME_DOMINANCE * name.mentions else None


def _display(group: Sequence[_Merged]) -> _Merged:
    """The name to show for a group: its most used full name ("Liam Fox" rather than a
    rarer "Tory Liam Fox" whose first word describes him), or that name with initials
    added ("George W Bush" for "George Bush"); a one-part name when there is no other."""
    if len(group) == 1:
        return group[0]
    full = [m for m in group if len(name_parts(m.name)) > 1] or list(group)
    best = max(full, key=lambda m: (m.mentions, len(name_parts(m.name)), m.name))
    mine = name_parts(best.name)
    initialled = [
        m for m in full
        if len(parts := name_parts(m.name)) > len(mine)
        and [p for p in parts if len(p) > 1] == list(mine)
    ]
    return max(initialled, key=lambda m: (m.mentions, m.name)) if initialled else best


def _dominant(candidates: list[_Merged]) -> list[_Merged]:
    """The one candidate the corpus names overwhelmingly more often than all the others
    together ("Blair": Tony Blair, not the rare other Blairs), else all of them."""
    if len(candidates) < 2:
        return candidates
    ranked = sorted(candidates, key=lambda m: -m.mentions)
    return ranked[:1] if ranked[0].mentions >= _DOMINANCE * sum(m.mentions for m in ranked[1:]) else candidates


def _genders_agree(short: _Merged, full: _Merged) -> bool:
    mine, theirs = decide(short.votes, names=False).gender, decide(full.votes, full.name.split()[0]).gender
    return UNKNOWN in (mine, theirs) or mine == theirs


"""Document-level entity normalisation: one referent, one cluster, one canonical name, one label.

The model's NER reads each mention on its own. Within one article it may call "Blinken" a GPE in
the headline and a PERSON further down, read the "State" of "Secretary of State" as an ORG, or miss a
repeat of a name it found elsewhere. ``newsdag_entities`` runs right after ``ner`` and replaces
``doc.ents`` with cleaned mentions grouped by referent: each entity's ``kb_id_`` is the canonical
name of its cluster and its ``id_`` the cluster number (0-based, in order of first mention).

The work is done by pure functions over ``Doc`` and ``Span`` (:func:`normalise_entities` and its
helpers); the component only writes their result. Titles and name comparison come from
:mod:`newsdag.names`; country and organisation aliases are a JSONL resource (``resources/aliases.jsonl``).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span, Token

from newsdag.gender import first_name_gender, honorific_gender
from newsdag.names import (
    FIRST_NAME_HONORIFICS,
    NAME_SUFFIXES,
    PEERAGE,
    POSSESSIVES,
    TITLE_LAST_IDS,
    clean_person_name,
    entity_key,
    name_key,
    person_name,
    person_roots,
    same_person,
    title_at,
    title_before,
)

_DEFAULT_ALIASES = Path(__file__).with_name("resources") / "aliases.jsonl"
_DETERMINERS = frozenset({"the"})
_POSSESSIVES = frozenset(POSSESSIVES)

# Marks a name never contains: an NER span crossing one has unreliable boundaries.
_BOUNDARY_MARKS = frozenset("\"“”‘’«»()[]")
_PLACE_LABELS = frozenset({"GPE", "LOC"})
NUMERIC_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# A title before a mention counts as this many PERSON readings in the label vote.
_TITLE_VOTE = 2


class Alias(NamedTuple):
    """Canonical name and label of a well-known country or organisation."""

    canonical: str
    label: str


def load_aliases(path: Path = _DEFAULT_ALIASES) -> dict[str, Alias]:
    """Read an alias table (JSONL of ``{"canonical", "label", "aliases"}``) keyed by :func:`name_key`."""
    table: dict[str, Alias] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            alias = Alias(row["canonical"], row["label"])
            for name in [row["canonical"], *row["aliases"]]:
                table[name_key(name)] = alias
    return table


def is_capitalised(token: Token) -> bool:
    """Name-like casing ("Blinken", "McCain", "J."), as opposed to lowercase or all-caps headline words."""
    text = token.text
    return text[:1].isupper() and (any(c.islower() for c in text) or (len(text) == 2 and text[1] == "."))


def _is_name_part(token: Token) -> bool:
    return token.tag_ in ("NNP", "NNPS") and is_capitalised(token)


def _is_filler(token: Token) -> bool:
    return token.is_punct or token.is_space


def clean_mention(span: Span) -> Span | None:
    """The name inside an NER span, or None when nothing is left or the span straddles a quotation mark,
    bracket or line break (the model's boundaries are unreliable there).

    Drops a leading "the", a trailing possessive ("Blinken's"), edge punctuation and, for a PERSON, a
    leading title ("Mr. Smith") and words before the name that :func:`~newsdag.names.clean_person_name`
    finds are not part of it ("Actor Leonardo DiCaprio"): none of them is part of the name, and keeping
    them would split one referent's mentions into different surface forms. A peer's honorific before a
    surname alone stays: "Lord Woolf" is the name.
    """
    tokens = list(span)
    start, end = 0, len(tokens)
    while start < end and (tokens[start].lower_ in _DETERMINERS or _is_filler(tokens[start])):
        start += 1
    while start < end and (tokens[end - 1].text in _POSSESSIVES or _is_filler(tokens[end - 1])):
        end -= 1
    if span.label_ == "PERSON":
        start = _name_start(span.doc, span.start + start, span.start + end) - span.start
    if start >= end or any(t.text in _BOUNDARY_MARKS or t.is_space for t in tokens[start:end]):
        return None
    if (start, end) == (0, len(tokens)):
        return span
    return Span(span.doc, span.start + start, span.start + end, label=span.label)


def _name_start(doc: Doc, start: int, end: int) -> int:
    """Where the name begins in the PERSON tokens ``doc[start:end]``: past titles, unless a peer's
    honorific stands before a surname alone, and past describing words that are not a name."""
    while (n := title_at(doc, start, end - 1)) and not (n == 1 and end - start == 2 and doc[start].lower_ in PEERAGE):
        start += n
    if end - start > 2:
        words = doc[start:end]
        name = clean_person_name(words.text).name
        offset = words.text.rfind(name) if name else -1
        if offset > 0:
            first = doc.char_span(words.start_char + offset, words.end_char, alignment_mode="expand")
            if first is not None and first.start > start:
                return first.start
    return start


def _suffixed_person(span: Span) -> Span:
    """A first name, a surname and a post-nominal the model read as an organisation ("Guy
    Mansfield QC"): a PERSON, without the post-nominal."""
    if span.label_ not in ("ORG", "GPE", "NORP") or not 3 <= len(span) <= 4:
        return span
    if span[-1].lower_.replace(".", "") not in NAME_SUFFIXES or first_name_gender(span[0].text) is None:
        return span
    return Span(span.doc, span.start, span.end - 1, label="PERSON")


def extend_person(span: Span, taken: Container[int]) -> Span:
    """Widen a PERSON mention over adjacent capitalised proper nouns the model left out ("Antony" in
    "Secretary of State Antony J. Blinken"), stopping at titles and at tokens of other mentions, and
    over a peer's honorific before a surname alone ("Lord Woolf"); then trim it to where the name
    begins (:func:`_name_start`)."""
    doc, start, end = span.doc, span.start, span.end
    while start > 0 and start - 1 not in taken and _is_name_part(doc[start - 1]) and title_before(doc, start) is None:
        start -= 1
    while end < len(doc) and end not in taken and _is_name_part(doc[end]):
        end += 1
    while _hyphen_continues(doc, end, taken):  # "Nadia Magnenat-Thalman"
        end += 2
    if end - start == 1 and start > 0 and start - 1 not in taken and doc[start - 1].lower_ in PEERAGE:
        start -= 1
    start = _name_start(doc, start, end)
    return span if (start, end) == (span.start, span.end) else Span(doc, start, end, label=span.label)


def _hyphen_continues(doc: Doc, end: int, taken: Container[int]) -> bool:
    """Does a name go on after ``end`` with a hyphen and another capitalised part, unspaced?"""
    return (
        end + 1 < len(doc)
        and end not in taken
        and end + 1 not in taken
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and is_capitalised(doc[end + 1])
    )


def extend_organisation(span: Span, taken: Container[int]) -> Span:
    """Widen an ORG mention the model cut short at an inner "of" or "and" ("Muslim Council" of
    "Muslim Council of Britain", "Economy Ministry" of "the Finance and Economy Ministry"): over
    "of" and the capitalised proper nouns after it (a place's among them), and over a capitalised word
    and "and" before it, stopping at tokens of other mentions."""
    doc, start, end = span.doc, span.start, span.end

    def free(i: int) -> bool:
        return 0 <= i < len(doc) and i not in taken

    if free(end) and doc[end].lower_ == "of" and end + 1 < len(doc) and _is_name_part(doc[end + 1]):
        end += 1
        while end < len(doc) and _is_name_part(doc[end]) and (free(end) or doc[end].ent_type_ in _PLACE_LABELS):
            end += 1
    if free(start - 1) and free(start - 2) and doc[start - 1].lower_ == "and" and _is_name_part(doc[start - 2]):
        start -= 2
    return span if (start, end) == (span.start, span.end) else Span(doc, start, end, label=span.label)


def _starts_titled_name(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a capitalised proper noun right after a whole title (not inside one, as
    "General" in "Secretary General", nor starting another, as "President" in "Mr. President")."""
    return (
        title_before(doc, i) is not None
        and _is_name_part(doc[i])
        and title_before(doc, i + 1) is None
        and not title_at(doc, i, len(doc))
    )


def titled_names(doc: Doc, taken: Container[int]) -> Iterator[Span]:
    """PERSON mentions the model missed right after a title ("Sen. Warren"), in text order."""
    after_title_word = [i + 1 for i, lower in enumerate(doc.to_array("LOWER").tolist()) if lower in TITLE_LAST_IDS]
    end = 0
    for i in after_title_word:
        if i >= end and i < len(doc) and i not in taken and _starts_titled_name(doc, i):
            end = i + 1
            while end < len(doc) and end not in taken and _is_name_part(doc[end]):
                end += 1
            yield Span(doc, i, end, label="PERSON")


def acronym_after(span: Span) -> Token | None:
    """The acronym the text defines right after a name, "North Atlantic Treaty Organization (NATO)": a
    parenthesised token whose letters are the name's initials (with or without function words), so
    "WASHINGTON (AP)" defines nothing."""
    doc, end = span.doc, span.end
    if span.label_ in NUMERIC_LABELS or end + 2 >= len(doc) or doc[end].text != "(" or doc[end + 2].text != ")":
        return None
    letters = doc[end + 1].text.replace(".", "")
    words = [t.text for t in span if t.is_alpha]
    initials = {"".join(w[0] for w in words).upper(), "".join(w[0] for w in words if w[0].isupper())}
    return doc[end + 1] if len(letters) > 1 and letters.isupper() and letters in initials else None


def defined_acronyms(mentions: Iterable[Span]) -> dict[str, Span]:
    """The names that define an acronym (see :func:`acronym_after`), keyed by :func:`name_key` of the acronym."""
    return {name_key(acronym.text): span for span in mentions if (acronym := acronym_after(span)) is not None}


def cluster_keys(mentions: Sequence[Span], aliases: dict[str, Alias]) -> list[str]:
    """One cluster key per mention; mentions of one referent share it.

    In order of precedence: an alias-table name ("the United States", "America") joins its country or
    organisation; a multi-part PERSON name joins its fullest form; any other name that can only be the
    surname (or initialled name) of one such person joins that person, whatever the model labelled it
    (after "Sir" or "Dame", the first name: "Sir John" is the article's only John; after an honorific
    of one gender, not a person whose first name is of the other: "Mrs Howard" is not Michael Howard);
    a defined acronym joins its long form; the rest group by :func:`name_key`, numbers apart from names.
    A surname shared by two people ("Clinton" beside "Bill Clinton" and "Hillary Clinton") is ambiguous
    and stays a cluster of its own.
    """
    surnames = {n[-1] for m in mentions if m.label_ == "PERSON" and (n := person_name(m))}
    roots = person_roots(
        n for m in mentions if len(n := person_name(m)) > 1 and (m.label_ == "PERSON" or _misread_person(m, n, surnames))
    )
    people = set(roots.values())
    acronyms = defined_acronyms(mentions)

    def name_cluster(span: Span) -> str:
        key = name_key(span.text)
        if key in aliases:
            return "alias:" + name_key(aliases[key].canonical)
        if span.label_ in NUMERIC_LABELS:
            return "number:" + key
        name = person_name(span)
        if name in roots:
            return "person:" + " ".join(roots[name])
        if len(name) == 1 and _after_first_name_honorific(span):
            matches = [root for root in people if root[0] == name[0]]  # "Sir John": John Bourn
        else:
            marked = _honorific_gender(span)
            matches = [
                root for root in people
                if same_person(name, root) and marked in (None, first_name_gender(root[0]) or marked)
            ]  # "Mrs Howard" is not Michael Howard
        if len(matches) == 1:
            return "person:" + " ".join(matches[0])
        if key in acronyms:
            return name_cluster(acronyms[key])
        return "name:" + key

    return [name_cluster(m) for m in mentions]


def _misread_person(span: Span, name: tuple[str, ...], surnames: Container[str]) -> bool:
    """A first name and a surname the model read as an organisation or place ("Geoff Pollard"
    as an ORG), in an article that names a person by that surname: that person."""
    return (
        span.label_ in ("ORG", "GPE", "NORP")
        and len(name) == 2
        and name[-1] in surnames
        and first_name_gender(span[0].text) is not None
    )


def _honorific_gender(span: Span) -> str | None:
    start = title_before(span.doc, span.start)
    return honorific_gender(span.doc[span.start - 1].text) if start is not None else None


def _after_first_name_honorific(span: Span) -> bool:
    start = title_before(span.doc, span.start)
    return start is not None and span.doc[start].lower_ in FIRST_NAME_HONORIFICS


def recoverable_forms(mentions: Sequence[Span], keys: Sequence[str]) -> dict[tuple[int, ...], str]:
    """Token sequences (as orth ids) that name a cluster wherever they occur, mapped to its key: the
    surface forms of its name mentions, an acronym it defines, and a person's surname. A form claimed by
    two clusters ("Clinton" for two Clintons) is ambiguous and left out; so are numbers and forms not
    starting with a capital, which are not names."""
    if not mentions:
        return {}
    doc = mentions[0].doc
    orths = doc.to_array("ORTH").tolist()
    forms: dict[tuple[int, ...], set[str]] = defaultdict(set)
    for span, key in zip(mentions, keys, strict=True):
        if span.label_ in NUMERIC_LABELS:
            continue
        bounds = [(span.start, span.end)]
        if key.startswith("person:"):
            surname = span.end - 1
            while surname > span.start and not person_name(doc[surname : surname + 1]):
                surname -= 1  # skip a suffix: "King" in "Martin Luther King Jr."
            bounds.append((surname, surname + 1))
        if (acronym := acronym_after(span)) is not None:
            bounds.append((acronym.i, acronym.i + 1))
        for start, end in bounds:
            if doc[start].text[:1].isupper():
                forms[tuple(orths[start:end])].add(key)
    return {form: next(iter(owners)) for form, owners in forms.items() if len(owners) == 1}


def _continues_name(doc: Doc, start: int, end: int) -> bool:
    """Whether a capitalised proper noun touches tokens ``start:end``: they would be part of a longer name."""
    before = start > 0 and _is_name_part(doc[start - 1]) and title_before(doc, start) is None
    return before or (end < len(doc) and _is_name_part(doc[end]))


def recover_mentions(
    doc: Doc, forms: dict[tuple[int, ...], str], taken: Container[int]
) -> Iterator[tuple[int, int, str]]:
    """Occurrences of cluster forms the model missed, as ``(start, end, cluster key)`` in text order.

    Matching is exact (case-sensitive, whole tokens, longest form first) and skips tokens already in a
    mention and matches that are only part of a longer capitalised name.
    """
    by_first: dict[int, list[tuple[int, ...]]] = defaultdict(list)
    for form in sorted(forms, key=len, reverse=True):
        by_first[form[0]].append(form)
    orths = doc.to_array("ORTH").tolist()
    i = 0
    while i < len(orths):
        for form in by_first.get(orths[i], ()):
            end = i + len(form)
            if (
                tuple(orths[i:end]) == form
                and not any(j in taken for j in range(i, end))
                and not _continues_name(doc, i, end)
            ):
                yield i, end, forms[form]
                i = end - 1
                break
        i += 1


def cluster_label(group: Sequence[Span]) -> str:
    """Majority label of a cluster's mentions, a title before a mention counting as extra PERSON
    readings; ties go to the label read first. So one titled "Secretary Blinken" outweighs a GPE reading."""
    votes: Counter[str] = Counter()
    for span in group:
        votes[span.label_] += 1
        if title_before(span.doc, span.start) is not None:
            votes["PERSON"] += _TITLE_VOTE
    best = max(votes.values())
    return next(label for label in [*(s.label_ for s in group), "PERSON"] if votes[label] == best)


def canonical_name(group: Sequence[Span]) -> str:
    """The fullest form among a cluster's mentions: most tokens, then most characters, preferring mixed
    case to all-caps headline forms ("Antony J. Blinken" over "Blinken", "Clinton" over "CLINTON")."""
    forms = [(span.text, len(span)) for span in group]
    text, _ = max(forms, key=lambda form: (form[0] != form[0].upper(), form[1], len(form[0])))
    return " ".join(text.split())


def find_mentions(doc: Doc) -> list[Span]:
    """The doc's name mentions in text order, before clustering: the model's entities trimmed by
    :func:`clean_mention`, PERSONs widened by :func:`extend_person` and ORGs by
    :func:`extend_organisation`, entities inside a person's title
    dropped ("State" in "Secretary of State Antony J. Blinken") and :func:`titled_names` added."""
    mentions = [m for m in map(clean_mention, map(_suffixed_person, doc.ents)) if m is not None]
    taken = {i for m in mentions for i in range(m.start, m.end)}
    for n, span in enumerate(mentions):
        if span.label_ in ("PERSON", "ORG"):
            taken.difference_update(range(span.start, span.end))
            mentions[n] = (extend_person if span.label_ == "PERSON" else extend_organisation)(span, taken)
            taken.update(range(mentions[n].start, mentions[n].end))
    covered = {i for m in mentions if m.label_ == "ORG" for i in range(m.start, m.end)}
    mentions = [m for m in mentions if m.label_ == "ORG" or not covered.intersection(range(m.start, m.end))]
    title_tokens = {
        i
        for span in mentions
        if span.label_ == "PERSON" and (start := title_before(doc, span.start)) is not None
        for i in range(start, span.start)
    }
    mentions = [m for m in mentions if m.label_ == "PERSON" or m.start not in title_tokens]
    taken = {i for m in mentions for i in range(m.start, m.end)}
    return sorted([*mentions, *titled_names(doc, taken)], key=lambda m: m.start)


def cluster_names(
    mentions: Sequence[Span], keys: Sequence[str], aliases: dict[str, Alias]
) -> dict[str, tuple[str, str]]:
    """Label and canonical name of each cluster key. Alias-table clusters take the table's label and name;
    people are PERSON under their fullest mention; other clusters take :func:`cluster_label` and
    :func:`canonical_name`."""
    groups: dict[str, list[Span]] = defaultdict(list)
    for span, key in zip(mentions, keys, strict=True):
        groups[key].append(span)
    names: dict[str, tuple[str, str]] = {}
    for key, group in groups.items():
        if key.startswith("alias:"):
            alias = aliases[key.removeprefix("alias:")]
            names[key] = (alias.label, alias.canonical)
        elif key.startswith("person:"):
            names[key] = ("PERSON", canonical_name(group))
        else:
            names[key] = (cluster_label(group), canonical_name(group))
    return names


# The normaliser's settings with their defaults: the ``newsdag_entities`` factory's
# default_config, and the keyword default of :func:`normalise_entities` called directly.
DEFAULT_SETTINGS = {"recover_missed": True, "aliases_path": None}


def normalise_entities(
    doc: Doc, *, aliases: dict[str, Alias], recover_missed: bool = DEFAULT_SETTINGS["recover_missed"]
) -> list[Span]:
    """The doc's entities after document-level normalisation, in text order, without changing ``doc``.

    Each returned span carries its cluster's label, ``kb_id_`` = canonical name and ``id_`` = cluster
    number, counted in order of first mention. With ``recover_missed``, repeats of a cluster's names that
    the model left untagged are added (:func:`recover_mentions`).
    """
    mentions = find_mentions(doc)
    keys = cluster_keys(mentions, aliases)
    names = cluster_names(mentions, keys, aliases)
    placed = [(span.start, span.end, key) for span, key in zip(mentions, keys, strict=True)]
    if recover_missed:
        taken = {i for m in mentions for i in range(m.start, m.end)}
        placed += recover_mentions(doc, recoverable_forms(mentions, keys), taken)
    placed.sort()
    cluster_ids: dict[str, int] = {}
    entities = []
    for start, end, key in placed:
        label, canonical = names[key]
        cluster_id = cluster_ids.setdefault(key, len(cluster_ids))
        entities.append(Span(doc, start, end, label=label, kb_id=canonical, span_id=str(cluster_id)))
    return entities


class EntityNormaliser(Pipe):
    """Replace ``doc.ents`` with document-level normalised entities (see :func:`normalise_entities`)."""

    def __init__(
        self, nlp: Language, name: str = "newsdag_entities", *, recover_missed: bool, aliases_path: str | None
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.recover_missed = recover_missed
        self.aliases = load_aliases(Path(aliases_path)) if aliases_path else load_aliases()

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = normalise_entities(doc, aliases=self.aliases, recover_missed=self.recover_missed)
        return doc


@Language.factory("newsdag_entities", default_config=DEFAULT_SETTINGS, assigns=["doc.ents"])
def make_entity_normaliser(
    nlp: Language, name: str, *, recover_missed: bool, aliases_path: str | None
) -> EntityNormaliser:
    """Document-level entity normalisation. ``recover_missed`` adds unlabelled repeats of a cluster's
    names; ``aliases_path`` replaces the packaged country/organisation alias table."""
    return EntityNormaliser(nlp, name, recover_missed=recover_missed, aliases_path=aliases_path)

"""Speakers: the mention as written around a head token, and its canonical name.

Canonical names come from the entity normaliser (``Span.kb_id_``) when it has set
one; otherwise they are resolved here: a surname or titled name ("Secretary
Blinken") maps to the longest PERSON name in the doc ending with that surname, and
pronouns map to the nearest compatible antecedent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from newsdag.names import FEMALE_WORDS, MALE_WORDS, SPEAKER_LABELS, TITLE_WORDS, strip_name, without_titles
from newsdag.quotes.lexicon import PERSON_NOUNS, SPEECH_FORMS
from newsdag.quotes.tokens import ends_line

# Children cut off a mention: clauses, and appositions set off by a comma.
_MENTION_CUT_DEPS = frozenset({"relcl", "acl", "advcl", "parataxis", "ccomp", "xcomp"})
_NAME_PUNCT = frozenset({"-", "–", ".", "'", "’"})
# pronoun -> (person?, number, gender) constraints on its antecedent
_PRONOUNS = {
    "he": ("person", "sg", "m"), "him": ("person", "sg", "m"), "his": ("person", "sg", "m"),
    "she": ("person", "sg", "f"), "her": ("person", "sg", "f"),
    "they": ("any", "pl", None), "them": ("any", "pl", None), "their": ("any", "pl", None),
    "it": ("group", "sg", None), "its": ("group", "sg", None),
}
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
_ANTECEDENT_SENTENCES = 3  # how many sentences back a pronoun's antecedent may be


def mention_span(head: Token, quoted: Sequence[int]) -> Span:
    """The speaker mention headed by ``head``: its noun phrase with determiners,
    titles, compounds and prepositional modifiers ("a spokesman for the ministry"),
    conjuncts ("X and Y"), without relative clauses, comma-set appositions ("Hugh
    Hill[, a doctor,]"), anything quoted, anything on another line (a dateline the
    parser attached) or a sentence-opening cue ("[Said] Ellis")."""
    doc = head.doc
    keep: set[int] = set()
    stack = [head]
    while stack:
        token = stack.pop()
        if quoted[token.i] >= 0:
            continue
        keep.add(token.i)
        for child in token.children:
            if child.dep_ in _MENTION_CUT_DEPS or (child.dep_ == "punct" and child.text not in _NAME_PUNCT):
                continue
            if child.dep_ == "appos" and doc[child.left_edge.i - 1].text == ",":
                continue
            stack.append(child)
    start = end = head.i
    while start - 1 in keep and not ends_line(doc[start - 1]):
        start -= 1
    while end + 1 in keep and not ends_line(doc[end]):
        end += 1
    while start < head.i and (doc[start].is_punct or doc[start].is_space or doc[start].dep_ == "cc"):
        start += 1
    if start < head.i and doc[start].is_sent_start and doc[start].lower_ in SPEECH_FORMS:
        start += 1  # "Said Ellis: ...": the cue the parser glued to the name
    while end > head.i and (doc[end].is_punct or doc[end].is_space or doc[end].dep_ == "cc" or doc[end].tag_ == "POS"):
        end -= 1
    return doc[start : end + 1]


class _Antecedent(NamedTuple):
    i: int
    kind: str  # "person" | "group"
    number: str
    gender: str | None
    subject: bool
    canonical: str
    named: bool  # an entity, not a common noun ("the spokesman")


class SpeakerResolver:
    """Canonical names of the speakers of one doc (built once per doc)."""

    def __init__(self, doc: Doc, quoted: Sequence[int]) -> None:
        self.doc = doc
        self.quoted = quoted
        self.entity_of: dict[int, Span] = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.entity_of[i] = ent
        self.surnames = self._surname_index()
        self.genders = self._gender_index()
        self.sentence_of = _narrative_sentences(doc, quoted)
        self.antecedents = self._antecedents()
        self._pronoun_cache: dict[int, str | None] = {}

    # ---------------------------------------------------------------- names
    def _full_name(self, ent: Span) -> str:
        """A PERSON entity's text, extended left over untagged name words ("Antony" + "J. Blinken")."""
        doc = self.doc
        start = ent.start
        while (
            start > 0
            and doc[start - 1].pos_ == "PROPN"
            and doc[start - 1].is_title
            and doc[start - 1].lower_ not in TITLE_WORDS
            and start - 1 not in self.entity_of
            and self.quoted[start - 1] < 0
        ):
            start -= 1
        return " ".join(without_titles(strip_name(doc[start : ent.end].text).split()))

    def _surname_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for ent in self.doc.ents:
            if ent.label_ != "PERSON":
                continue
            name = ent.kb_id_ if ent.kb_id_ and ent.kb_id_ != ent.text else self._full_name(ent)
            words = name.split()
            if not words:
                continue
            key = words[-1].lower()
            if len(name) > len(index.get(key, "")):
                index[key] = name
        return index

    def _gender_index(self) -> dict[str, str]:
        """surname -> "m" / "f" from gendered titles ("Mr. Smith", "Congresswoman Lee")."""
        genders: dict[str, str] = {}
        for token in self.doc:
            word = token.lower_
            gender = "m" if word in MALE_WORDS else "f" if word in FEMALE_WORDS else None
            if gender and token.i + 1 < len(self.doc) and self.doc[token.i + 1].pos_ == "PROPN":
                nxt = self.doc[token.i + 1]
                ent = self.entity_of.get(nxt.i)
                last = ent[-1].lower_ if ent is not None else nxt.lower_
                genders.setdefault(last, gender)
        return genders

    def name(self, text: str) -> str:
        """Canonical form of a name written ``text``: surname lookup, else ``text``
        without a leading determiner or possessive."""
        stripped = strip_name(text)
        words = without_titles(stripped.split())
        if words and words[-1][:1].isupper():
            full = self.surnames.get(words[-1].lower())
            if full is not None and len(words) <= len(full.split()):
                return full
        return " ".join(words) or stripped

    def canonical(self, mention: Span, head: Token) -> str | None:
        """Canonical name of the speaker ``mention`` headed by ``head`` (None for an
        unresolved pronoun); a relative pronoun names the noun its clause hangs on."""
        if head.lower_ in _RELATIVE_PRONOUNS and head.head.dep_ == "relcl" and head.head.head.i != head.head.i:
            noun = head.head.head
            return self.canonical(mention_span(noun, self.quoted), noun)
        if _is_pronoun(head):
            return self.resolve_pronoun(head)
        ent = self._entity(mention, head)
        if ent is None:
            if head.pos_ == "PROPN":
                return self.name(mention.text)
            return strip_name(mention.text)
        if ent.kb_id_ and ent.kb_id_ != ent.text:
            return ent.kb_id_
        return self.name(ent.text)

    def _entity(self, mention: Span, head: Token) -> Span | None:
        ent = self.entity_of.get(head.i)
        if ent is not None and ent.label_ in SPEAKER_LABELS:
            return ent
        found = [self.entity_of[i] for i in range(mention.start, mention.end) if i in self.entity_of]
        found = [e for e in found if e.label_ in SPEAKER_LABELS]
        found.sort(key=lambda e: (e.label_ != "PERSON", -len(e)))
        return found[0] if found else None

    # ------------------------------------------------------------- pronouns
    def _antecedents(self) -> list[_Antecedent]:
        out = []
        seen: set[int] = set()
        for ent in self.doc.ents:
            root = ent.root
            if ent.label_ not in SPEAKER_LABELS or self.quoted[ent.start] >= 0 or _is_pronoun(root):
                continue
            seen.update(range(ent.start, ent.end))
            if ent.label_ == "PERSON":
                name = self.canonical(ent, root)
                gender = self.genders.get((name or "").split()[-1].lower()) if name else None
                out.append(_Antecedent(root.i, "person", "sg", gender, root.dep_ == "nsubj", name or ent.text, True))
            else:
                number = "pl" if ent.label_ == "NORP" or root.tag_ == "NNPS" else "sg"
                out.append(_Antecedent(root.i, "group", number, None, root.dep_ == "nsubj", self.name(ent.text), True))
        for token in self.doc:
            if token.i in seen or self.quoted[token.i] >= 0 or token.dep_ != "nsubj":
                continue
            if token.lower_ in PERSON_NOUNS or token.lemma_.lower() in PERSON_NOUNS:
                number = "pl" if token.tag_ in ("NNS", "NNPS") else "sg"
                gender = "m" if token.lower_ in MALE_WORDS else "f" if token.lower_ in FEMALE_WORDS else None
                kind = "person" if number == "sg" else "group"
                mention = mention_span(token, self.quoted)
                out.append(_Antecedent(token.i, kind, number, gender, True, strip_name(mention.text), False))
        out.sort()
        return out

    def resolve_pronoun(self, pronoun: Token) -> str | None:
        """Canonical name of the antecedent of ``pronoun`` among the compatible mentions
        (person/group, number, gender) of the last few sentences outside quotations: the
        nearest subject, else the nearest mention, named entities before common nouns;
        one known to have the pronoun's gender ("Mr. Reed" for "he") wins over a subject of
        unknown gender when it is as recent as that; None for I/we/you or when nothing fits."""
        if pronoun.i in self._pronoun_cache:
            return self._pronoun_cache[pronoun.i]
        constraint = _PRONOUNS.get(pronoun.lower_)
        result = None
        if constraint is not None:
            kind, number, gender = constraint
            first_sentence = self.sentence_of.get(pronoun.i, 0) - _ANTECEDENT_SENTENCES
            candidates = [
                a for a in reversed(self.antecedents)
                if a.i < pronoun.i and self.sentence_of.get(a.i, 0) >= first_sentence
                and _compatible(a, kind, number, gender)
            ]
            named = [a for a in candidates if a.named] or candidates
            best = next((a for a in named if a.subject), named[0] if named else None)
            gendered = next((a for a in named if gender is not None and a.gender == gender), None)
            if (
                gendered is not None
                and best.gender != gender  # a subject known to be of that gender stays
                and self.sentence_of.get(gendered.i, 0) >= self.sentence_of.get(best.i, 0)
            ):
                best = gendered
            result = best.canonical if best is not None else None
        self._pronoun_cache[pronoun.i] = result
        return result


def _narrative_sentences(doc: Doc, quoted: Sequence[int]) -> dict[int, int]:
    """Per token: the number of its sentence, counting only sentences with words outside
    quotation marks, so a long quotation does not push its speaker out of a pronoun's reach."""
    numbers: dict[int, int] = {}
    number = -1
    for sent in doc.sents if doc.has_annotation("SENT_START") else ():
        if any(quoted[t.i] < 0 and t.is_alpha for t in sent):
            number += 1
        for i in range(sent.start, sent.end):
            numbers[i] = max(number, 0)
    return numbers


def _is_pronoun(token: Token) -> bool:
    return token.lower_ in _PRONOUNS or token.pos_ == "PRON"


def _compatible(a: _Antecedent, kind: str, number: str, gender: str | None) -> bool:
    if kind == "person":
        return a.kind == "person" and a.number == "sg" and (gender is None or a.gender in (None, gender))
    if kind == "group":
        return a.kind == "group" and a.number == "sg"
    return a.number == "pl" or a.kind == "group"

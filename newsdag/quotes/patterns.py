"""The attribution shapes that are patterns, as spaCy matchers, run once per doc.

Reporting verbs and "according to" are word lists (``PhraseMatcher`` on the lower-case
form and on the lemma); "as X put it", the possessor of a noun for something said
("Roe's claim") and "X was quoted as saying" are ``DependencyMatcher`` patterns,
each matched only in docs holding its word. :class:`Matches` gives the hits by
token index; what depends on word order or quotation marks stays with the code reading them.
"""

from __future__ import annotations

from functools import cached_property
from typing import NamedTuple

from spacy.matcher import DependencyMatcher, PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from newsdag.quotes.lexicon import SPEECH_FORMS, SPEECH_LEMMAS, SPEECH_NOUNS
from newsdag.quotes.tokens import VERB_POS

# Word lists by lower-case form and by lemma: label -> phrases (as word lists).
FORM_PHRASES: dict[str, list[list[str]]] = {
    "speech_verb": [[form] for form in sorted(SPEECH_FORMS)],  # "said", "tweeted"
    "according_to": [["according", "to"]],
}
LEMMA_PHRASES: dict[str, list[list[str]]] = {
    "speech_verb": [[lemma] for lemma in sorted(SPEECH_LEMMAS)],  # by lemma, when the form is irregular
    "speech_noun": [[noun] for noun in sorted(SPEECH_NOUNS)],  # "claim", "remark"
    "put": [["put"]],
    "quote": [["quote"]],
}


class DependencyPattern(NamedTuple):
    """A ``DependencyMatcher`` pattern in one or more shapes that name their nodes in the
    same order, run only in docs holding a hit of the word list ``trigger``."""

    trigger: str
    shapes: list[list[dict]]


# Exact values only: spaCy tests "IN" sets in Python, token by token, which would cost
# more than all the rest of the extraction.
DEPENDENCY_PATTERNS: dict[str, DependencyPattern] = {
    # "as X put it": the verb reports X's words like "said"
    "put_it": DependencyPattern("put", [
        [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": "put"}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "it", "RIGHT_ATTRS": {"LOWER": "it", "DEP": "dobj"}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "as", "RIGHT_ATTRS": {"LOWER": "as", "DEP": dep}},
        ]
        for dep in ("mark", "advmod", "prep")
    ]),
    # "Roe's claim", "his remark": a noun with its possessor (the noun a "speech_noun" hit)
    "possessor": DependencyPattern("speech_noun", [[
        {"RIGHT_ID": "noun", "RIGHT_ATTRS": {"POS": "NOUN"}},
        {"LEFT_ID": "noun", "REL_OP": ">", "RIGHT_ID": "owner", "RIGHT_ATTRS": {"DEP": "poss"}},
    ]]),
    # "X was quoted as saying", "X is quoted as having said": X and the reporting verb,
    # with "as" a preposition or the marker of the verb's clause
    "quoted_as": DependencyPattern("quote", [
        [
            {"RIGHT_ID": "quote", "RIGHT_ATTRS": {"LEMMA": "quote", "TAG": "VBN"}},
            {"LEFT_ID": "quote", "REL_OP": ">", "RIGHT_ID": "subject", "RIGHT_ATTRS": {"DEP": "nsubjpass"}},
            {"LEFT_ID": "quote", "REL_OP": relation, "RIGHT_ID": "as", "RIGHT_ATTRS": {"LOWER": "as", "DEP": as_dep}},
            {"LEFT_ID": "as", "REL_OP": as_relation, "RIGHT_ID": "verb",
             "RIGHT_ATTRS": {"LEMMA": "say", "DEP": verb_dep}},
        ]
        for relation, as_dep, as_relation, verb_dep in ((">", "prep", ">", "pcomp"), (">>", "mark", "<", "advcl"))
    ]),
}
_ANNOTATIONS = ("DEP", "LEMMA", "POS", "TAG")


class _Matchers(NamedTuple):
    forms: PhraseMatcher
    lemmas: PhraseMatcher
    dependencies: dict[str, DependencyMatcher]  # by pattern label


_MATCHERS: dict[int, tuple[Vocab, _Matchers]] = {}


def _matchers(vocab: Vocab) -> _Matchers:
    """The matchers of ``vocab``, built on first use."""
    cached = _MATCHERS.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    forms = PhraseMatcher(vocab, attr="LOWER")
    for label, phrases in FORM_PHRASES.items():
        forms.add(label, [Doc(vocab, words=words) for words in phrases])
    lemmas = PhraseMatcher(vocab, attr="LEMMA")
    for label, phrases in LEMMA_PHRASES.items():
        lemmas.add(label, [Doc(vocab, words=words, lemmas=words) for words in phrases])
    dependencies = {}
    for label, pattern in DEPENDENCY_PATTERNS.items():
        dependencies[label] = DependencyMatcher(vocab)
        dependencies[label].add(label, pattern.shapes)
    matchers = _Matchers(forms, lemmas, dependencies)
    _MATCHERS[id(vocab)] = (vocab, matchers)
    return matchers


class Matches:
    """The pattern hits of one doc, by token index. A dependency pattern runs when it is
    first asked for; a doc without lemmas, tags or parse has only the hits of word forms."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._matchers = _matchers(doc.vocab)
        strings = doc.vocab.strings
        words: dict[str, set[int]] = {label: set() for label in [*FORM_PHRASES, *LEMMA_PHRASES]}
        for key, start, _ in self._matchers.forms(doc):
            words[strings[key]].add(start)
        if doc.has_annotation("LEMMA"):
            for key, start, _ in self._matchers.lemmas(doc):
                words[strings[key]].add(start)
        self.words = words
        self._parsed = all(doc.has_annotation(name) for name in _ANNOTATIONS)
        self._nodes: dict[str, list[dict[str, int]]] = {}
        #: reporting verbs, by form or lemma, tagged as verbs (or not tagged)
        self.speech_verbs = frozenset(i for i in words["speech_verb"] if _verbal(doc[i]))
        #: the "according" of "according to"
        self.according_to = frozenset(words["according_to"])
        #: the verb of "as X put it"
        self.put_it = frozenset(hit["verb"] for hit in self.nodes("put_it"))
        #: the words a cue can be made of: every hit of a reporting verb's form or lemma
        self.cue_words = sorted(words["speech_verb"] | self.according_to | self.put_it)

    def nodes(self, label: str) -> list[dict[str, int]]:
        """The hits of the dependency pattern ``label``: per hit, token index by node name."""
        if label not in self._nodes:
            pattern = DEPENDENCY_PATTERNS[label]
            hits = []
            if self.words[pattern.trigger] and self._parsed:
                names = [node["RIGHT_ID"] for node in pattern.shapes[0]]
                hits = [dict(zip(names, nodes)) for _, nodes in self._matchers.dependencies[label](self.doc)]
            self._nodes[label] = hits
        return self._nodes[label]

    @cached_property
    def possessors(self) -> dict[int, tuple[int, ...]]:
        """Noun for something said -> its possessors, in text order."""
        nouns = self.words["speech_noun"]
        owners: dict[int, list[int]] = {}
        for hit in sorted(self.nodes("possessor"), key=lambda hit: (hit["noun"], hit["owner"])):
            if hit["noun"] in nouns:
                owners.setdefault(hit["noun"], []).append(hit["owner"])
        return {noun: tuple(found) for noun, found in owners.items()}


def _verbal(token: Token) -> bool:
    """Tagged as a verb, by part of speech or tag, or not tagged at all."""
    return token.pos_ in VERB_POS or token.pos_ == "" or token.tag_.startswith("VB")

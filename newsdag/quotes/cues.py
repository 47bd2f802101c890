"""Attribution cues: reporting verbs and "according to", with their reported content.

A cue is found only outside quotation marks. Its *speaker head* is the token heading
the speaker's mention (see :mod:`newsdag.quotes.speakers` for the mention itself) and
its *content* is the reported clause as token ranges: the verb's clausal complement
("X said [that ...]"), the clause a parenthetical cue interrupts or follows
("[The plan], he said, [will fail]"), or the clause an "according to X" phrase
modifies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from spacy.tokens import Doc, Token

from newsdag.quotes.lexicon import SPEECH_FORMS, SPEECH_LEMMAS

_SUBJECT_DEPS = frozenset({"nsubj"})
_CLAUSE_DEPS = frozenset({"ccomp"})
# A verb attached with one of these to a clause on its left is a parenthetical cue.
_PARENTHETICAL_DEPS = frozenset({"parataxis", "ccomp", "advcl", "conj", "dep"})
# A verb with one of these relations shares its head verb's subject ("..., adding ...").
_INHERIT_SUBJECT_DEPS = frozenset({"conj", "xcomp", "advcl"})
# Relations of a nominal that follows an inverted cue ("..., said Secretary Blinken").
_INVERTED_SUBJECT_DEPS = frozenset({"nsubj", "dobj", "attr", "npadvmod", "appos", "oprd", "dative", "dep"})
_NOMINAL_POS = frozenset({"PROPN", "NOUN", "PRON"})
_CLOSING_PUNCT = frozenset({",", "”", '"', "''", "’", "»", "—", "–", "-"})


class Cue(NamedTuple):
    """An attributing expression: ``words`` as a token range ``[start, end)``,
    the token it hangs on (``anchor``), the speaker's head token or None, and
    the reported ``content`` as sorted token ranges (empty when there is none).
    """

    start: int
    end: int
    anchor: int
    speaker: int | None
    content: tuple[tuple[int, int], ...]


def is_speech_verb(token: Token) -> bool:
    """Is ``token`` a reporting verb (by lemma, or by form when the lemma is off)?"""
    if token.pos_ not in ("VERB", "AUX", "") and not token.tag_.startswith("VB"):
        return False
    return token.lemma_.lower() in SPEECH_LEMMAS or token.lower_ in SPEECH_FORMS


def find_cues(doc: Doc, quoted: Sequence[int]) -> list[Cue]:
    """Cues of ``doc`` outside quotations, ordered by position.

    ``quoted[i]`` is the index of the quotation holding token ``i``, or -1.
    Known limits: nominal cues ("in a statement", "his remarks") attribute only
    through their verb; passives ("he was quoted as saying") are not handled.
    """
    cues = []
    for token in doc:
        if quoted[token.i] >= 0 or _in_compound_word(token):
            continue
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            cues.append(_according_to(token, doc[token.i + 1], quoted))
        elif is_speech_verb(token):
            end = token.i + 1
            for child in token.rights:
                if child.dep_ == "prt" and child.i == end:
                    end += 1
            cues.append(Cue(token.i, end, token.i, verb_subject(token, quoted), _verb_content(token)))
    return [cue._replace(content=_within_line(doc, cue.anchor, cue.content)) for cue in cues]


def _within_line(doc: Doc, anchor: int, content: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Clip ``content`` to the line (paragraph) of the cue: a parse that runs across a
    line break (a headline glued to the first sentence) never reports across it."""
    first = anchor
    while first > 0 and not _breaks_line(doc[first - 1]):
        first -= 1
    last = anchor
    while last + 1 < len(doc) and not _breaks_line(doc[last]):
        last += 1
    return _ranges(t for s, e in content for t in doc[max(s, first) : min(e, last + 1)])


def _across_lines(a: Token, b: Token) -> bool:
    """Is there a line break between ``a`` and ``b`` (a dateline or timestamp the
    parser glued to the next sentence)?"""
    first, last = sorted((a.i, b.i))
    return any(_breaks_line(t) for t in a.doc[first:last])


def _breaks_line(token: Token) -> bool:
    return "\n" in token.text or "\n" in token.whitespace_


def _in_compound_word(token: Token) -> bool:
    """Part of a hyphenated word ("so-called")?"""
    doc = token.doc
    return token.i > 0 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_


def _according_to(according: Token, to: Token, quoted: Sequence[int]) -> Cue:
    objects = [t for t in to.children if t.dep_ == "pobj" and quoted[t.i] < 0]
    excluded = {t.i for t in according.subtree}
    clause = according.sent if according.head.i == according.i else according.head.subtree
    content = _ranges(t for t in clause if t.i not in excluded)
    return Cue(according.i, to.i + 1, according.i, objects[0].i if objects else None, content)


def verb_subject(verb: Token, quoted: Sequence[int]) -> int | None:
    """Head token of the speaker of ``verb``: its subject (inherited through "and",
    "..., adding" or "X was prompted to say"; a relative pronoun as written), the noun a
    relative clause hangs on, or the nominal right after an inverted cue ("“...,” said
    X"); None if there is none outside quotations."""
    seen = set()
    subjects = _SUBJECT_DEPS
    while verb.i not in seen:
        seen.add(verb.i)
        for child in verb.children:
            if child.dep_ in subjects and quoted[child.i] < 0 and not _across_lines(child, verb):
                return child.i
        inverted = _inverted_subject(verb, quoted)
        if inverted is not None:
            return inverted
        if verb.dep_ == "relcl":
            return verb.head.i
        governor = _governing_clause(verb)
        if governor is None:
            return None
        subjects = _SUBJECT_DEPS | {"nsubjpass"} if verb.dep_ == "xcomp" else _SUBJECT_DEPS
        verb = governor
    return None


def _governing_clause(verb: Token) -> Token | None:
    """The verb on the left whose subject ``verb`` shares: "X said ... and added",
    "X continued by saying", "X issued a statement saying"; None if there is none."""
    head = verb.head
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        head = head.head
    elif verb.dep_ == "acl" and head.dep_ in ("dobj", "pobj"):
        head = head.head.head if head.dep_ == "pobj" else head.head
    elif verb.dep_ not in _INHERIT_SUBJECT_DEPS:
        return None
    if head.pos_ in ("VERB", "AUX") and head.i < verb.i:
        return head
    return None


def _inverted_subject(verb: Token, quoted: Sequence[int]) -> int | None:
    """The nominal right after a cue that follows a quotation or a comma ("..., said X")."""
    doc = verb.doc
    if verb.tag_ == "VBG" or verb.lemma_ == "tell":
        return None  # "..., telling reporters": the nominal is the addressee
    before = verb.i - 1
    while before >= 0 and doc[before].is_space:
        before -= 1
    if before < 0 or (doc[before].text not in _CLOSING_PUNCT and quoted[before] < 0):
        return None
    for child in verb.rights:
        if child.dep_ in _INVERTED_SUBJECT_DEPS and child.pos_ in _NOMINAL_POS and quoted[child.i] < 0:
            return child.i
    i = verb.i + 1
    while i < len(doc) and doc[i].pos_ in ("DET", "ADJ", "PROPN", "NOUN", "PRON") and quoted[i] < 0:
        if doc[i].pos_ in _NOMINAL_POS and (i + 1 == len(doc) or doc[i + 1].pos_ not in ("PROPN", "NOUN")):
            return i
        i += 1
    return None


def _verb_content(verb: Token) -> tuple[tuple[int, int], ...]:
    clauses = [child for child in verb.children if child.dep_ in _CLAUSE_DEPS]
    if clauses:
        return _ranges(t for clause in clauses for t in clause.subtree)
    doc = verb.doc
    after = verb.i + 1
    if after < len(doc) and doc[after].lower_ == "that" and doc[after].dep_ == "mark" and doc[after].head.i > after:
        # "said that ..." misattached elsewhere by the parser: the clause "that" opens
        return _ranges(t for t in doc[after].head.subtree if t.i >= after)
    head = verb.head
    if verb.tag_ == "VBG":
        return ()  # "X won, claiming ...": a participle adds to its clause, it does not report it
    if head.i != verb.i and verb.dep_ in _PARENTHETICAL_DEPS and head.i < verb.i and head.pos_ in ("VERB", "AUX"):
        left = verb.left_edge.i - 1
        if left >= 0 and doc[left].text in _CLOSING_PUNCT:
            excluded = {t.i for t in verb.subtree}
            return _ranges(t for t in head.subtree if t.i not in excluded)
    return ()


def _ranges(tokens: Iterable[Token]) -> tuple[tuple[int, int], ...]:
    """Contiguous token ranges of ``tokens``, punctuation and spaces trimmed at each end."""
    tokens = sorted(tokens, key=lambda t: t.i)
    if not tokens:
        return ()
    doc = tokens[0].doc
    runs: list[list[int]] = []
    for token in tokens:
        if runs and token.i == runs[-1][1]:
            runs[-1][1] = token.i + 1
        elif not runs or token.i > runs[-1][1]:
            runs.append([token.i, token.i + 1])
    ranges = []
    for start, end in runs:
        while start < end and (doc[start].is_punct or doc[start].is_space):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if start < end:
            ranges.append((start, end))
    return tuple(ranges)

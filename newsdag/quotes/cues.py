"""Attribution cues: reporting verbs, "as X put it" and "according to", with their reported content.

A cue is found only outside quotation marks. Its *speaker head* is the token heading
the speaker's mention (see :mod:`newsdag.quotes.speakers` for the mention itself) and
its *content* is the reported clause as token ranges: the verb's clausal complement
("X said [that ...]"), the clause a parenthetical cue interrupts or follows
("[The plan], he said, [will fail]"), or the clause an "according to X" phrase
modifies. The words that make a cue are matched in :mod:`newsdag.quotes.patterns`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from spacy.tokens import Doc, Token

from newsdag.quotes.lexicon import SPEECH_FORMS
from newsdag.quotes.patterns import Matches
from newsdag.quotes.tokens import (
    NOMINAL_POS,
    SENTENCE_ENDS,
    TIME_LABELS,
    VERB_POS,
    TokenRange,
    across_lines,
    ends_line,
    in_compound_word,
    is_animate,
    token_ranges,
)

_SUBJECT_DEPS = frozenset({"nsubj"})
_CLAUSE_DEPS = frozenset({"ccomp"})
# A verb attached with one of these to a clause on its left is a parenthetical cue.
_PARENTHETICAL_DEPS = frozenset({"parataxis", "ccomp", "advcl", "conj", "dep"})
# A verb with one of these relations shares its head verb's subject ("..., adding ...").
_INHERIT_SUBJECT_DEPS = frozenset({"conj", "xcomp", "advcl"})
# Relations of a nominal that follows an inverted cue ("..., said Secretary Blinken").
_INVERTED_SUBJECT_DEPS = frozenset({"nsubj", "dobj", "attr", "npadvmod", "appos", "oprd", "dative", "dep"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
_CLOSING_PUNCT = frozenset({",", "”", '"', "''", "’", "»", "—", "–", "-"})
_RELATIVE_PRONOUNS = frozenset({"that", "which"})
_DATELINE_PUNCT = frozenset({"-", "—", "–", "--", ",", "("})
_QUOTE_END_PUNCT = frozenset({",", "?", "!"})
_CLAUSE_CLOSERS = frozenset({":", ";"})
_NAME_POS = frozenset({"DET", "ADJ", "PROPN", "NOUN", "PRON", "PART", "NUM"})
_MAX_SUBJECT_WORDS = 16  # a longer stretch between quotation and cue is not just its speaker


class Cue(NamedTuple):
    """An attributing expression: its words ``doc[start:end]``, the token it hangs on
    (``anchor``), the speaker's head token or None, the reported ``content`` as sorted
    token ranges (empty when there is none) and its ``kind``: "reporting_verb",
    "according_to", "as_put_it", or "word" for a word a rule found attributing
    (a governing verb, a noun for something said).
    """

    start: int
    end: int
    anchor: int
    speaker: int | None
    content: tuple[TokenRange, ...]
    kind: str = "reporting_verb"

    @classmethod
    def word(cls, token: Token, speaker: int | None) -> Cue:
        """A content-less cue of one word (a verb or a noun that attributes)."""
        return cls(token.i, token.i + 1, token.i, speaker, (), "word")


def _closing_noun_cue(token: Token, quoted: Sequence[int]) -> bool:
    """Is ``token`` a reporting verb the tagger took for the noun ending a sentence after a
    quotation ("“...,” the editorial read.")? Only a short noun phrase stands between them."""
    doc = token.doc
    if token.pos_ != "NOUN" or token.lower_ not in SPEECH_FORMS or token.dep_ != "ROOT" or token.i < 2:
        return False
    if token.i + 1 < len(doc) and doc[token.i + 1].text not in SENTENCE_ENDS | {","}:
        return False
    i = token.i - 1
    while i > 0 and token.i - i <= 4 and quoted[i] < 0 and doc[i].pos_ in _NAME_POS:
        i -= 1
    return i < token.i - 1 and quoted[i] >= 0


def find_cues(doc: Doc, quoted: Sequence[int], matches: Matches) -> list[Cue]:
    """Cues of ``doc`` outside quotations, ordered by position.

    A reporting verb the tagger took for a noun right after a quotation ("“...,” the
    editorial read.") is still a cue, with the phrase between them as its speaker.
    Known limits: nominal cues ("in a statement", "his remarks") attribute only
    through their verb; passives ("he was quoted as saying") are left to the rules.
    """
    cues = []
    for token in (doc[i] for i in matches.cue_words):
        if quoted[token.i] >= 0 or in_compound_word(token):
            continue
        if token.i in matches.according_to:
            cues.append(_according_to(token, doc[token.i + 1], quoted))
        elif _closing_noun_cue(token, quoted):
            speaker = _subject_after_quote(token, quoted) or token.i - 1
            cues.append(Cue(token.i, token.i + 1, token.i, speaker, (), "reporting_verb"))
        elif token.i in matches.speech_verbs or token.i in matches.put_it:
            end = token.i + 1
            for child in token.rights:
                if child.dep_ == "prt" and child.i == end:
                    end += 1
            kind = "reporting_verb" if token.i in matches.speech_verbs else "as_put_it"
            cues.append(Cue(token.i, end, token.i, verb_subject(token, quoted), _verb_content(token), kind))
    return [cue._replace(content=_within_line(doc, cue.anchor, cue.content)) for cue in cues]


def _within_line(doc: Doc, anchor: int, content: tuple[TokenRange, ...]) -> tuple[TokenRange, ...]:
    """Clip ``content`` to the line (paragraph) of the cue: a parse that runs across a
    line break (a headline glued to the first sentence) never reports across it."""
    first = anchor
    while first > 0 and not ends_line(doc[first - 1]):
        first -= 1
    last = anchor
    while last + 1 < len(doc) and not ends_line(doc[last]):
        last += 1
    return token_ranges(t for s, e in content for t in doc[max(s, first) : min(e, last + 1)])


def _according_to(according: Token, to: Token, quoted: Sequence[int]) -> Cue:
    objects = [t for t in to.children if t.dep_ == "pobj" and quoted[t.i] < 0]
    excluded = {t.i for t in according.subtree}
    clause = according.sent if according.head.i == according.i else according.head.subtree
    content = token_ranges(t for t in clause if t.i not in excluded)
    return Cue(according.i, to.i + 1, according.i, objects[0].i if objects else None, content, "according_to")


def verb_subject(verb: Token, quoted: Sequence[int]) -> int | None:
    """Head token of the speaker of ``verb``: its subject (inherited through "and",
    "..., adding" or "X was prompted to say"; a relative pronoun as written, unless it
    stands for a thing someone issued), the phrase between a quotation and its cue, the
    nominal right after an inverted cue ("“...,” said X"), the person a relative clause
    or participle hangs on, or the noun phrase right before a finite verb the parser left
    without one; None if there is none outside quotations."""
    seen = set()
    subjects = _SUBJECT_DEPS
    while verb.i not in seen:
        seen.add(verb.i)
        subject = _explicit_subject(verb, subjects, quoted)
        if subject is not None:
            return subject
        if len(seen) == 1:
            named = _subject_after_quote(verb, quoted)
            if named is not None:
                return named
        inverted = _inverted_subject(verb, quoted)
        if inverted is not None:
            return inverted
        if verb.dep_ in ("relcl", "acl") and is_animate(verb.head):
            return verb.head.i  # "a general who said", "footage of X saying"
        if verb.dep_ == "relcl":
            owner = _owner(verb.head, quoted)
            return verb.head.i if owner is None else owner
        named = _named_before_participle(verb, quoted)
        if named is not None:
            return named
        governor = _governing_clause(verb)
        if governor is None:
            return _adjacent_subject(verb, quoted)
        subjects = _SUBJECT_DEPS | {"nsubjpass"} if verb.dep_ == "xcomp" else _SUBJECT_DEPS
        verb = governor
    return None


def _named_before_participle(verb: Token, quoted: Sequence[int]) -> int | None:
    """The person named right before a participle after "of" ("footage of Jane Roe
    saying"): she says it, whatever the parser hung the participle on."""
    if verb.tag_ != "VBG" or verb.i == 0:
        return None
    before = verb.doc[verb.i - 1]
    if quoted[before.i] >= 0 or before.ent_type_ != "PERSON" or before.dep_ != "pobj" or before.head.lower_ != "of":
        return None
    return before.i


def _explicit_subject(verb: Token, deps: frozenset[str], quoted: Sequence[int]) -> int | None:
    """The subject the parser gave ``verb``, read past a dateline ("WASHINGTON — Jane
    Roe said": Jane Roe) and past a relative pronoun standing for a thing someone issued
    ("X released an ad that urges": X)."""
    for child in verb.children:
        if child.dep_ not in deps or quoted[child.i] >= 0 or across_lines(child, verb):
            continue
        if child.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl" and not is_animate(verb.head):
            owner = _owner(verb.head, quoted)
            if owner is not None:
                return owner
        if _is_dateline(child):
            named = next((c for c in child.children if _names_after_dateline(c)), None)
            if named is None:
                continue
            return named.i
        return child.i
    return None


def _owner(noun: Token, quoted: Sequence[int]) -> int | None:
    """The animate subject of the verb whose object is ``noun``: a thing that speaks
    through a relative clause ("X released an ad that urges ...") speaks for X."""
    verb = noun.head
    if noun.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    elif noun.dep_ != "dobj":
        return None
    if verb.pos_ not in VERB_POS or verb.i > noun.i:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and quoted[c.i] < 0), None)
    return subject.i if subject is not None and is_animate(subject) else None


def _subject_after_quote(verb: Token, quoted: Sequence[int]) -> int | None:
    """Head of the noun phrase between a quotation ending with a comma and its cue
    ("“...,” Chief Ann Marsh, a spokeswoman, said"), whatever the parser made of it:
    the name before any apposition, its last nominal word. None unless only such a
    phrase separates them."""
    doc = verb.doc
    if verb.tag_ == "VBG":
        return None
    i = verb.i - 1
    while i >= 0 and quoted[i] < 0 and i > verb.i - _MAX_SUBJECT_WORDS and not ends_line(doc[i]):
        i -= 1
    if i < 1 or quoted[i] < 0:
        return None
    words = [t for t in doc[i + 1 : verb.i] if not t.is_space]
    if words and words[0].text == ",":
        words = words[1:]
    elif doc[i - 1].text not in _QUOTE_END_PUNCT:
        return None  # not “...,” X said: the quotation is part of the clause
    comma = next((k for k, t in enumerate(words) if t.text == ","), len(words))
    name = words[:comma]
    if not name or not all(t.pos_ in _NAME_POS or t.is_title for t in name):
        return None
    nominals = [t for t in name if t.pos_ in NOMINAL_POS and t.ent_type_ not in TIME_LABELS]
    return nominals[-1].i if nominals else None


def _is_dateline(token: Token) -> bool:
    """Is ``token`` in the upper-case place name opening a paragraph before a dash or
    comma ("WASHINGTON — ...", "PARIS, May 2 ...")? The parser often makes it the subject."""
    doc = token.doc
    start = token.i
    while start > 0 and not ends_line(doc[start - 1]) and doc[start - 1].is_upper:
        start -= 1
    if start > 0 and not ends_line(doc[start - 1]):
        return False
    end = token.i + 1
    while end < len(doc) and doc[end].is_upper and not doc[end].is_punct:
        end += 1
    words = doc[start:end]
    return all(t.is_upper and len(t.text) > 1 for t in words) and end < len(doc) and doc[end].text in _DATELINE_PUNCT


def _names_after_dateline(token: Token) -> bool:
    """Is ``token`` an apposition naming someone after a dateline, not its date or its
    agency in brackets ("PARIS, May 2 (AP)")?"""
    doc = token.doc
    return (
        token.dep_ == "appos"
        and token.i > token.head.i
        and token.ent_type_ not in TIME_LABELS
        and "(" not in (doc[token.i - 1].text, token.left_edge.text, doc[max(token.left_edge.i - 1, 0)].text)
    )


def _adjacent_subject(verb: Token, quoted: Sequence[int]) -> int | None:
    """The name or noun right before a finite verb the parser left without a subject
    ("Col. Jane Roe, a spokeswoman in Kyiv, said"): the parser took that noun phrase
    for something else. Past an apposition set off by commas, the name before it."""
    doc = verb.doc
    if verb.tag_ not in _FINITE_TAGS or verb.dep_ != "ROOT":
        return None
    i = verb.i - 1
    comma = i >= 0 and doc[i].text == ","
    if comma:
        i -= 1
    if i < 0 or quoted[i] >= 0 or doc[i].pos_ not in NOMINAL_POS or across_lines(doc[i], verb):
        return None
    if comma:
        k = i
        while k > 0 and doc[k - 1].text != "," and not doc[k].is_sent_start:
            k -= 1
        if k > 1 and doc[k - 1].text == "," and doc[k - 2].pos_ == "PROPN" and quoted[k - 2] < 0:
            return k - 2
    return i


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
    if head.pos_ in VERB_POS and head.i < verb.i:
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
    opening = verb.is_title and (before < 0 or doc[before].text in SENTENCE_ENDS or ends_line(doc[before]))
    if not opening and (before < 0 or (doc[before].text not in _CLOSING_PUNCT and quoted[before] < 0)):
        return None  # neither "..., said X" nor "Said X: ..."
    for child in verb.rights:
        if child.dep_ in _INVERTED_SUBJECT_DEPS and child.pos_ in NOMINAL_POS and quoted[child.i] < 0:
            return child.i
    i = verb.i + 1
    while i < len(doc) and doc[i].pos_ in ("DET", "ADJ", "PROPN", "NOUN", "PRON") and quoted[i] < 0:
        if doc[i].pos_ in NOMINAL_POS and (i + 1 == len(doc) or doc[i + 1].pos_ not in ("PROPN", "NOUN")):
            return i
        i += 1
    return None


def _verb_content(verb: Token) -> tuple[tuple[int, int], ...]:
    clauses = [child for child in verb.children if child.dep_ in _CLAUSE_DEPS and not _closed_before(child, verb)]
    if clauses:
        return token_ranges(t for clause in clauses for t in clause.subtree)
    doc = verb.doc
    after = verb.i + 1
    if after < len(doc) and doc[after].lower_ == "that" and doc[after].dep_ == "mark" and doc[after].head.i > after:
        # "said that ..." misattached elsewhere by the parser: the clause "that" opens
        return token_ranges(t for t in doc[after].head.subtree if t.i >= after)
    head = verb.head
    if verb.tag_ == "VBG":
        return ()  # "X won, claiming ...": a participle adds to its clause, it does not report it
    if head.i != verb.i and verb.dep_ in _PARENTHETICAL_DEPS and head.i < verb.i and head.pos_ in VERB_POS:
        left = verb.left_edge.i - 1
        if left >= 0 and doc[left].text in _CLOSING_PUNCT and not _has_own_clause(verb):
            excluded = {t.i for t in verb.subtree}
            return token_ranges(t for t in head.subtree if t.i not in excluded)
    return ()


def _closed_before(clause: Token, verb: Token) -> bool:
    """Does ``clause`` end before ``verb`` with a colon or semicolon ("It had an effect:
    20 percent said ...")? A clause closed that way is a sentence of its own, not the
    words the verb reports."""
    after = clause.right_edge.i + 1
    return after < verb.i and verb.doc[after].text in _CLAUSE_CLOSERS


def _has_own_clause(verb: Token) -> bool:
    """Does ``verb`` open a clause of its own ("..., though they disclosed the tax",
    "..., but he said no") rather than interrupt or close one ("..., he said, ...",
    "..., as she said", "..., he told reporters")? Then the clause before it is not what
    it reports."""
    return any(
        (child.dep_ == "mark" and child.lower_ != "as")
        or child.dep_ in ("cc", "xcomp")
        or (child.dep_ == "dobj" and verb.lemma_ != "tell")
        for child in verb.children
    )

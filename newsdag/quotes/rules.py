"""Attribution rules: who said a quotation, as an ordered table of small functions.

Each rule reads the :class:`~newsdag.quotes.context.Context` of the doc and one
:class:`~newsdag.quotes.context.Quotation` and returns an
:class:`~newsdag.quotes.context.Attribution` naming itself, or None; the first rule
of the table that applies wins. A rule's docstring gives its example sentences, and
its ``unless`` column the quotations it never attributes. :data:`RULES` read the doc
alone; :data:`DISCOURSE_RULES` run after split quotations are joined, in text order,
for the quotations no rule of :data:`RULES` attributed, and read the quotations before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from spacy.tokens import Token

from newsdag.quotes.context import Attribution, Context, Quotation
from newsdag.quotes.cues import Cue, verb_subject
from newsdag.quotes.titles import is_label, is_title
from newsdag.quotes.tokens import (
    SENTENCE_ENDS,
    VERB_POS,
    is_animate,
    is_name,
    word_after,
    word_before,
)

_DASHES = ("―", "—", "–", "-", "--")
_CONTENT_FILLERS = frozenset({"that"})
_ARGUMENT_DEPS = frozenset({"dobj", "conj", "attr", "oprd"})
_MAX_LABEL_WORDS = 4  # a speaker's name opening a transcript line

Check = Callable[[Context, Quotation], bool]


class Rule(NamedTuple):
    """A rule of the table: its function, and the checks that veto it."""

    apply: Callable[[Context, Quotation], Attribution | None]
    unless: tuple[Check, ...] = ()

    @property
    def name(self) -> str:
        return self.apply.__name__


def first_attribution(rules: tuple[Rule, ...], context: Context, quotation: Quotation) -> Attribution | None:
    """The attribution of the first rule of ``rules`` that applies to ``quotation``."""
    for rule in rules:
        if any(veto(context, quotation) for veto in rule.unless):
            continue
        attribution = rule.apply(context, quotation)
        if attribution is not None:
            return attribution
    return None


# ---------------------------------------------------------------------- vetoes
def titled(context: Context, quotation: Quotation) -> bool:
    """Written as a title outside a headline ("She starred in “The Long Road Home”")."""
    return quotation.titled


def short_label(context: Context, quotation: Quotation) -> bool:
    """Fewer than ``min_words`` words modifying a noun ("the “emergency” measures")."""
    return len(quotation.words) < context.min_words and is_label(
        context.doc, quotation.start, quotation.end, context.quoted
    )


def short(context: Context, quotation: Quotation) -> bool:
    """Fewer than ``min_words`` words: a scare quote unless a rule says who said it."""
    return len(quotation.words) < context.min_words


def title_words(context: Context, quotation: Quotation) -> bool:
    """Title-cased words, even in a headline: a name, not something said."""
    return is_title(quotation.words)


# ------------------------------------------------------------------ the rules
def quoted_as_saying(context: Context, quotation: Quotation) -> Attribution | None:
    """The subject of "quoted as saying" or "quoted as having said" beside or around it.

    Tom Reed was quoted as saying “the plan will fail before the summer.”
    “The plan will fail,” Ana Lopez is quoted as having said.
    """
    subjects = {hit["verb"]: hit["subject"] for hit in context.matches.nodes("quoted_as")}
    for c in (*context.claims.get(quotation.index, ()), *(c for _, _, c in _cues_beside(context, quotation))):
        cue = context.cues[c]
        subject = subjects.get(cue.anchor)
        if subject is not None and context.quoted[subject] < 0:
            return Attribution("quoted_as_saying", context.speaker(subject), cue)
    return None


def claiming_cue(context: Context, quotation: Quotation) -> Attribution | None:
    """The cue whose reported clause holds the quotation: of several, the outermost one
    with an animate or "according to" source, else the outermost with a speaker.

    Ana Lopez said the repairs were “far behind schedule” because of the rain.
    “The deal is dead,” Tom Reed said, according to a recording.  (the recording's)
    """
    claiming = context.claims.get(quotation.index, ())
    cues = context.cues
    outermost_first = sorted(claiming, key=lambda c: -sum(e - s for s, e in cues[c].content))
    with_speaker = [c for c in outermost_first if cues[c].speaker is not None]
    chosen = next(
        (c for c in with_speaker if cues[c].kind == "according_to" or is_animate(context.doc[cues[c].speaker])),
        with_speaker[0] if with_speaker else None,
    )
    if chosen is None:
        return None
    cue = cues[chosen]
    return Attribution("claiming_cue", context.cue_speakers[chosen], cue, _is_mixed(context, cue))


def claim_owner(context: Context, quotation: Quotation) -> Attribution | None:
    """The animate possessor of a noun for something said whose clause holds the
    quotation, whatever verb stands nearer; the walk up stops at a reporting verb.

    Residents rejected Ana Lopez's claim that the bridge was “perfectly safe.”
    """
    doc, quoted = context.doc, context.quoted
    link = next(
        (t for t in doc[quotation.start : quotation.end] if quoted[t.head.i] != quotation.index and t.head.i != t.i),
        None,
    )
    if link is None:
        return None
    head = link.head
    while quoted[head.i] < 0 and head.i not in context.matches.speech_verbs:
        owner = _possessor(context, head)
        if owner is not None:
            return Attribution("claim_owner", context.speaker(owner), Cue.word(head, owner))
        if head.head.i == head.i:
            return None
        head = head.head
    return None


def main_clause_colon(context: Context, quotation: Quotation) -> Attribution | None:
    """The subject of the clause a colon ends before the quotation, when the nearest cue
    only opens a clause subordinate to it.

    When Roe suggested the city would pay, Doe fired back: “They will lose.”  (Doe's)
    """
    c = _nearest_cue(context, quotation)
    if c is None or context.cue_speakers[c] is None:
        return None
    doc, quoted = context.doc, context.quoted
    anchor = doc[context.cues[c].anchor]
    verb = anchor.head
    colon = word_before(doc, quotation.start)
    if anchor.dep_ != "advcl" or colon is None or colon.text != ":":
        return None
    if verb.pos_ not in VERB_POS or not anchor.i < verb.i < colon.i or quoted[verb.i] >= 0:
        return None
    subject = verb_subject(verb, quoted)
    if subject is None or not anchor.i < subject < colon.i:
        return None
    return Attribution("main_clause_colon", context.speaker(subject))


def nearest_cue(context: Context, quotation: Quotation) -> Attribution | None:
    """The cue with a speaker nearest to the quotation in its sentence, right side first.

    “We will rebuild the bridge by June,” said Mayor Ana Lopez.
    Ana Lopez said: “We will rebuild the bridge by June.”
    """
    c = _nearest_cue(context, quotation)
    if c is None or context.cue_speakers[c] is None:
        return None
    return Attribution("nearest_cue", context.cue_speakers[c], context.cues[c])


def dash_signature(context: Context, quotation: Quotation) -> Attribution | None:
    """A name signing the quotation after a dash, ending its sentence or paragraph.

    “He never listens to anyone here.” ― John Doe
    """
    doc, quoted, paragraph = context.doc, context.quoted, context.paragraph
    last = quotation.end - 1
    home = paragraph[last]

    def here(k: int) -> bool:
        return k < len(doc) and paragraph[k] == home

    i = last + 1
    if not doc[last].text.endswith(_DASHES):  # else the tokeniser glued mark and dash: ”―
        while here(i) and (doc[i].is_space or doc[i].text in SENTENCE_ENDS):
            i += 1
        if not here(i) or doc[i].text not in _DASHES:
            return None
        i += 1
    while here(i) and doc[i].is_space:  # "― Jane Roe" with a non-breaking space
        i += 1
    end = i
    while here(end) and quoted[end] < 0 and not doc[end].is_space and is_name(doc[end]):
        end += 1
    if end == i or (here(end) and not doc[end].is_punct and not doc[end].is_space):
        return None
    return Attribution("dash_signature", context.speaker(end - 1))


def transcript(context: Context, quotation: Quotation) -> Attribution | None:
    """A name of at most four words opening the quotation before a colon, as in a
    quoted transcript.

    “SMITH: Well, we will see what happens next.”
    """
    doc = context.doc
    i, last = quotation.start, quotation.end - 1
    while i <= last and (doc[i].is_punct or doc[i].is_space):
        i += 1
    colon = next((k for k in range(i, min(i + _MAX_LABEL_WORDS + 1, last)) if doc[k].text == ":"), None)
    if colon is None or colon == i or not all(is_name(t) for t in doc[i:colon]):
        return None
    return Attribution("transcript", context.speaker(colon - 1))


def governing_verb(context: Context, quotation: Quotation) -> Attribution | None:
    """The animate subject of the verb outside the quotation that governs it, walking
    past relative clauses, copulas and listed quotations (or the possessor of a noun for
    something said met on the way). A verb in another paragraph, or after a quotation
    that ended its sentence, is a misparse; the subject of a copula is described.

    Tom Reed mocked the senator for his “endless and very boring speeches.”
    Ana Lopez called the plan a “disaster,” a “waste” and “reckless.”
    Ana Lopez described Tom Reed as a man who is “utterly without any principle.”
    """
    doc, quoted, paragraph = context.doc, context.quoted, context.paragraph
    for token in doc[quotation.start : quotation.end]:
        head = token.head
        if token.is_punct or head.i == token.i or quoted[head.i] == quotation.index:
            continue
        while head.head.i != head.i and (
            (quoted[head.i] < 0 and (head.dep_ == "relcl" or head.lemma_ == "be")) or head.pos_ not in VERB_POS
        ):
            owner = _possessor(context, head)
            if owner is not None:
                return Attribution("governing_verb", context.speaker(owner), Cue.word(head, owner))
            head = head.head
        if head.pos_ not in VERB_POS or quoted[head.i] >= 0 or (quotation.ended and head.i >= quotation.end):
            return None
        if paragraph[head.i] != paragraph[quotation.start] or head.lemma_ == "be":
            return None
        subject = verb_subject(head, quoted)
        if subject is None or not is_animate(doc[subject]):
            return None
        return Attribution("governing_verb", context.speaker(subject), Cue.word(head, subject))
    return None


def colon(context: Context, quotation: Quotation) -> Attribution | None:
    """A name before a colon, or the subject of the clause a colon ends, also when the
    colon ends the paragraph before the quotation.

    Ana Lopez: “The bridge will reopen before the summer.”
    Mr. Hale shot back: “That would be good for everyone.”
    """
    doc, quoted, paragraph = context.doc, context.quoted, context.paragraph
    first = quotation.start
    i = first - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    head = None
    if i >= 1 and doc[i].text == ":" and quoted[i - 1] < 0 and is_name(doc[i - 1]):
        head = i - 1
    elif i >= 1 and doc[i].text == ":" and paragraph[i] != paragraph[first]:
        start = i  # a paragraph ending with a colon introduces the next one ("X wrote:")
        while start > 0 and paragraph[start - 1] == paragraph[i] and doc[start - 1].text not in SENTENCE_ENDS:
            start -= 1
        head = _clause_subject(context, start, i)
    else:
        start = first - 1
        while start > 0 and paragraph[start - 1] == paragraph[first] and doc[start - 1].text not in SENTENCE_ENDS:
            start -= 1
        mark = next((k for k in range(start, first) if doc[k].text == ":"), None)
        if mark is None or mark == start or quoted[mark - 1] >= 0:
            return None
        if all(is_name(t) or t.is_punct for t in doc[start:mark]) and is_name(doc[mark - 1]):
            head = mark - 1
        elif mark == first - 1 or (mark == first - 2 and doc[first - 1].is_space):
            head = _clause_subject(context, start, mark)
    return None if head is None else Attribution("colon", context.speaker(head))


def speakerless_cue(context: Context, quotation: Quotation) -> Attribution | None:
    """The nearest cue when the parse lost its speaker: the words are still reported,
    and take the speaker carried from before (see :func:`carried`).

    “We will fight on to the end,” it was said.
    """
    c = _nearest_cue(context, quotation)
    if c is None or context.cue_speakers[c] is not None:
        return None
    return Attribution("speakerless_cue", None, context.cues[c])


def continuation(context: Context, quotation: Quotation) -> Attribution | None:
    """The speaker of the quotation before it in its paragraph, when their cue stands
    between them: the words go on, however short.

    “We are ready for the storm,” Ana Lopez said. “Very ready.”
    """
    if context.discourse.previous is None:
        return None
    before, attribution = context.discourse.previous
    if attribution is None or attribution.cue is None or attribution.speaker is None:
        return None
    if not before.end <= attribution.cue.anchor < quotation.start:
        return None
    if context.paragraph[before.end - 1] != context.paragraph[quotation.start]:
        return None
    return Attribution("continuation", attribution.speaker)


def arguing_subject(context: Context, quotation: Quotation) -> Attribution | None:
    """For a short quotation that is an object, attribute or conjunct: the animate subject
    of its sentence, the nearest before it if several.

    Tom Reed accused the board of a “witch hunt.”
    Tom Reed was a “reluctant hero” in those years.
    """
    if len(quotation.words) >= context.min_words:
        return None
    doc, quoted = context.doc, context.quoted
    link = next((t for t in doc[quotation.start : quotation.end] if quoted[t.head.i] != quotation.index), None)
    if link is None or link.dep_ not in _ARGUMENT_DEPS:
        return None
    subjects = [
        t.i for t in doc[quotation.start].sent
        if t.dep_ == "nsubj" and quoted[t.i] < 0 and t.tag_ not in ("WP", "WDT") and is_animate(t)
    ]
    before = [i for i in subjects if i < quotation.start]
    subject = before[-1] if before else subjects[0] if subjects else None
    return None if subject is None else Attribution("arguing_subject", context.speaker(subject))


def carried(context: Context, quotation: Quotation) -> Attribution | None:
    """The last speaker, or named sentence subject, of its paragraph or the two before.

    Paul Grant said the council had approved the plan. “Now we need the money.”
    """
    if not context.carry_over:
        return None
    speaker = context.discourse.carried(quotation.start, context.paragraph)
    return None if speaker is None else Attribution("carried", speaker)


# ------------------------------------------------------------------ the table
RULES: tuple[Rule, ...] = (
    Rule(quoted_as_saying),                                 # X was quoted as saying “...”
    Rule(claiming_cue),                                     # X said the plan was “a disaster”
    Rule(claim_owner, unless=(titled,)),                    # X's claim that Y “wasted money”
    Rule(main_clause_colon, unless=(titled,)),              # When X suggested ..., Y fired back: “...”
    Rule(nearest_cue, unless=(titled,)),                    # “...,” said X / X said: “...”
    Rule(dash_signature),                                   # “...” ― Jane Roe
    Rule(transcript),                                       # “ROE: ...”
    Rule(governing_verb, unless=(titled, short_label)),     # X mocked Y for “...”
    Rule(colon),                                            # X: “...” / X shot back: “...”
    Rule(speakerless_cue, unless=(titled,)),                # “...,” it was said.
)

DISCOURSE_RULES: tuple[Rule, ...] = (
    Rule(continuation),                                     # “...,” X said. “Very good.”
    Rule(arguing_subject, unless=(title_words,)),           # X accused Y of a “witch hunt”
    Rule(carried, unless=(short, title_words)),             # X spoke. “...”
)

RULE_NAMES: tuple[str, ...] = tuple(rule.name for rule in RULES + DISCOURSE_RULES)


# ------------------------------------------------------------------ helpers
def _cues_beside(context: Context, quotation: Quotation) -> list[tuple[int, int, int]]:
    """(distance, side, cue) of the cues in the quotation's sentence, nearest first, on the
    right (side 0) before the left (side 1). A quotation closed by a full stop ends its
    sentence, and one inside a clause (words on both sides) is not what a cue after it
    reports."""
    left, right = _windows(context, quotation)
    beside = []
    for c, cue in enumerate(context.cues):
        if cue.anchor in right:
            beside.append((cue.anchor - (quotation.end - 1), 0, c))
        elif cue.anchor in left:
            beside.append((quotation.start - cue.anchor, 1, c))
    return sorted(beside)


def _nearest_cue(context: Context, quotation: Quotation) -> int | None:
    """The cue nearest to the quotation in its sentence, those with a speaker first."""
    beside = _cues_beside(context, quotation)
    return min(beside, key=lambda b: (context.cue_speakers[b[2]] is None, b))[2] if beside else None


def _windows(context: Context, quotation: Quotation) -> tuple[range, range]:
    """Tokens before and after the quotation up to a sentence end, another quotation or
    a paragraph break; none after it when it ends its sentence or sits inside a clause."""
    left = _window(context, quotation.start - 1, -1)
    right = range(0) if quotation.closed or _embedded(context, quotation) else _window(context, quotation.end, 1)
    return left, right


def _window(context: Context, start: int, step: int) -> range:
    doc, quoted, paragraph = context.doc, context.quoted, context.paragraph
    i = start
    home = paragraph[start - step] if 0 <= start - step < len(doc) else None
    while 0 <= i < len(doc):
        if quoted[i] >= 0 or paragraph[i] != home or doc[i].text in SENTENCE_ENDS:
            break
        i += step
    return range(start, i, step)


def _embedded(context: Context, quotation: Quotation) -> bool:
    """Do words run on both sides of the quotation ("X accused Y of “...” and Z said")?"""
    before = word_before(context.doc, quotation.start)
    after = word_after(context.doc, quotation.end)
    return before is not None and after is not None and not before.is_punct and not after.is_punct


def _is_mixed(context: Context, cue: Cue) -> bool:
    """Does the cue's content hold words outside the quotation ("said the repairs were “...”")?"""
    return any(
        context.quoted[t.i] < 0 and t.is_alpha and t.lower_ not in _CONTENT_FILLERS
        for s, e in cue.content for t in context.doc[s:e]
    )


def _possessor(context: Context, noun: Token) -> int | None:
    """The animate possessor of a noun for something said ("Roe's claim", "his remark")."""
    if context.quoted[noun.i] >= 0:
        return None
    owner = next((o for o in context.matches.possessors.get(noun.i, ()) if context.quoted[o] < 0), None)
    return owner if owner is not None and is_animate(context.doc[owner]) else None


def _clause_subject(context: Context, start: int, end: int) -> int | None:
    """Subject of the last verb with one in ``doc[start:end]``: the clause a colon ends
    introduces the quotation that follows ("X shot back: “...”")."""
    for token in reversed(context.doc[start:end]):
        if token.pos_ in VERB_POS and context.quoted[token.i] < 0:
            subject = verb_subject(token, context.quoted)
            if subject is not None and start <= subject < end:
                return subject
    return None

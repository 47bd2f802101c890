"""Who said what: quotations of a parsed Doc with their speakers and cues."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import NamedTuple

from spacy.tokens import Doc, Token

from newsdag.quotes.cues import Cue, find_cues, is_animate, is_speech_verb, verb_subject
from newsdag.quotes.lexicon import SPEECH_NOUNS, WORK_NOUNS
from newsdag.quotes.marks import QuoteRegion, find_quote_regions
from newsdag.quotes.speakers import SpeakerResolver, mention_span

_SENTENCE_END = frozenset({".", "!", "?"})
_TERMINAL = (".", "!", "?", "…")
_CLOSED_SENTENCE = (".",)
_DASHES = ("―", "—", "–", "-", "--")
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_MINOR_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "at", "with", "by"})
_CONTENT_FILLERS = frozenset({"that"})
_ARGUMENT_DEPS = frozenset({"dobj", "conj", "attr", "oprd"})
_MAX_LABEL_WORDS = 4  # a speaker's name opening a transcript line


class Quote(NamedTuple):
    """One quotation. ``kind``: "direct" (the words in marks are all the content),
    "mixed" (quoted words inside reported speech) or "indirect" (reported speech,
    no marks). Offsets are character offsets into ``doc.text``, end exclusive."""

    kind: str
    text: str
    start_char: int
    end_char: int
    segments: tuple[tuple[int, int], ...]
    speaker: str | None
    speaker_start_char: int | None
    speaker_end_char: int | None
    speaker_canonical: str | None
    cue: str | None
    cue_start_char: int | None
    cue_end_char: int | None


class _Speaker(NamedTuple):
    text: str | None
    start_char: int | None
    end_char: int | None
    canonical: str | None


class _Attribution(NamedTuple):
    cue: Cue | None
    speaker: _Speaker | None
    mixed: bool


# The extractor's settings with their defaults: the ``newsdag_quotes`` factory's
# default_config, and the keyword defaults of :func:`extract_quotes` called directly.
DEFAULT_SETTINGS = {"min_words": 3, "indirect": True, "carry_over": True}


def extract_quotes(
    doc: Doc,
    *,
    min_words: int = DEFAULT_SETTINGS["min_words"],
    indirect: bool = DEFAULT_SETTINGS["indirect"],
    carry_over: bool = DEFAULT_SETTINGS["carry_over"],
) -> list[Quote]:
    """Direct, mixed and (if ``indirect``) indirect quotations of ``doc``, ordered by
    ``start_char`` (then ``end_char``). Never mutates ``doc``; never raises on
    imperfect text (an unmatched mark quotes to the end of its paragraph).

    A quotation is attributed, in this order, to the cue whose reported clause
    contains it ("X said the plan was “a disaster”"), to the possessor of a noun for
    something said whose clause holds it ("X's claim that Y “wasted money”"), to the
    nearest cue beside it in its sentence ("“...,” said X", "X said: “...”"; a
    quotation ending in a full stop ends its sentence, so a cue after it belongs to
    what follows, and a cue after a quotation with words on both sides reports another
    clause: "X accused Y of “...” and Z said"; a cue in a clause subordinate to the one
    a colon ends before the quotation yields to that clause's subject: "When X
    suggested ..., Y fired back: “...”"), to a name signing it after a dash
    ("“...” ― Jane Roe") or opening it as in a transcript
    ("“ROE: ...”"), to the animate subject of the verb governing it ("X mocked Y for
    “...”", "X called Y a “liar” who is “cruel”"; past copulas, relative clauses and
    listed quotations) or to the possessor of a noun for something said ("X's claim
    that “...”") — not for titles, nor labels shorter than ``min_words`` words such as
    "the “emergency” measures" — to a name or the subject of a clause before a colon
    ("Blinken: “...”", "X shot back: “...”"), to the speaker of the quotation before it
    in its paragraph when their cue stands between them ("“...,” X said. “Very good.”"),
    or (if ``carry_over``) to the last speaker or named sentence subject of the same or
    the two previous paragraphs, with that speaker's mention; a cue beside it whose
    speaker the parse lost keeps the quotation and takes that carried speaker too. Two
    quotations around one cue inside one sentence form a split quote (one Quote, two
    segments), unless one of them is a title ("“...,” he said on “Meet the Press.”").
    Cue-less quotations shorter than ``min_words`` words are scare quotes and left out
    unless they are an object, attribute or conjunct in a sentence whose subject is
    someone ("X accused Y of a “witch hunt”": X's words). Cue-less quotations written as
    a title ("Star Wars"; in a headline, where every word is capitalised, a cue beside
    them still counts) and titled words after a possessive, "on", "of" or a noun for a
    work (ABC's “This Week”, the book “Art of the Deal”) are names of works and are
    left out.

    Known limits: speakers are found from the parse, so a misparse can attach a
    cue to the wrong noun; nested quotations are part of their outer quotation;
    cues inside a quotation are not attributed.
    """
    text = doc.text
    groups = _chain(find_quote_regions(text))
    quoted = _quoted_tokens(doc, groups)
    spans = _group_token_spans(quoted, len(groups))
    paragraph = _paragraphs(doc)
    cues = find_cues(doc, quoted)
    resolver = SpeakerResolver(doc, quoted)
    speakers = [_speaker(doc, cue.speaker, quoted, resolver) for cue in cues]
    claims = _claims(cues, quoted, len(groups))

    attributions = [
        None if spans[g] is None
        else _attribute(doc, text, group, spans[g], cues, speakers, claims[g], quoted, paragraph, resolver, min_words)
        for g, group in enumerate(groups)
    ]

    merged = _merge_split_quotes(doc, groups, spans, attributions, paragraph, quoted)
    quotes = []
    said: list[tuple[int, _Speaker]] = sorted(
        [(cue.anchor, speaker) for cue, speaker in zip(cues, speakers) if speaker is not None]
        + [(verb, _speaker(doc, subject, quoted, resolver)) for verb, subject in _named_subjects(doc, quoted)]
    )
    previous: tuple[int, _Attribution] | None = None  # last kept quotation: end token, attribution
    for members in merged:
        regions = [r for g in members for r in groups[g]]
        first, last = members[0], members[-1]
        attribution = attributions[first]
        words = " ".join(text[r.start : r.end] for r in regions).split()
        if len(members) == 1 and _names_a_work(doc, spans[first][0], words):
            continue
        if attribution is None and _goes_on(previous, spans[first][0], paragraph):
            attribution = _Attribution(None, previous[1].speaker, False)
        if attribution is None and len(words) < min_words and not _is_title(words):
            subject = _person_arguing(doc, spans[first], quoted)
            if subject is not None:
                attribution = _Attribution(None, _speaker(doc, subject, quoted, resolver), False)
        if attribution is None:
            if len(words) < min_words or _is_title(words):
                continue
            speaker = _carried_speaker(said, spans[first][0], paragraph) if carry_over else None
            attribution = _Attribution(None, speaker, False)
        elif attribution.speaker is None and carry_over:
            attribution = attribution._replace(speaker=_carried_speaker(said, spans[first][0], paragraph))

        if attribution.speaker is not None:
            bisect.insort(said, (spans[last][1], attribution.speaker))
        segments = tuple((r.start, r.end) for r in regions)
        quotes.append(_quote("mixed" if attribution.mixed else "direct", text, segments, attribution, doc))
        previous = (spans[last][1], attribution)

    if indirect:
        for cue, speaker in zip(cues, speakers):
            if speaker is None or not cue.content or _overlaps_quote(cue, quoted):
                continue
            if sum(1 for s, e in cue.content for t in doc[s:e] if t.is_alpha) < 2:
                continue
            segments = tuple((doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for s, e in cue.content)
            quotes.append(_quote("indirect", text, segments, _Attribution(cue, speaker, False), doc))
    quotes.sort(key=lambda q: (q.start_char, q.end_char))
    return quotes


# ------------------------------------------------------------------ quotations
def _chain(regions: list[QuoteRegion]) -> list[list[QuoteRegion]]:
    """Group the paragraphs of a multi-paragraph quotation into one list."""
    groups: list[list[QuoteRegion]] = []
    continuing = False
    for region in regions:
        if continuing:
            groups[-1].append(region)
        else:
            groups.append([region])
        continuing = region.continues
    return groups


def _quoted_tokens(doc: Doc, groups: list[list[QuoteRegion]]) -> list[int]:
    """Per token: the index of the quotation (marks included) holding it, or -1."""
    text = doc.text
    bounds = []
    for g, group in enumerate(groups):
        for r in group:
            end = r.end if r.close_mark is None else r.close_mark + (2 if text.startswith("''", r.close_mark) else 1)
            bounds.append((r.open_mark, end, g))
    bounds.sort()
    starts = [b[0] for b in bounds]
    quoted = []
    for token in doc:
        k = bisect.bisect_right(starts, token.idx) - 1
        quoted.append(bounds[k][2] if k >= 0 and token.idx < bounds[k][1] else -1)
    return quoted


def _group_token_spans(quoted: Sequence[int], n: int) -> list[tuple[int, int] | None]:
    """Per quotation: (first token, last token), marks included; None if no token."""
    spans: list[tuple[int, int] | None] = [None] * n
    for i, g in enumerate(quoted):
        if g >= 0:
            spans[g] = (i, i) if spans[g] is None else (spans[g][0], i)
    return spans


def _paragraphs(doc: Doc) -> list[int]:
    """Per token: the number of its paragraph (non-empty line)."""
    numbers, paragraph, blank = [], 0, True
    for token in doc:
        if "\n" in token.text or "\n" in token.whitespace_:
            numbers.append(paragraph)
            if not blank and ("\n" in token.whitespace_ or token.is_space):
                paragraph += 1
                blank = True
            continue
        blank = False
        numbers.append(paragraph)
    return numbers


def _person_arguing(doc: Doc, span: tuple[int, int], quoted: Sequence[int]) -> int | None:
    """The person whose words a short quotation is, when it is an object, attribute or
    conjunct in a sentence whose subject is someone ("X accused Y of a “witch hunt”",
    "X is a “bully”"): that subject, the nearest before the quotation if several."""
    g = quoted[span[0]]
    link = next((t for t in doc[span[0] : span[1] + 1] if quoted[t.head.i] != g), None)
    if link is None or link.dep_ not in _ARGUMENT_DEPS:
        return None
    subjects = [
        t.i for t in doc[span[0]].sent
        if t.dep_ == "nsubj" and quoted[t.i] < 0 and t.tag_ not in ("WP", "WDT") and is_animate(t)
    ]
    before = [i for i in subjects if i < span[0]]
    return before[-1] if before else subjects[0] if subjects else None


def _is_label(doc: Doc, span: tuple[int, int], quoted: Sequence[int]) -> bool:
    """Do the quoted words modify a noun after the closing mark ("the “emergency”
    measures")? Such a short quotation labels a thing rather than reports words."""
    g = quoted[span[0]]
    return any(
        quoted[t.head.i] != g and t.head.i > span[1] and t.head.pos_ in ("NOUN", "PROPN")
        for t in doc[span[0] : span[1] + 1]
    )


def _names_a_work(doc: Doc, first: int, words: list[str]) -> bool:
    """Title-cased words after a possessive ("NBC's “Today”"), after "on" or "of" ("on
    “Meet the Press,”"), or after a noun for a work ("the book “Art of the Deal”"):
    the name of a show or book, whatever punctuation the style puts inside the marks."""
    i = first - 1
    while i >= 0 and (doc[i].is_space or doc[i].text == ","):
        i -= 1
    if i < 0 or not _is_styled_title(words):
        return False
    if doc[i].tag_ == "POS":
        return True
    return len(words) > 1 and (doc[i].lower_ in ("on", "of") or doc[i].lemma_.lower() in WORK_NOUNS)


def _is_styled_title(words: list[str]) -> bool:
    """Title-cased words, whatever punctuation the style puts inside the closing mark."""
    return _is_title(words[:-1] + [words[-1].rstrip(".,")])


def _is_title(words: list[str]) -> bool:
    """Title-cased words without final punctuation: a title of a work, a name."""
    if words[-1].endswith(_TERMINAL + (",",)):
        return False
    return all(w[:1].isupper() or not w[:1].isalpha() or w.lower() in _MINOR_WORDS for w in words)


# ---------------------------------------------------------------- attribution
def _attribute(
    doc: Doc,
    text: str,
    group: list[QuoteRegion],
    span: tuple[int, int],
    cues: list[Cue],
    speakers: list[_Speaker | None],
    claiming: list[int],
    quoted: Sequence[int],
    paragraph: Sequence[int],
    resolver: SpeakerResolver,
    min_words: int,
) -> _Attribution | None:
    """The attribution of one quotation by the first rule that applies (see
    :func:`extract_quotes`), or None. A nearest cue whose speaker the parse lost yields
    to the later rules and is kept, speakerless, only when none applies."""
    chosen = _claiming_cue(doc, cues, claiming)
    if chosen is not None:
        cue = cues[chosen]
        return _Attribution(cue, speakers[chosen], _is_mixed(doc, cue, quoted))
    last = text[group[-1].start : group[-1].end]
    words = " ".join(text[r.start : r.end] for r in group).split()
    titled = _is_title(words) and not _in_headline(doc, span, quoted, paragraph)
    owner = _claim_owner(doc, span, quoted)
    if owner is not None and not titled:
        return _Attribution(owner, _speaker(doc, owner.speaker, quoted, resolver), False)
    chosen = _nearest_cue(doc, cues, speakers, span, quoted, paragraph, last.endswith(_CLOSED_SENTENCE))
    if chosen is not None and titled:
        chosen = None
    if chosen is not None and speakers[chosen] is not None:
        head = _outer_speaker(doc, cues[chosen], span[0], quoted)
        if head is not None:
            return _Attribution(None, _speaker(doc, head, quoted, resolver), False)
        return _Attribution(cues[chosen], speakers[chosen], False)
    head = _dash_speaker(doc, span[1], quoted, paragraph)
    if head is None:
        head = _transcript_speaker(doc, span, quoted)
    if head is not None:
        return _Attribution(None, _speaker(doc, head, quoted, resolver), False)
    verb = _governing_verb(doc, span, quoted, paragraph, last.endswith(_TERMINAL))
    short_label = len(words) < min_words and _is_label(doc, span, quoted)
    if verb is not None and not titled and not short_label:
        return _Attribution(verb, _speaker(doc, verb.speaker, quoted, resolver), False)
    head = _colon_speaker(doc, span[0], quoted, paragraph)
    if head is not None:
        return _Attribution(None, _speaker(doc, head, quoted, resolver), False)
    # a cue whose speaker the parse lost still marks the words as reported
    return None if chosen is None else _Attribution(cues[chosen], None, False)


def _in_headline(doc: Doc, span: tuple[int, int], quoted: Sequence[int], paragraph: Sequence[int]) -> bool:
    """Is the quotation in a headline, a paragraph whose every word is capitalised
    ("Senator Calls Plan ‘A Disgrace’")? There title case is the style, not a title."""
    home = paragraph[span[0]]
    start, end = span[0], span[1]
    while start > 0 and paragraph[start - 1] == home:
        start -= 1
    while end + 1 < len(doc) and paragraph[end + 1] == home:
        end += 1
    words = [t.text for t in doc[start : end + 1] if quoted[t.i] < 0 and t.is_alpha]
    return len(words) >= 3 and _is_title(words)


def _transcript_speaker(doc: Doc, span: tuple[int, int], quoted: Sequence[int]) -> int | None:
    """Head of a name opening a quotation before a colon, as in a quoted transcript
    ("“SMITH: Well, we will see.”"): the last word of a name of at most four words."""
    i = span[0]
    while i <= span[1] and (doc[i].is_punct or doc[i].is_space):
        i += 1
    colon = next((k for k in range(i, min(i + _MAX_LABEL_WORDS + 1, span[1])) if doc[k].text == ":"), None)
    if colon is None or colon == i or not all(_is_name(t) for t in doc[i:colon]):
        return None
    return colon - 1


def _speaker(doc: Doc, head: int | None, quoted: Sequence[int], resolver: SpeakerResolver) -> _Speaker | None:
    if head is None:
        return None
    mention = mention_span(doc[head], quoted)
    return _Speaker(mention.text, mention.start_char, mention.end_char, resolver.canonical(mention, doc[head]))


def _claims(cues: list[Cue], quoted: Sequence[int], n: int) -> list[list[int]]:
    """Per quotation: the cues whose reported content contains some of it."""
    claims: list[list[int]] = [[] for _ in range(n)]
    for c, cue in enumerate(cues):
        for g in sorted({quoted[i] for s, e in cue.content for i in range(s, e)} - {-1}):
            claims[g].append(c)
    return claims


def _claiming_cue(doc: Doc, cues: list[Cue], claiming: list[int]) -> int | None:
    """Of the cues whose content holds a quotation, the outermost one whose speaker is
    animate or an "according to" source: the source that reports the words ("X
    emphasized the document suggests “...”" is X's; "“...,” X said, according to Y" and
    "X, Y said, called it “...”" are Y's); else the outermost with a speaker; None
    when no cue has one, so the other rules can name the speaker."""
    outermost_first = sorted(claiming, key=lambda c: -sum(e - s for s, e in cues[c].content))
    with_speaker = [c for c in outermost_first if cues[c].speaker is not None]
    for c in with_speaker:
        if doc[cues[c].anchor].lower_ == "according" or is_animate(doc[cues[c].speaker]):
            return c
    return with_speaker[0] if with_speaker else None


def _is_mixed(doc: Doc, cue: Cue, quoted: Sequence[int]) -> bool:
    return any(
        quoted[t.i] < 0 and t.is_alpha and t.lower_ not in _CONTENT_FILLERS
        for s, e in cue.content for t in doc[s:e]
    )


def _window(doc: Doc, start: int, step: int, quoted: Sequence[int], paragraph: Sequence[int]) -> range:
    """Tokens from ``start`` in direction ``step`` up to a sentence end, another
    quotation or a paragraph break (exclusive)."""
    i = start
    home = paragraph[start - step] if 0 <= start - step < len(doc) else None
    while 0 <= i < len(doc):
        if quoted[i] >= 0 or paragraph[i] != home or (doc[i].text in _SENTENCE_END):
            break
        i += step
    return range(start, i, step)


def _nearest_cue(
    doc: Doc,
    cues: list[Cue],
    speakers: list[_Speaker | None],
    span: tuple[int, int],
    quoted: Sequence[int],
    paragraph: Sequence[int],
    closed: bool,
) -> int | None:
    """The cue nearest to the quotation in its sentence, right side first; a quotation
    closed by a full stop ("“...”.” / “....”") ends its sentence, and one inside a
    clause (words on both sides) is not what a cue after it reports."""
    left = set(_window(doc, span[0] - 1, -1, quoted, paragraph))
    right = set() if closed or _embedded(doc, span) else set(_window(doc, span[1] + 1, 1, quoted, paragraph))
    best, best_key = None, None
    for c, cue in enumerate(cues):
        if cue.anchor in right:
            distance, side = cue.anchor - span[1], 0
        elif cue.anchor in left:
            distance, side = span[0] - cue.anchor, 1
        else:
            continue
        key = (speakers[c] is None, distance, side)
        if best_key is None or key < best_key:
            best, best_key = c, key
    return best


def _outer_speaker(doc: Doc, cue: Cue, first: int, quoted: Sequence[int]) -> int | None:
    """Subject of the clause a colon ends before the quotation when the nearest cue only
    opens a subordinate clause of it ("When X suggested ..., Y fired back: “...”"): the
    colon hands the quotation to Y, whatever the cue reports; else None."""
    anchor = doc[cue.anchor]
    verb = anchor.head
    colon = next((t for t in reversed(doc[:first]) if not t.is_space), None)
    if anchor.dep_ != "advcl" or colon is None or colon.text != ":":
        return None
    if verb.pos_ not in ("VERB", "AUX") or not anchor.i < verb.i < colon.i or quoted[verb.i] >= 0:
        return None
    subject = verb_subject(verb, quoted)
    return subject if subject is not None and anchor.i < subject < colon.i else None


def _embedded(doc: Doc, span: tuple[int, int]) -> bool:
    """Do words run on both sides of the quotation ("X accused Y of “...” and Z said")?
    Then it sits inside a clause, and a cue after it reports something else."""
    before = next((t for t in reversed(doc[: span[0]]) if not t.is_space), None)
    after = next((t for t in doc[span[1] + 1 :] if not t.is_space), None)
    return before is not None and after is not None and not before.is_punct and not after.is_punct


def _colon_speaker(doc: Doc, first: int, quoted: Sequence[int], paragraph: Sequence[int]) -> int | None:
    """Head of the name before a colon: "Name: “...”", or a paragraph opening with a
    name and a colon ("John Smith: Voters Want ‘Real Change’", transcripts), or the
    subject of the clause the colon ends ("X shot back: “...”", also when the colon ends
    the paragraph before the quotation); else None."""
    i = first - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i >= 1 and doc[i].text == ":" and quoted[i - 1] < 0 and _is_name(doc[i - 1]):
        return i - 1
    if i >= 1 and doc[i].text == ":" and paragraph[i] != paragraph[first]:
        start = i  # a paragraph ending with a colon introduces the next one ("X wrote:")
        while start > 0 and paragraph[start - 1] == paragraph[i] and doc[start - 1].text not in _SENTENCE_END:
            start -= 1
        return _clause_subject(doc, start, i, quoted)
    start = first - 1
    while start > 0 and paragraph[start - 1] == paragraph[first] and doc[start - 1].text not in _SENTENCE_END:
        start -= 1
    colon = next((k for k in range(start, first) if doc[k].text == ":"), None)
    if colon is None or colon == start or quoted[colon - 1] >= 0:
        return None
    if all(_is_name(t) or t.is_punct for t in doc[start:colon]) and _is_name(doc[colon - 1]):
        return colon - 1
    if colon == first - 1 or (colon == first - 2 and doc[first - 1].is_space):
        return _clause_subject(doc, start, colon, quoted)
    return None


def _clause_subject(doc: Doc, start: int, end: int, quoted: Sequence[int]) -> int | None:
    """Subject of the last verb with one in ``doc[start:end]``: the clause a colon ends
    introduces the quotation that follows ("X shot back: “...”")."""
    for token in reversed(doc[start:end]):
        if token.pos_ in ("VERB", "AUX") and quoted[token.i] < 0:
            subject = verb_subject(token, quoted)
            if subject is not None and start <= subject < end:
                return subject
    return None


def _dash_speaker(doc: Doc, last: int, quoted: Sequence[int], paragraph: Sequence[int]) -> int | None:
    """Head of a name signing a quotation after a dash ("“...” ― Jane Roe"): the
    name must end its sentence or paragraph."""
    home = paragraph[last]

    def here(k: int) -> bool:
        return k < len(doc) and paragraph[k] == home

    i = last + 1
    if not doc[last].text.endswith(_DASHES):  # else the tokeniser glued mark and dash: ”―
        while here(i) and (doc[i].is_space or doc[i].text in _SENTENCE_END):
            i += 1
        if not here(i) or doc[i].text not in _DASHES:
            return None
        i += 1
    while here(i) and doc[i].is_space:  # "― Jane Roe" with a non-breaking space
        i += 1
    end = i
    while here(end) and quoted[end] < 0 and not doc[end].is_space and _is_name(doc[end]):
        end += 1
    if end == i or (here(end) and not doc[end].is_punct and not doc[end].is_space):
        return None
    return end - 1


def _is_name(token: Token) -> bool:
    """A word of a speaker's name: a proper noun, a speaker entity or a capitalised word
    outside other entities (not "2016" or "Monday" before a colon)."""
    return token.pos_ == "PROPN" or token.ent_type_ in _SPEAKER_LABELS or (token.is_title and not token.ent_type_)


def _governing_verb(
    doc: Doc, span: tuple[int, int], quoted: Sequence[int], paragraph: Sequence[int], ended: bool
) -> Cue | None:
    """The verb outside the quotation that governs it ("X mocked Y for “...”"), as a
    content-less cue, when that verb has an animate subject; else None. A relative clause
    describes what the verb's speaker talks of, so the walk passes it. A verb in another
    paragraph, or after a quotation that ``ended`` its sentence, is a misparse."""
    g = quoted[span[0]]
    for token in doc[span[0] : span[1] + 1]:
        head = token.head
        if token.is_punct or head.i == token.i or quoted[head.i] == g:
            continue
        while head.head.i != head.i and (
            (quoted[head.i] < 0 and (head.dep_ == "relcl" or head.lemma_ == "be")) or head.pos_ not in ("VERB", "AUX")
        ):
            owner = _possessor(head, quoted)
            if owner is not None:
                return Cue(head.i, head.i + 1, head.i, owner, ())
            head = head.head  # past a relative clause, a copula and the words of a listed
            # quotation: "X called Y a “liar” who is “cruel,” a “bully”", "X said Y was “a con”"
        if head.pos_ not in ("VERB", "AUX") or quoted[head.i] >= 0 or (ended and head.i > span[1]):
            return None
        if paragraph[head.i] != paragraph[span[0]] or head.lemma_ == "be":
            return None  # "Y was “a con”": the subject of a copula is described, not quoted
        subject = verb_subject(head, quoted)
        if subject is None or not is_animate(doc[subject]):
            return None
        return Cue(head.i, head.i + 1, head.i, subject, ())
    return None


def _claim_owner(doc: Doc, span: tuple[int, int], quoted: Sequence[int]) -> Cue | None:
    """A content-less cue for the animate possessor of a noun for something said whose
    clause holds the quotation ("X's claim that Y “founded ISIS”"): X's words, whatever
    verb stands nearer. The walk up stops at a reporting verb, whose cue speaks instead."""
    g = quoted[span[0]]
    link = next((t for t in doc[span[0] : span[1] + 1] if quoted[t.head.i] != g and t.head.i != t.i), None)
    if link is None:
        return None
    head = link.head
    while quoted[head.i] < 0 and not is_speech_verb(head):
        owner = _possessor(head, quoted)
        if owner is not None:
            return Cue(head.i, head.i + 1, head.i, owner, ())
        if head.head.i == head.i:
            return None
        head = head.head
    return None


def _possessor(noun: Token, quoted: Sequence[int]) -> int | None:
    """The animate possessor of a noun for something said ("Roe's claim that “...”",
    "his “...” remark"): the speaker of the words it introduces."""
    if quoted[noun.i] >= 0 or noun.pos_ != "NOUN" or noun.lemma_.lower() not in SPEECH_NOUNS:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss" and quoted[c.i] < 0), None)
    return owner.i if owner is not None and is_animate(owner) else None


def _named_subjects(doc: Doc, quoted: Sequence[int]):
    """(main verb, subject) of sentences whose subject names someone: the speaker a
    following cue-less quotation may carry over."""
    for token in doc:
        if token.dep_ == "nsubj" and token.head.dep_ == "ROOT" and quoted[token.i] < 0 and quoted[token.head.i] < 0:
            if token.pos_ == "PROPN" or token.ent_type_ in _SPEAKER_LABELS or token.lower_ in ("he", "she"):
                yield token.head.i, token.i


def _goes_on(previous: tuple[int, _Attribution] | None, first: int, paragraph: Sequence[int]) -> bool:
    """Does a quotation starting at token ``first`` go on with the words of the quotation
    before it in its paragraph, whose cue and speaker stand between them ("“...,” X said.
    “Very good.”")? Then it is theirs, however short."""
    if previous is None:
        return False
    end, attribution = previous
    cue = attribution.cue
    return (
        cue is not None
        and attribution.speaker is not None
        and end < cue.anchor < first
        and paragraph[end] == paragraph[first]
    )


def _carried_speaker(said: list[tuple[int, _Speaker]], first: int, paragraph: Sequence[int]) -> _Speaker | None:
    """The last speaker named before token ``first`` in its paragraph or the two before."""
    k = bisect.bisect_left(said, (first,)) - 1
    if k < 0:
        return None
    position, speaker = said[k]
    return speaker if paragraph[first] - paragraph[position] <= 2 else None


def _merge_split_quotes(
    doc: Doc,
    groups: list[list[QuoteRegion]],
    spans: list[tuple[int, int] | None],
    attributions: list[_Attribution | None],
    paragraph: Sequence[int],
    quoted: Sequence[int],
) -> list[list[int]]:
    """Quotations as lists of group indices: “A,” said X, “B.” is one quotation."""
    text = doc.text
    merged: list[list[int]] = []
    for g in range(len(groups)):
        if spans[g] is None:
            continue
        if merged:
            p = merged[-1][-1]
            cue = attributions[p].cue if attributions[p] is not None else None
            own = attributions[g].cue if attributions[g] is not None else None
            last_text = text[groups[p][-1].start : groups[p][-1].end]
            if (
                cue is not None
                and (own is None or own == cue)
                and spans[p][1] < cue.anchor < spans[g][0]
                and paragraph[spans[p][1]] == paragraph[spans[g][0]]
                and not last_text.endswith(_TERMINAL)
                and not any(doc[i].text in _SENTENCE_END for i in range(spans[p][1] + 1, spans[g][0]))
            ):
                if _names_work(text, groups[g]):
                    continue  # "“...,” he said on “Meet the Press.”"
                if merged[-1] == [p] and _names_work(text, groups[p]):
                    merged[-1] = [g]  # "On “Face the Nation,” X said ... “...”"
                    continue
                merged[-1].append(g)
                continue
        merged.append([g])
    return merged


def _names_work(text: str, group: list[QuoteRegion]) -> bool:
    """Two or more title-cased words: the name of a show or book, not one word opening a
    split quotation ("“Hopefully,” he said, “...”")."""
    words = " ".join(text[r.start : r.end] for r in group).split()
    return len(words) > 1 and _is_styled_title(words)


def _overlaps_quote(cue: Cue, quoted: Sequence[int]) -> bool:
    return any(quoted[i] >= 0 for s, e in cue.content for i in range(s, e))


def _quote(kind: str, text: str, segments: tuple[tuple[int, int], ...], a: _Attribution, doc: Doc) -> Quote:
    speaker, cue = a.speaker, a.cue
    cue_span = doc[cue.start : cue.end] if cue is not None else None
    return Quote(
        kind=kind,
        text=" ".join(text[s:e] for s, e in segments),
        start_char=segments[0][0],
        end_char=segments[-1][1],
        segments=segments,
        speaker=speaker.text if speaker else None,
        speaker_start_char=speaker.start_char if speaker else None,
        speaker_end_char=speaker.end_char if speaker else None,
        speaker_canonical=speaker.canonical if speaker else None,
        cue=cue_span.text if cue_span is not None else None,
        cue_start_char=cue_span.start_char if cue_span is not None else None,
        cue_end_char=cue_span.end_char if cue_span is not None else None,
    )

"""Who said what: quotations of a parsed Doc with their speakers and cues."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import NamedTuple

from spacy.tokens import Doc, Token

from newsdag.quotes.cues import Cue, find_cues, verb_subject
from newsdag.quotes.lexicon import PERSON_NOUNS
from newsdag.quotes.marks import QuoteRegion, find_quote_regions
from newsdag.quotes.speakers import SpeakerResolver, mention_span

_SENTENCE_END = frozenset({".", "!", "?"})
_TERMINAL = (".", "!", "?", "…")
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_INANIMATE_PRONOUNS = frozenset({"it", "this", "that", "which"})
_MINOR_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "at", "with", "by"})
_CONTENT_FILLERS = frozenset({"that"})


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


def extract_quotes(
    doc: Doc, *, min_words: int = 3, indirect: bool = True, carry_over: bool = True
) -> list[Quote]:
    """Direct, mixed and (if ``indirect``) indirect quotations of ``doc``, ordered by
    ``start_char`` (then ``end_char``). Never mutates ``doc``; never raises on
    imperfect text (an unmatched mark quotes to the end of its paragraph).

    A quotation is attributed, in this order, to the cue whose reported clause
    contains it ("X said the plan was “a disaster”"), to the nearest cue beside it
    in its sentence ("“...,” said X", "X said: “...”"), to the animate subject of the
    verb governing it ("X mocked Y for “...”", quotations of ``min_words`` or more,
    not titles), to a name before a colon ("Blinken: “...”"), or (if ``carry_over``)
    to the last speaker or named sentence subject of the same or previous paragraph
    (a carried speaker has only its canonical name: no mention in that sentence). Two quotations around one cue inside one sentence form a
    split quote (one Quote, two segments). Cue-less quotations shorter than
    ``min_words`` words or written as a title ("Star Wars") are scare quotes or
    titles of works and are left out.

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

    attributions: list[_Attribution | None] = []
    for g, group in enumerate(groups):
        if spans[g] is None:
            attributions.append(None)
            continue
        chosen = _claiming_cue(doc, cues, claims[g])
        if chosen is not None:
            cue = cues[chosen]
            attributions.append(_Attribution(cue, speakers[chosen], _is_mixed(doc, cue, quoted)))
            continue
        chosen = _nearest_cue(doc, cues, speakers, spans[g], quoted, paragraph)
        if chosen is not None:
            attributions.append(_Attribution(cues[chosen], speakers[chosen], False))
            continue
        verb = _governing_verb(doc, spans[g], quoted)
        words = " ".join(text[r.start : r.end] for r in group).split()
        if verb is not None and len(words) >= min_words and not _is_title(words):
            attributions.append(_Attribution(verb, _speaker(doc, verb.speaker, quoted, resolver), False))
            continue
        head = _colon_speaker(doc, spans[g][0], quoted, paragraph)
        attributions.append(
            None if head is None else _Attribution(None, _speaker(doc, head, quoted, resolver), False)
        )

    merged = _merge_split_quotes(doc, groups, spans, attributions, paragraph, quoted)
    quotes = []
    said: list[tuple[int, _Speaker]] = sorted(
        [(cue.anchor, speaker) for cue, speaker in zip(cues, speakers) if speaker is not None]
        + [(verb, _speaker(doc, subject, quoted, resolver)) for verb, subject in _named_subjects(doc, quoted)]
    )
    for members in merged:
        regions = [r for g in members for r in groups[g]]
        first, last = members[0], members[-1]
        attribution = attributions[first]
        if attribution is None:
            words = " ".join(text[r.start : r.end] for r in regions).split()
            if len(words) < min_words or _is_title(words):
                continue
            speaker = _carried_speaker(said, spans[first][0], paragraph) if carry_over else None
            if speaker is not None and speaker.canonical is not None:
                speaker = _Speaker(None, None, None, speaker.canonical)
            attribution = _Attribution(None, speaker, False)

        if attribution.speaker is not None:
            bisect.insort(said, (spans[last][1], attribution.speaker))
        segments = tuple((r.start, r.end) for r in regions)
        quotes.append(_quote("mixed" if attribution.mixed else "direct", text, segments, attribution, doc))

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
    bounds = []
    for g, group in enumerate(groups):
        for r in group:
            end = r.end if r.close_mark is None else r.close_mark + (2 if doc.text.startswith("''", r.close_mark) else 1)
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


def _is_title(words: list[str]) -> bool:
    """Title-cased words without final punctuation: a title of a work, a name."""
    if words[-1].endswith(_TERMINAL + (",",)):
        return False
    return all(w[:1].isupper() or not w[:1].isalpha() or w.lower() in _MINOR_WORDS for w in words)


# ---------------------------------------------------------------- attribution
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


def _is_animate(token: Token) -> bool:
    if token.ent_type_ in _SPEAKER_LABELS or token.pos_ == "PROPN":
        return True
    if token.pos_ == "PRON":
        return token.lower_ not in _INANIMATE_PRONOUNS
    return token.lemma_.lower() in PERSON_NOUNS or token.lower_ in PERSON_NOUNS


def _claiming_cue(doc: Doc, cues: list[Cue], claiming: list[int]) -> int | None:
    """Of the cues whose content holds a quotation, the innermost one with an animate
    speaker ("X emphasized the document suggests “...”" is X's)."""
    if not claiming:
        return None
    ordered = sorted(claiming, key=lambda c: sum(e - s for s, e in cues[c].content))
    for c in ordered:
        if cues[c].speaker is not None and _is_animate(doc[cues[c].speaker]):
            return c
    with_speaker = [c for c in ordered if cues[c].speaker is not None]
    return with_speaker[-1] if with_speaker else ordered[0]


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
) -> int | None:
    left = set(_window(doc, span[0] - 1, -1, quoted, paragraph))
    right = set(_window(doc, span[1] + 1, 1, quoted, paragraph))
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


def _colon_speaker(doc: Doc, first: int, quoted: Sequence[int], paragraph: Sequence[int]) -> int | None:
    """Head of the name before a colon: "Name: “...”", or a paragraph opening with a
    name and a colon ("John Smith: Voters Want ‘Real Change’", transcripts); else None."""
    i = first - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i >= 1 and doc[i].text == ":" and quoted[i - 1] < 0 and _is_name(doc[i - 1]):
        return i - 1
    start = first - 1
    while start > 0 and paragraph[start - 1] == paragraph[first] and doc[start - 1].text not in _SENTENCE_END:
        start -= 1
    colon = next((k for k in range(start, first) if doc[k].text == ":"), None)
    if colon is None or colon == start or quoted[colon - 1] >= 0:
        return None
    if all(_is_name(t) or t.is_punct for t in doc[start:colon]) and _is_name(doc[colon - 1]):
        return colon - 1
    return None


def _is_name(token: Token) -> bool:
    return token.pos_ == "PROPN" or bool(token.ent_type_) or token.is_title


def _governing_verb(doc: Doc, span: tuple[int, int], quoted: Sequence[int]) -> Cue | None:
    """The verb outside the quotation that governs it ("X mocked Y for “...”"), as a
    content-less cue, when that verb has an animate subject; else None."""
    g = quoted[span[0]]
    for token in doc[span[0] : span[1] + 1]:
        head = token.head
        if token.is_punct or head.i == token.i or quoted[head.i] == g:
            continue
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i and quoted[head.i] < 0:
            head = head.head
        if head.pos_ not in ("VERB", "AUX") or quoted[head.i] >= 0:
            return None
        subject = verb_subject(head, quoted)
        if subject is None or not _is_animate(doc[subject]):
            return None
        return Cue(head.i, head.i + 1, head.i, subject, ())
    return None


def _named_subjects(doc: Doc, quoted: Sequence[int]):
    """(main verb, subject) of sentences whose subject names someone: the speaker a
    following cue-less quotation may carry over."""
    for token in doc:
        if token.dep_ == "nsubj" and token.head.dep_ == "ROOT" and quoted[token.i] < 0 and quoted[token.head.i] < 0:
            if token.pos_ == "PROPN" or token.ent_type_ in _SPEAKER_LABELS or token.lower_ in ("he", "she"):
                yield token.head.i, token.i


def _carried_speaker(said: list[tuple[int, _Speaker]], first: int, paragraph: Sequence[int]) -> _Speaker | None:
    """The last speaker named before token ``first`` in its paragraph or the one before."""
    k = bisect.bisect_left(said, (first,)) - 1
    if k < 0:
        return None
    position, speaker = said[k]
    return speaker if paragraph[first] - paragraph[position] <= 1 else None


def _merge_split_quotes(
    doc: Doc,
    groups: list[list[QuoteRegion]],
    spans: list[tuple[int, int] | None],
    attributions: list[_Attribution | None],
    paragraph: Sequence[int],
    quoted: Sequence[int],
) -> list[list[int]]:
    """Quotations as lists of group indices: “A,” said X, “B.” is one quotation."""
    merged: list[list[int]] = []
    for g in range(len(groups)):
        if spans[g] is None:
            continue
        if merged:
            p = merged[-1][-1]
            cue = attributions[p].cue if attributions[p] is not None else None
            own = attributions[g].cue if attributions[g] is not None else None
            last_text = doc.text[groups[p][-1].start : groups[p][-1].end]
            if (
                cue is not None
                and (own is None or own == cue)
                and spans[p][1] < cue.anchor < spans[g][0]
                and paragraph[spans[p][1]] == paragraph[spans[g][0]]
                and not last_text.endswith(_TERMINAL)
                and not any(doc[i].text in _SENTENCE_END for i in range(spans[p][1] + 1, spans[g][0]))
            ):
                merged[-1].append(g)
                continue
        merged.append([g])
    return merged


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

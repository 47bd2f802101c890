"""What the attribution rules read: one quotation, and the context of its document.

The context is built once per doc: which token is in which quotation and paragraph,
the pattern hits, the cues with their speakers, which cues report which quotation,
the speaker resolver. Only its discourse record changes while the quotations are
read in order, so that a quotation can take the speaker of the ones before it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc

from newsdag.quotes.cues import Cue, find_cues
from newsdag.quotes.marks import QuoteRegion, find_quote_regions
from newsdag.quotes.patterns import Matches
from newsdag.quotes.speakers import SpeakerResolver, mention_span
from newsdag.quotes.titles import TERMINAL, in_headline, is_title
from newsdag.quotes.tokens import SPEAKER_LABELS, holds_quoted, paragraphs


class Speaker(NamedTuple):
    """A speaker's mention as written (character offsets) and canonical name."""

    text: str | None
    start_char: int | None
    end_char: int | None
    canonical: str | None


class Attribution(NamedTuple):
    """Who said a quotation, found by the rule named ``rule``: the speaker (None when
    the parse lost it), the cue, and whether the cue's content mixes quoted and
    unquoted words."""

    rule: str
    speaker: Speaker | None
    cue: Cue | None = None
    mixed: bool = False


@dataclass(frozen=True)
class Quotation:
    """The words between one pair of marks, or a quotation over several paragraphs;
    after split quotations are joined, several of them. ``start``/``end``: its tokens,
    marks included; ``index``: its number in ``Context.quoted``; ``titled``: written as
    a title (every word capitalised) outside a headline."""

    index: int
    regions: tuple[QuoteRegion, ...]
    start: int
    end: int
    words: tuple[str, ...]
    closing: str  # the text of its last region
    titled: bool = False

    @property
    def closed(self) -> bool:
        """Does it end with a full stop, which ends its sentence ("“...”." / “....”)?"""
        return self.closing.endswith(".")

    @property
    def ended(self) -> bool:
        """Does it end with terminal punctuation?"""
        return self.closing.endswith(TERMINAL)

    def joined(self, other: Quotation) -> Quotation:
        """This quotation and the part of a split quotation after it, as one."""
        return Quotation(
            self.index, self.regions + other.regions, self.start, other.end,
            self.words + other.words, other.closing, self.titled,
        )


@dataclass
class Discourse:
    """The speakers named so far (position, speaker) and the last quotation kept."""

    said: list[tuple[int, Speaker]]
    previous: tuple[Quotation, Attribution | None] | None = None

    def carried(self, first: int, paragraph: Sequence[int]) -> Speaker | None:
        """The last speaker named before token ``first`` in its paragraph or the two before."""
        k = bisect.bisect_left(self.said, (first,)) - 1
        if k < 0:
            return None
        position, speaker = self.said[k]
        return speaker if paragraph[first] - paragraph[position] <= 2 else None

    def record(self, quotation: Quotation, attribution: Attribution | None) -> None:
        """Note a kept quotation: its speaker speaks on after its last token."""
        if attribution is not None and attribution.speaker is not None:
            bisect.insort(self.said, (quotation.end - 1, attribution.speaker))
        self.previous = (quotation, attribution)


@dataclass(frozen=True)
class Context:
    """One doc as the rules read it. ``quoted[i]``: the quotation holding token ``i``
    (marks included) or -1; ``paragraph[i]``: its paragraph; ``claims[q]``: the cues
    whose reported content holds some of quotation ``q``, in cue order."""

    doc: Doc
    text: str  # doc.text, which spaCy builds anew on each access
    quoted: tuple[int, ...]
    paragraph: tuple[int, ...]
    quotations: tuple[Quotation, ...]
    matches: Matches
    cues: tuple[Cue, ...]
    cue_speakers: tuple[Speaker | None, ...]
    claims: dict[int, tuple[int, ...]]
    resolver: SpeakerResolver
    min_words: int
    carry_over: bool
    discourse: Discourse = field(compare=False)

    def speaker(self, head: int | None) -> Speaker | None:
        """The speaker whose mention ``head`` heads."""
        return _speaker(self.doc, head, self.quoted, self.resolver)


def build_context(doc: Doc, *, min_words: int, carry_over: bool) -> Context:
    """The context of ``doc``: its quotations, cues and speakers."""
    text = doc.text
    groups = _chain(find_quote_regions(text))
    quoted = _quoted_tokens(doc, text, groups)
    paragraph = tuple(paragraphs(doc))
    matches = Matches(doc)
    cues = tuple(find_cues(doc, quoted, matches))
    resolver = SpeakerResolver(doc, quoted)
    speakers = tuple(_speaker(doc, cue.speaker, quoted, resolver) for cue in cues)
    said = sorted(
        [(cue.anchor, speaker) for cue, speaker in zip(cues, speakers) if speaker is not None]
        + [(verb, _speaker(doc, subject, quoted, resolver)) for verb, subject in _named_subjects(doc, quoted)]
    )
    quotations = []
    for q, (start, end) in sorted(_token_spans(quoted).items()):
        group = groups[q]
        words = tuple(" ".join(text[r.start : r.end] for r in group).split())
        titled = is_title(words) and not in_headline(doc, start, end, quoted, paragraph)
        closing = text[group[-1].start : group[-1].end]
        quotations.append(Quotation(q, tuple(group), start, end, words, closing, titled))
    return Context(
        doc=doc,
        text=text,
        quoted=quoted,
        paragraph=paragraph,
        quotations=tuple(quotations),
        matches=matches,
        cues=cues,
        cue_speakers=speakers,
        claims=_claims(cues, quoted),
        resolver=resolver,
        min_words=min_words,
        carry_over=carry_over,
        discourse=Discourse(said),
    )


def _speaker(doc: Doc, head: int | None, quoted: Sequence[int], resolver: SpeakerResolver) -> Speaker | None:
    if head is None:
        return None
    mention = mention_span(doc[head], quoted)
    return Speaker(mention.text, mention.start_char, mention.end_char, resolver.canonical(mention, doc[head]))


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


def _quoted_tokens(doc: Doc, text: str, groups: list[list[QuoteRegion]]) -> tuple[int, ...]:
    """Per token: the index of the quotation (marks included) holding it, or -1."""
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
    return tuple(quoted)


def _token_spans(quoted: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Per quotation with tokens: its token range, marks included."""
    spans: dict[int, tuple[int, int]] = {}
    for i, q in enumerate(quoted):
        if q >= 0:
            spans[q] = (spans[q][0], i + 1) if q in spans else (i, i + 1)
    return spans


def _claims(cues: Sequence[Cue], quoted: Sequence[int]) -> dict[int, tuple[int, ...]]:
    """Per quotation: the cues whose reported content holds some of it."""
    claims: dict[int, list[int]] = {}
    for c, cue in enumerate(cues):
        for q in sorted(holds_quoted(cue.content, quoted)):
            claims.setdefault(q, []).append(c)
    return {q: tuple(found) for q, found in claims.items()}


def _named_subjects(doc: Doc, quoted: Sequence[int]) -> Iterator[tuple[int, int]]:
    """(main verb, subject) of sentences whose subject names someone: the speaker a
    following cue-less quotation may carry over."""
    for token in doc:
        if token.dep_ == "nsubj" and token.head.dep_ == "ROOT" and quoted[token.i] < 0 and quoted[token.head.i] < 0:
            if token.pos_ == "PROPN" or token.ent_type_ in SPEAKER_LABELS or token.lower_ in ("he", "she"):
                yield token.head.i, token.i

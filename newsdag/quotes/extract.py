"""Who said what: quotations of a parsed Doc with their speakers, cues and rules."""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc

from newsdag.quotes.context import Attribution, Context, Quotation, build_context
from newsdag.quotes.rules import DISCOURSE_RULES, RULES, first_attribution, short, title_words
from newsdag.quotes.titles import names_a_work, names_work
from newsdag.quotes.tokens import SENTENCE_ENDS, holds_quoted

# The rule of an indirect quotation: the kind of its cue.
INDIRECT_RULES = ("reporting_verb", "according_to", "as_put_it")


class Quote(NamedTuple):
    """One quotation. ``kind``: "direct" (the words in marks are all the content),
    "mixed" (quoted words inside reported speech) or "indirect" (reported speech,
    no marks). Offsets are character offsets into ``doc.text``, end exclusive.
    ``rule``: the attribution rule that found the speaker or cue (see
    :mod:`newsdag.quotes.rules`; for indirect speech, the kind of its cue), None
    when no rule did."""

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
    rule: str | None


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

    Each quotation is attributed by the first rule of :data:`~newsdag.quotes.rules.RULES`
    that applies; two quotations around one cue inside one sentence are then joined
    into one split quote ("“A,” said X, “B.”", unless one of them is a title); a
    quotation no rule attributed takes the first of
    :data:`~newsdag.quotes.rules.DISCOURSE_RULES` (with ``carry_over`` the speaker
    of the paragraphs before). Cue-less quotations shorter than ``min_words`` words,
    titles ("Star Wars") and names of works after a possessive, "on", "of" or a noun
    for a work (ABC's “This Week”) are left out. Indirect quotations are the reported
    clauses of cues with a speaker, outside quotation marks.

    Known limits: speakers are found from the parse, so a misparse can attach a
    cue to the wrong noun; nested quotations are part of their outer quotation;
    cues inside a quotation are not attributed.
    """
    context = build_context(doc, min_words=min_words, carry_over=carry_over)
    found = [(q, first_attribution(RULES, context, q)) for q in context.quotations]
    quotes = []
    for quotation, attribution in _join_split_quotes(context, found):
        if attribution is None:
            attribution = first_attribution(DISCOURSE_RULES, context, quotation)
            if attribution is None and (short(context, quotation) or title_words(context, quotation)):
                continue  # a scare quote or a title
        elif attribution.speaker is None and context.carry_over:
            attribution = attribution._replace(speaker=context.discourse.carried(quotation.start, context.paragraph))
        context.discourse.record(quotation, attribution)
        segments = tuple((r.start, r.end) for r in quotation.regions)
        kind = "mixed" if attribution is not None and attribution.mixed else "direct"
        quotes.append(_quote(context, kind, segments, attribution))
    if indirect:
        quotes.extend(_reported_speech(context))
    quotes.sort(key=lambda q: (q.start_char, q.end_char))
    return quotes


def _join_split_quotes(
    context: Context, found: list[tuple[Quotation, Attribution | None]]
) -> list[tuple[Quotation, Attribution | None]]:
    """Quotations around the cue of the one before, in one sentence, as one ("“A,” said
    X, “B.”"), with the attribution of its first part; names of works are left out."""
    doc, paragraph = context.doc, context.paragraph
    joined: list[list] = []  # [whole, its attribution, last part, its attribution]
    for quotation, attribution in found:
        if joined:
            whole, _, last, last_attribution = joined[-1]
            cue = last_attribution.cue if last_attribution is not None else None
            own = attribution.cue if attribution is not None else None
            if (
                cue is not None
                and (own is None or own == cue)
                and last.end <= cue.anchor < quotation.start
                and paragraph[last.end - 1] == paragraph[quotation.start]
                and not last.ended
                and not any(doc[i].text in SENTENCE_ENDS for i in range(last.end, quotation.start))
            ):
                if names_work(quotation.words):
                    continue  # "“...,” he said on “Meet the Press.”"
                if whole is last and names_work(last.words):
                    joined[-1] = [quotation, attribution, quotation, attribution]  # "On “Face the Nation,” X said"
                    continue
                joined[-1][0] = whole.joined(quotation)
                joined[-1][2:] = [quotation, attribution]
                continue
        joined.append([quotation, attribution, quotation, attribution])
    return [
        (whole, attribution)
        for whole, attribution, last, _ in joined
        if whole is not last or not names_a_work(doc, whole.start, whole.words)
    ]


def _reported_speech(context: Context) -> list[Quote]:
    """Indirect quotations: the reported clauses of the cues with a speaker, when they
    hold no quotation and at least two words."""
    doc = context.doc
    quotes = []
    for cue, speaker in zip(context.cues, context.cue_speakers):
        if speaker is None or not cue.content or holds_quoted(cue.content, context.quoted):
            continue
        if sum(1 for s, e in cue.content for t in doc[s:e] if t.is_alpha) < 2:
            continue
        segments = tuple((doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for s, e in cue.content)
        quotes.append(_quote(context, "indirect", segments, Attribution(cue.kind, speaker, cue)))
    return quotes


def _quote(context: Context, kind: str, segments: tuple[tuple[int, int], ...], a: Attribution | None) -> Quote:
    text = context.text
    speaker = a.speaker if a is not None else None
    cue = context.doc[a.cue.start : a.cue.end] if a is not None and a.cue is not None else None
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
        cue=cue.text if cue is not None else None,
        cue_start_char=cue.start_char if cue is not None else None,
        cue_end_char=cue.end_char if cue is not None else None,
        rule=a.rule if a is not None else None,
    )

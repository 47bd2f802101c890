"""The attribution rules, one or more pinned parses each (see ``tests/pinned_parses.py``):
what a rule test checks does not move when the model does."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from newsdag.quotes import extract_quotes
from newsdag.quotes.context import build_context
from newsdag.quotes.extract import INDIRECT_RULES
from newsdag.quotes.patterns import Matches
from newsdag.quotes.rules import DISCOURSE_RULES, RULE_NAMES, RULES
from newsdag.quotes.tokens import ends_line, paragraphs, token_ranges
from tests import pinned_parses as pinned
from tests.conftest import REPO

# (kind, text, speaker as written, cue, rule) of every quotation of the pinned parse
EXPECTED = [
    (pinned.QUOTED_AS_SAYING, [
        ("direct", "the harbour will stay open all winter.", "Mara Quill", "saying", "quoted_as_saying"),
    ]),
    (pinned.QUOTED_AS_HAVING_SAID, [
        ("direct", "Nobody told us about the fees,", "Dev Patel", "said", "quoted_as_saying"),
    ]),
    (pinned.CLAIMING_CUE, [("mixed", "badly overloaded", "Mara Quill", "said", "claiming_cue")]),
    (pinned.CLAIM_OWNER, [("direct", "entirely fair.", "Dev Patel", "claim", "claim_owner")]),
    (pinned.MAIN_CLAUSE_COLON, [
        ("indirect", "the port would close", "Quill", "said", "reporting_verb"),
        ("direct", "They will regret it for years.", "Patel", None, "main_clause_colon"),
    ]),
    (pinned.NEAREST_CUE, [("direct", "Finished, and nobody cares.", "Quill", "said", "nearest_cue")]),
    (pinned.AS_PUT_IT, [("direct", "a gift to the whole town.", "Lena Ford", "put", "nearest_cue")]),
    (pinned.DASH_SIGNATURE, [("direct", "She always answers our questions.", "Lena Ford", None, "dash_signature")]),
    (pinned.TRANSCRIPT, [("direct", "FORD: I saw the boat leave at nine.", "FORD", None, "transcript")]),
    (pinned.GOVERNING_VERB, [("direct", "calm and steady work", "Dev Patel", "praised", "governing_verb")]),
    (pinned.COLON, [("direct", "The harbour needs a second pier.", "Lena Ford", None, "colon")]),
    (pinned.SPEAKERLESS_CUE, [
        ("direct", "We will keep the ferry running,", "Dev Patel", "announced", "speakerless_cue"),
    ]),
    (pinned.CONTINUATION, [
        ("direct", "The pier is finished,", "Lena Ford", "said", "claiming_cue"),
        ("direct", "At last.", "Lena Ford", None, "continuation"),
    ]),
    (pinned.ARGUING_SUBJECT, [("direct", "quiet giant", "Dev Patel", None, "arguing_subject")]),
    (pinned.CARRIED, [
        ("indirect", "the crew had voted for the plan", "Mara Quill", "said", "reporting_verb"),
        ("direct", "Now the work begins for real.", "Mara Quill", None, "carried"),
    ]),
    (pinned.REPORTING_VERB, [
        ("indirect", "that the pier would open in April", "Lena Ford", "said", "reporting_verb"),
    ]),
    (pinned.ACCORDING_TO, [
        ("indirect", "the pier will open in April", "the harbour master", "According to", "according_to"),
    ]),
    # vetoed: a title of a work, a short label of a thing
    (pinned.TITLE, []),
    (pinned.LABEL, []),
]
PARSES = [parse for parse, _ in EXPECTED]


def found(parse: pinned.Parse, **options) -> list[tuple]:
    return [(q.kind, q.text, q.speaker, q.cue, q.rule) for q in extract_quotes(parse.doc(), **options)]


@pytest.mark.parametrize(("parse", "expected"), EXPECTED, ids=lambda value: getattr(value, "text", "")[:40])
def test_rule_on_pinned_parse(parse, expected):
    assert found(parse) == expected


def test_every_rule_has_a_pinned_example():
    seen = {quote[-1] for _, expected in EXPECTED for quote in expected}
    assert set(RULE_NAMES) | {"reporting_verb", "according_to"} <= seen
    assert seen <= set(RULE_NAMES) | set(INDIRECT_RULES)


def test_each_rule_names_itself_and_gives_examples():
    for rule in RULES + DISCOURSE_RULES:
        assert "“" in (rule.apply.__doc__ or ""), f"{rule.name} gives no example sentence"
    for parse in PARSES:
        context = build_context(parse.doc(), min_words=3, carry_over=True)
        for quotation in context.quotations:
            for rule in RULES:
                attribution = rule.apply(context, quotation)
                assert attribution is None or attribution.rule == rule.name


def test_the_readme_lists_every_rule():
    readme = (REPO / "README.md").read_text("utf-8").split("| rule | the speaker is |", 1)[1].split("\n\n", 1)[0]
    for name in RULE_NAMES + INDIRECT_RULES:
        assert f"`{name}`" in readme


def test_every_attributed_quotation_has_a_rule():
    for parse in PARSES:
        for quote in extract_quotes(parse.doc()):
            assert quote.rule is not None or (quote.speaker is None and quote.cue is None)


def test_without_carry_over_nothing_is_carried():
    assert found(pinned.CARRIED, carry_over=False)[1] == ("direct", "Now the work begins for real.", None, None, None)
    assert found(pinned.SPEAKERLESS_CUE, carry_over=False) == [
        ("direct", "We will keep the ferry running,", None, "announced", "speakerless_cue"),
    ]


def test_arguing_subject_takes_short_quotations_only():
    assert found(pinned.ARGUING_SUBJECT, min_words=1)[0][-1] == "carried"


# -------------------------------------------------------------------- patterns
def test_patterns_give_their_hits_by_token():
    doc = pinned.QUOTED_AS_HAVING_SAID.doc()
    assert Matches(doc).nodes("quoted_as") == [{"quote": 12, "subject": 10, "as": 13, "verb": 15}]
    matches = Matches(pinned.CLAIM_OWNER.doc())
    assert matches.possessors == {5: (3,)}  # claim <- Patel
    assert Matches(pinned.ACCORDING_TO.doc()).according_to == {0}
    assert Matches(pinned.AS_PUT_IT.doc()).put_it == {3}
    assert 2 in Matches(pinned.CLAIMING_CUE.doc()).speech_verbs


def test_patterns_of_an_unparsed_doc_are_its_word_forms():
    doc = pinned.ACCORDING_TO.doc()
    bare = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    matches = Matches(bare)
    assert matches.according_to == {0} and matches.put_it == frozenset() and matches.possessors == {}
    assert matches.nodes("quoted_as") == []


# ---------------------------------------------------------------------- tokens
def test_token_conventions():
    doc = pinned.DASH_SIGNATURE.doc()
    assert [t.i for t in doc if ends_line(t)] == [5, 17]  # the space tokens "\n\n" and "\n"
    assert paragraphs(doc)[:6] == [0, 0, 0, 0, 0, 0] and paragraphs(doc)[6] == 1
    assert token_ranges([doc[2], doc[3], doc[4], doc[7]]) == ((2, 4), (7, 8))

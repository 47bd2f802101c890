"""Quote extraction: marks, attribution patterns, speakers, the seed article."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from spacy.tokens import Doc, Span

from newsdag.quotes import Quote, extract_quotes
from newsdag.quotes.marks import find_quote_regions

SEED_QUOTES = json.loads((Path(__file__).parent / "fixtures" / "seed_quotes.json").read_text(encoding="utf-8"))


def _regions(text: str) -> list[str]:
    return [text[r.start : r.end] for r in find_quote_regions(text)]


def _direct(nlp, text: str) -> list[tuple[str, str | None, str | None]]:
    """(quoted text, speaker as written, cue) of the direct and mixed quotations."""
    return [(q.text, q.speaker, q.cue) for q in extract_quotes(nlp(text)) if q.kind != "indirect"]


# ---------------------------------------------------------------------- marks
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "the road is closed" and left.', ["the road is closed"]),
        ("He said “the road is closed” and left.", ["the road is closed"]),
        ("''The road is closed,'' he said.", ["The road is closed,"]),
        ("« The road is closed », he said.", ["The road is closed"]),
        ("Mayor: Road Will Stay ‘Closed Until Spring’", ["Closed Until Spring"]),
        ("”The road is closed,“ he said.", ["The road is closed,"]),
        ("“They told me ‘wait here’ and left,” she said.", ["They told me ‘wait here’ and left,"]),
        ("The voters’ choice doesn’t surprise anyone.", []),
        ("“The first paragraph goes on.\n\n“And the second one ends here.”", ["The first paragraph goes on.", "And the second one ends here."]),
        ("An unmatched “mark runs to the end\nof its paragraph only.", ["mark runs to the end"]),
        # a paragraph break the text lost: the open quotation ends where a new one opens
        ('She said: "The hall must not fall apart. "It gave me my start." Then she left.',
         ["The hall must not fall apart.", "It gave me my start."]),
        ('Stray marks " ” ‘ are no quotes.', []),
        ('He is 6\'2" tall and says "the gym is my office."', ["the gym is my office."]),
    ],
)
def test_find_quote_regions(text, expected):
    assert _regions(text) == expected


def test_multi_paragraph_quote_is_one_quotation(nlp):
    text = (
        "“The first winter was the hardest,” said Nora Vance.\n\n"
        "“We had no heating and no water for weeks.\n\n"
        "“Then the neighbours came with blankets and soup.”"
    )
    quotes = extract_quotes(nlp(text))
    assert [(q.text, len(q.segments), q.speaker_canonical) for q in quotes] == [
        ("The first winter was the hardest,", 1, "Nora Vance"),
        ("We had no heating and no water for weeks. Then the neighbours came with blankets and soup.", 2, "Nora Vance"),
    ]


# ---------------------------------------------------------------- attribution
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # cue after the quotation, inverted
        ("“We will rebuild the bridge by June,” said Mayor Ana Lopez.",
         [("We will rebuild the bridge by June,", "Mayor Ana Lopez", "said")]),
        # cue after, subject first
        ('"The budget is balanced for the first time," the governor said.',
         [("The budget is balanced for the first time,", "the governor", "said")]),
        # cue before, with a colon
        ("Ana Lopez said: “We will rebuild the bridge by June.”",
         [("We will rebuild the bridge by June.", "Ana Lopez", "said")]),
        # NYT doubled apostrophes
        ("''Nobody expected the vote to be this close,'' Senator Paul Grant said.",
         [("Nobody expected the vote to be this close,", "Senator Paul Grant", "said")]),
        # guillemets
        ("«We are staying in this town whatever happens,» Marc Dubois told reporters.",
         [("We are staying in this town whatever happens,", "Marc Dubois", "told")]),
        # a name and a colon, no verb
        ("Ana Lopez: “The bridge will reopen before the summer.”",
         [("The bridge will reopen before the summer.", "Ana Lopez", None)]),
        # according to
        ("According to Ana Lopez, the council “has no money left for the repairs.”",
         [("has no money left for the repairs.", "Ana Lopez", "According to")]),
        # X told Y
        ("Ana Lopez told reporters on Monday: “The bridge will reopen in May.”",
         [("The bridge will reopen in May.", "Ana Lopez", "told")]),
        # said in a statement
        ("The ministry said in a statement: “The border remains open to trucks.”",
         [("The border remains open to trucks.", "The ministry", "said")]),
        # in an interview with
        ("In an interview with the Herald, Ana Lopez said: “We are not done yet.”",
         [("We are not done yet.", "Ana Lopez", "said")]),
        # an organisation speaks
        ("“Sanctions will not change our course,” the Kremlin said on Friday.",
         [("Sanctions will not change our course,", "the Kremlin", "said")]),
        # apposition set off by commas
        ("Hugh Hill, a doctor at the clinic, said: “We ran out of beds on Monday.”",
         [("We ran out of beds on Monday.", "Hugh Hill", "said")]),
        # a role as speaker
        ("“Nobody was hurt in the fire,” a spokesman for the ministry said.",
         [("Nobody was hurt in the fire,", "a spokesman for the ministry", "said")]),
        # title and name
        ("“The alliance stands united,” NATO Secretary-General Jens Stoltenberg said.",
         [("The alliance stands united,", "NATO Secretary-General Jens Stoltenberg", "said")]),
        # other reporting verbs
        ("“This is only the beginning,” warned Tom Reed.",
         [("This is only the beginning,", "Tom Reed", "warned")]),
        ("Tom Reed insisted: “We never saw the letter.”",
         [("We never saw the letter.", "Tom Reed", "insisted")]),
        ("“Prices will keep rising this year,” Tom Reed added.",
         [("Prices will keep rising this year,", "Tom Reed", "added")]),
        # headline with single marks and a colon
        ("Ana Lopez: ‘We Will Rebuild the Bridge’",
         [("We Will Rebuild the Bridge", "Ana Lopez", None)]),
    ],
)
def test_direct_attribution(nlp, text, expected):
    assert _direct(nlp, text) == expected


def test_split_quote_is_one_quotation(nlp):
    text = "“The water is rising fast,” continued Ms. Okafor, “and we need sandbags now.”"
    [quote] = extract_quotes(nlp(text))
    assert quote.text == "The water is rising fast, and we need sandbags now."
    assert [text[s:e] for s, e in quote.segments] == ["The water is rising fast,", "and we need sandbags now."]
    assert (quote.speaker, quote.cue, quote.start_char, quote.end_char) == ("Ms. Okafor", "continued", 1, len(text) - 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a cue-less quotation right after an attributed one
        ("“The plan is ready,” said Paul Grant. “Now we need the money.”",
         [("The plan is ready,", "Paul Grant"), ("Now we need the money.", "Paul Grant")]),
        # the speaker of the previous sentence
        ("Paul Grant said the council had approved the plan. “Now we need the money.”",
         [("Now we need the money.", "Paul Grant")]),
        # the speaker of the previous paragraph
        ("Paul Grant spoke after the vote.\n\nHe said the council had approved the plan.\n\n“Now we need the money.”",
         [("Now we need the money.", "Paul Grant")]),
        # across one paragraph that names nobody
        ("Paul Grant spoke after the vote.\n\nThe river rose again on Sunday.\n\n“Nobody will forget this week.”",
         [("Nobody will forget this week.", "Paul Grant")]),
    ],
)
def test_speaker_carries_over(nlp, text, expected):
    assert [(q.text, q.speaker_canonical) for q in extract_quotes(nlp(text)) if q.kind == "direct"] == expected


def test_carried_speaker_does_not_cross_unrelated_paragraphs(nlp):
    text = (
        "Paul Grant said the council had approved the plan.\n\n"
        "The river rose again on Sunday.\n\nThe roads were closed for hours.\n\n"
        "“Nobody will forget this week.”"
    )
    [quote] = [q for q in extract_quotes(nlp(text)) if q.kind == "direct"]
    assert quote.speaker is None


def test_carried_speaker_keeps_its_mention(nlp):
    text = "“The water is rising,” she said. “We need sandbags now.”"
    first, second = extract_quotes(nlp(text))
    assert second.cue is None
    assert (second.speaker, second.speaker_start_char) == ("she", first.speaker_start_char)


def test_cue_after_a_finished_sentence_belongs_to_the_next_quote(nlp):
    text = "“We are refugees,” Ana Lopez said. “We are not criminals.” Tom Reed said: “The camp is full tonight.”"
    assert [(q.text, q.speaker) for q in extract_quotes(nlp(text))] == [
        ("We are refugees,", "Ana Lopez"),
        ("We are not criminals.", "Ana Lopez"),
        ("The camp is full tonight.", "Tom Reed"),
    ]


def test_verb_after_a_finished_quote_does_not_govern_it(nlp):
    text = "“I will not owe a single thing to anyone.” Paul Grant took the same approach with his donors."
    [quote] = extract_quotes(nlp(text))
    assert quote.speaker is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the subject of the clause the participle completes
        ("Tom Reed continued by saying, “We will appeal this decision in court.”", ("Tom Reed", "saying")),
        # a participle's object is the addressee, not an inverted subject
        ("Paul Grant left early, telling reporters, “The vote is over for today.”", ("Paul Grant", "telling")),
        # the subject of the clause a colon ends
        ("Mr. Hale shot back: “That would be good for everyone.”", ("Mr. Hale", None)),
        # a name signing the quotation after a dash
        ("Voters shared their views.\n\n“He never listens to anyone here.” ― John Doe\n", ("John Doe", None)),
        ("“We will never give up,” the crowd chanted.", ("the crowd", "chanted")),
        # a paragraph ending with a colon introduces the quotation opening the next one
        ("The crowd cheered.\n\nJared Potts, a student, echoed:\n\n“He speaks his mind and we need that.”", ("Jared Potts", None)),
    ],
)
def test_speaker_patterns(nlp, text, expected):
    [quote] = [q for q in extract_quotes(nlp(text)) if q.kind != "indirect"]
    assert (quote.speaker, quote.cue) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a relative clause describes whom the speaker talks of
        ("Ana Lopez described Tom Reed as a man who is “utterly without any principle at all.”", ("Ana Lopez", "described")),
        # the passive subject of the verb a reporting verb completes
        ("Tom Reed was prompted to say, “I cannot believe how calm it has been.”", ("Tom Reed", "say")),
        # a timestamp line glued to the sentence by the parser is not the speaker
        ("9:15 a.m.\n\nThe mayor is calling the new bridge “a triumph of engineering.”", ("The mayor", "calling")),
        # the parser leaves the verb without a subject: the name (past its apposition) before it
        (
            "In a call with reporters on Monday, Col. Ann Marsh, a spokeswoman in Tampa, said, “A raid is a combat operation.”",
            ("Col. Ann Marsh", "said"),
        ),
        # the outer source reports the words its clause holds
        (
            "“The deal is dead,” Tom Reed said at a closed meeting, according to a recording obtained by the paper.",
            ("a recording", "according to"),
        ),
    ],
)
def test_speaker_through_the_parse(nlp, text, expected):
    [quote] = extract_quotes(nlp(text))
    assert (quote.speaker, quote.cue) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tom Reed was quoted as saying “the plan will fail before the summer.”", ("Tom Reed", "saying")),
        ("“We never saw the letter at all,” Ana Lopez is quoted as having said.", ("Ana Lopez", "said")),
        ("Ana Lopez was quoted by the paper as saying “the bridge is safe for trucks.”", ("Ana Lopez", "saying")),
    ],
)
def test_subject_quoted_as_saying_is_the_speaker(nlp, text, expected):
    [quote] = extract_quotes(nlp(text))
    assert (quote.speaker, quote.cue, quote.rule) == (*expected, "quoted_as_saying")


def test_statement_speaks_for_the_subject_issuing_it(nlp):
    [quote] = extract_quotes(nlp("The union issued a statement saying it had left the talks."))
    assert (quote.kind, quote.text, quote.speaker) == ("indirect", "it had left the talks", "The union")


def test_relative_pronoun_is_the_mention_and_its_noun_the_name(nlp):
    text = "Ana Lopez, who said the bridge would reopen in May, left early."
    [quote] = extract_quotes(nlp(text))
    assert (quote.speaker, quote.speaker_canonical) == ("who", "Ana Lopez")
    assert text[quote.speaker_start_char : quote.speaker_end_char] == "who"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a thing speaking through a relative clause speaks for whoever issued it
        ("Ana Lopez released a report that says the bridge is “far from safe for heavy trucks.”", ("Ana Lopez", "says")),
        # a sentence-opening cue before the name
        ("Said Ellis: “I don’t get the sense she cares about this at all.”", ("Ellis", "Said")),
        ("PARIS, May 2 (AP) — Tom Reed said the talks were “going nowhere fast.”", ("Tom Reed", "said")),
    ],
)
def test_speaker_around_misparses(nlp, text, expected):
    [quote] = extract_quotes(nlp(text))
    assert (quote.speaker, quote.cue) == expected


def _parsed(nlp, words: list[str], spaces: list[bool], parse: list[tuple[int, str, str, str, str]], ents):
    """A Doc with the given (head, dep, pos, tag, lemma) per word: a parse the model may or may not make."""
    heads, deps, pos, tags, lemmas = (list(column) for column in zip(*parse))
    return Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas, ents=ents)


def test_phrase_between_quotation_and_cue_is_the_speaker_whatever_the_parse(nlp):
    # “We will appeal,” Tulsa police Chief Ann Marsh said Monday. -- with the place taken
    # for a verb, the name for its object and "said" for a conjunct of the quoted verb
    words = ["“", "We", "will", "appeal", ",", "”", "Tulsa", "police", "Chief", "Ann", "Marsh", "said", "Monday", "."]
    spaces = [False, True, True, False, False, True, True, True, True, True, True, True, False, False]
    parse = [
        (3, "punct", "PUNCT", "``", "“"), (3, "nsubj", "PRON", "PRP", "we"), (3, "aux", "AUX", "MD", "will"),
        (3, "ROOT", "VERB", "VB", "appeal"), (3, "punct", "PUNCT", ",", ","), (3, "punct", "PUNCT", "''", "”"),
        (3, "dep", "VERB", "VBD", "tulsa"), (8, "compound", "NOUN", "NN", "police"), (6, "dobj", "PROPN", "NNP", "Chief"),
        (10, "compound", "PROPN", "NNP", "Ann"), (8, "appos", "PROPN", "NNP", "Marsh"), (3, "conj", "VERB", "VBD", "say"),
        (11, "npadvmod", "PROPN", "NNP", "Monday"), (3, "punct", "PUNCT", ".", "."),
    ]
    doc = _parsed(nlp, words, spaces, parse, ["O"] * 9 + ["B-PERSON", "I-PERSON", "O", "B-DATE", "O"])
    [quote] = extract_quotes(doc)
    assert (quote.speaker, quote.cue) == ("Ann Marsh", "said")


def test_dateline_parsed_as_subject_gives_way_to_the_name(nlp):
    # WASHINGTON — President Ann Marsh, speaking there, said it would tell “an American story.”
    words = ["WASHINGTON", "—", "President", "Ann", "Marsh", ",", "speaking", "there", ",", "said", "it", "would",
             "tell", "“", "an", "American", "story", ".", "”"]
    spaces = [True, True, True, True, False, True, True, False, True, True, True, True, True, False, True, True,
              False, False, False]
    parse = [
        (9, "nsubj", "PROPN", "NNP", "WASHINGTON"), (0, "punct", "PUNCT", ":", "—"), (4, "compound", "PROPN", "NNP", "President"),
        (4, "compound", "PROPN", "NNP", "Ann"), (0, "appos", "PROPN", "NNP", "Marsh"), (9, "punct", "PUNCT", ",", ","),
        (9, "advcl", "VERB", "VBG", "speak"), (6, "advmod", "ADV", "RB", "there"), (9, "punct", "PUNCT", ",", ","),
        (9, "ROOT", "VERB", "VBD", "say"), (12, "nsubj", "PRON", "PRP", "it"), (12, "aux", "AUX", "MD", "would"),
        (9, "ccomp", "VERB", "VB", "tell"), (16, "punct", "PUNCT", "``", "“"), (16, "det", "DET", "DT", "an"),
        (16, "amod", "ADJ", "JJ", "american"), (12, "dobj", "NOUN", "NN", "story"), (9, "punct", "PUNCT", ".", "."),
        (9, "punct", "PUNCT", "''", "”"),
    ]
    doc = _parsed(nlp, words, spaces, parse, ["B-GPE", "O", "O", "B-PERSON", "I-PERSON"] + ["O"] * 14)
    [quote] = extract_quotes(doc)
    assert (quote.speaker, quote.cue) == ("President Ann Marsh", "said")


def test_participle_on_a_person_names_its_speaker(nlp):
    # The ad shows footage of Tom Reed saying “we will win this fight.”
    words = ["The", "ad", "shows", "footage", "of", "Tom", "Reed", "saying", "“", "we", "will", "win", "this", "fight", ".", "”"]
    spaces = [True, True, True, True, True, True, True, True, False, True, True, True, True, False, False, False]
    parse = [
        (1, "det", "DET", "DT", "the"), (2, "nsubj", "NOUN", "NN", "ad"), (2, "ROOT", "VERB", "VBZ", "show"),
        (2, "dobj", "NOUN", "NN", "footage"), (3, "prep", "ADP", "IN", "of"), (6, "compound", "PROPN", "NNP", "Tom"),
        (4, "pobj", "PROPN", "NNP", "Reed"), (6, "acl", "VERB", "VBG", "say"), (11, "punct", "PUNCT", "``", "“"),
        (11, "nsubj", "PRON", "PRP", "we"), (11, "aux", "AUX", "MD", "will"), (7, "ccomp", "VERB", "VB", "win"),
        (13, "det", "DET", "DT", "this"), (11, "dobj", "NOUN", "NN", "fight"), (7, "punct", "PUNCT", ".", "."),
        (7, "punct", "PUNCT", "''", "”"),
    ]
    doc = _parsed(nlp, words, spaces, parse, ["O"] * 5 + ["B-PERSON", "I-PERSON"] + ["O"] * 9)
    [quote] = extract_quotes(doc)
    assert (quote.speaker, quote.cue) == ("Tom Reed", "saying")


def test_indefinite_pronoun_is_not_a_speaker(nlp):
    [quote] = extract_quotes(nlp("Tom Reed met the press. Everything in the count was “fine and well counted.”"))
    assert (quote.speaker, quote.cue) == ("Tom Reed", None)


def test_as_someone_put_it_is_a_cue(nlp):
    text = "As Ann Marsh put it in a statement on Friday, the plan is “a bridge too far for this town.”"
    [quote] = extract_quotes(nlp(text))
    assert (quote.speaker, quote.cue) == ("Ann Marsh", "put")
    assert extract_quotes(nlp("Tom Reed put it on the table.")) == []


def test_dash_signature_after_a_non_breaking_space(nlp):
    [quote] = extract_quotes(nlp("The readers wrote in.\n\n“He never listens to anyone here.” ―\u00a0John Doe\n"))
    assert quote.speaker == "John Doe"


def test_transcript_line_names_its_speaker(nlp):
    [quote] = extract_quotes(nlp("The hearing went on.\n\n“SMITH: Well, we will see what happens next.”"))
    assert quote.speaker == "SMITH"


def test_cue_without_a_speaker_carries_the_last_one(nlp):
    doc = nlp("Tom Reed spoke first.\n\n“We will fight on to the end,” it was said.")
    [quote] = [q for q in extract_quotes(doc) if q.kind == "direct"]
    assert (quote.speaker, quote.cue) == ("Tom Reed", "said")


def test_participle_does_not_report_its_clause(nlp):
    assert extract_quotes(nlp("Paul Grant won the vote, claiming a clear mandate.")) == []


def test_short_quotation_of_a_governing_verb(nlp):
    [quote] = extract_quotes(nlp("Paul Grant called the plan “reckless.”"))
    assert (quote.text, quote.speaker, quote.cue) == ("reckless.", "Paul Grant", "called")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The talk show host mocked the senator for his “endless and very boring speeches” about taxes.", "The talk show host"),
        ("The union blasted the plan as “a giveaway to the richest firms in town” on Friday.", "The union"),
    ],
)
def test_role_and_body_nouns_can_speak(nlp, text, expected):
    [quote] = _direct(nlp, text)
    assert quote[1] == expected


def test_colon_hands_the_quotation_to_the_main_clause(nlp):
    text = "When Roe suggested that the city would pay, Doe fired back: “If they ask us, they are going to lose.”"
    assert _direct(nlp, text) == [("If they ask us, they are going to lose.", "Doe", None)]


def test_pronoun_entity_does_not_break_resolution(nlp):
    doc = nlp("He met Ana Lopez. “The deal is done,” she said.")
    doc.ents = [Span(doc, 0, 1, label="PERSON"), *[e for e in doc.ents if e.start > 0]]
    assert [q.speaker_canonical for q in extract_quotes(doc)] == ["Ana Lopez"]


# -------------------------------------------------------------------- speakers
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # surname and title resolve to the full name
        ("Robert Blake runs the agency. “We are ready,” said Director Blake.", "Robert Blake"),
        ("Robert Blake runs the agency. “We are ready,” Blake said.", "Robert Blake"),
        # pronouns: the compatible antecedent, not the last person
        ("Mr. Reed met Maria Costa on Friday. She told reporters: “The deal is done.”", "Maria Costa"),
        ("Maria Costa met Mr. Reed on Friday. He told reporters: “The deal is done.”", "Reed"),
        # ... but a subject named since then is nearer than the gendered mention
        ("Mr. Reed met the staff in May. Tom Hale spoke first. He told reporters: “The deal is done.”", "Tom Hale"),
        ("The Kremlin rejected the offer. It said: “Nothing has changed for us.”", "Kremlin"),
    ],
)
def test_speaker_canonical(nlp, text, expected):
    quotes = [q for q in extract_quotes(nlp(text)) if q.kind == "direct"]
    assert [q.speaker_canonical for q in quotes] == [expected]


def test_long_quotation_does_not_push_the_antecedent_out_of_reach(nlp):
    text = (
        "Maria Costa left the meeting early. “We lost the bridge. We lost the school. "
        "We lost the clinic. We will rebuild them all,” she said."
    )
    [quote] = extract_quotes(nlp(text))
    assert (quote.speaker, quote.speaker_canonical) == ("she", "Maria Costa")


def test_pronoun_speaker_keeps_the_mention_as_written(nlp):
    text = "Maria Costa left the meeting early. “The deal is done,” she said."
    [quote] = extract_quotes(nlp(text))
    assert (quote.speaker, quote.speaker_canonical) == ("she", "Maria Costa")
    assert text[quote.speaker_start_char : quote.speaker_end_char] == "she"


# ----------------------------------------------------------- mixed and indirect
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana Lopez said the repairs were “far behind schedule” because of the rain.",
         [("mixed", "far behind schedule", "Ana Lopez", "said")]),
        ("Ana Lopez said that the bridge would reopen in May.",
         [("indirect", "that the bridge would reopen in May", "Ana Lopez", "said")]),
        ("Ana Lopez said the bridge would reopen in May.",
         [("indirect", "the bridge would reopen in May", "Ana Lopez", "said")]),
        ("Ana Ruiz scoffed that the plan would never work.",
         [("indirect", "that the plan would never work", "Ana Ruiz", "scoffed")]),
        ("According to the mayor, the bridge will reopen in May.",
         [("indirect", "the bridge will reopen in May", "the mayor", "According to")]),
        ("The bridge will reopen in May, the mayor said.",
         [("indirect", "The bridge will reopen in May", "the mayor", "said")]),
        ("Tom Reed warned that the river could flood the town again.",
         [("indirect", "that the river could flood the town again", "Tom Reed", "warned")]),
        ("The ministry told reporters that the border would stay open.",
         [("indirect", "that the border would stay open", "The ministry", "told")]),
    ],
)
def test_mixed_and_indirect(nlp, text, expected):
    assert [(q.kind, q.text, q.speaker, q.cue) for q in extract_quotes(nlp(text))] == expected


def test_listed_quotations_share_their_verb(nlp):
    text = "Ana Lopez called the plan a “disaster,” a “waste” and “reckless.”"
    assert [(q.text, q.speaker) for q in extract_quotes(nlp(text))] == [
        ("disaster,", "Ana Lopez"), ("waste", "Ana Lopez"), ("reckless.", "Ana Lopez"),
    ]


def test_governing_verb_is_found_past_a_copula(nlp):
    text = "Tom Reed blasted the council for being “utterly careless.”"
    assert _direct(nlp, text) == [("utterly careless.", "Tom Reed", "blasted")]


def test_short_quotation_going_on_after_its_cue_is_kept(nlp):
    text = "“We are ready for the storm,” Ana Lopez said. “Very ready.”"
    assert [(q.text, q.speaker) for q in extract_quotes(nlp(text))] == [
        ("We are ready for the storm,", "Ana Lopez"), ("Very ready.", "Ana Lopez"),
    ]


def test_short_quotation_argued_by_a_person_is_theirs(nlp):
    assert _direct(nlp, "Tom Reed was a “reluctant hero” in those years.") == [("reluctant hero", "Tom Reed", None)]
    assert _direct(nlp, "The council chose a “fresh start” after the flood.") == []


def test_possessor_of_a_claim_is_its_speaker(nlp):
    text = "Residents rejected Ana Lopez's claim that the bridge was “perfectly safe.”"
    assert [(q.text, q.speaker_canonical, q.cue) for q in extract_quotes(nlp(text))] == [
        ("perfectly safe.", "Ana Lopez", "claim"),
    ]


def test_claim_whose_clause_holds_the_quotation_outranks_a_nearer_cue(nlp):
    text = "Ana Ruiz mocked Tom Hale's claim that the city “wasted the money,” saying the figures were wrong."
    [quote] = [q for q in extract_quotes(nlp(text)) if q.kind == "direct"]
    assert (quote.speaker_canonical, quote.cue) == ("Tom Hale", "claim")


def test_cue_after_a_quotation_embedded_in_a_clause_reports_something_else(nlp):
    text = "Tom Hale accused the board of “reckless spending” and Ana Ruiz said she agreed."
    assert _direct(nlp, text) == [("reckless spending", "Tom Hale", "accused")]


def test_reporting_verb_tagged_as_a_noun_after_a_quotation(nlp):
    text = "“If she wants to win, the mayor should come home,” the editorial read."
    [quote] = extract_quotes(nlp(text))
    assert (quote.speaker, quote.cue) == ("editorial", "read")


def test_date_before_a_colon_is_not_a_speaker(nlp):
    text = "Ana Ruiz spoke to the voters on Monday.\n\nThe plan for 2016: “We will fix every road in the county.”"
    [quote] = extract_quotes(nlp(text))
    assert quote.speaker == "Ana Ruiz"


def test_person_before_a_participle_after_of_is_its_speaker(nlp):
    text = "The ad uses footage of Tom Reed saying, “We will not back down.”"
    assert _direct(nlp, text) == [("We will not back down.", "Tom Reed", "saying")]


def test_clause_closed_by_a_colon_is_not_reported(nlp):
    text = "The storm changed everything: residents said they would rebuild."
    assert [(q.kind, q.text) for q in extract_quotes(nlp(text))] == [("indirect", "they would rebuild")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The council approved the budget, although critics warned the city.", []),
        ("The bridge will reopen in May, as the mayor said.", [("The bridge will reopen in May", "the mayor")]),
    ],
)
def test_clause_of_its_own_does_not_report_the_one_before(nlp, text, expected):
    assert [(q.text, q.speaker) for q in extract_quotes(nlp(text)) if q.kind == "indirect"] == expected


# ------------------------------------------------------ not attributed quotes
@pytest.mark.parametrize(
    "text",
    [
        "The so-called “reform” passed on Tuesday.",
        "Lawmakers debated the “emergency” measures for hours.",
        "She starred in “The Long Road Home” last year.",
        "The council read “A Plan for the River Valley” aloud.",
        "Tom Reed said Sunday on ABC's “Meet the Press.”",
    ],
)
def test_scare_quotes_and_titles_are_not_quotations(nlp, text):
    assert extract_quotes(nlp(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Tom Reed, who wrote the book “Rivers of Fire,” said the town would recover.",
        "Ana Lopez said in her new book, “Rivers of Fire,” that the town would recover.",
        "Speaking on NBC's “Today,” Ana Lopez said the town would recover.",
        "The town would recover, Ana Lopez told NBC's “Today.”",
    ],
)
def test_title_of_a_work_beside_a_cue_is_not_a_quotation(nlp, text):
    assert _direct(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will rebuild the bridge,” Mayor Ana Lopez said on “Morning Report.”",
         [("We will rebuild the bridge,", "Mayor Ana Lopez")]),
        ("On “Morning Report,” Mayor Ana Lopez said the town needed “every volunteer we can find.”",
         [("every volunteer we can find.", "Mayor Ana Lopez")]),
    ],
)
def test_title_beside_a_split_quote_is_not_part_of_it(nlp, text, expected):
    assert [(q.text, q.speaker) for q in extract_quotes(nlp(text))] == expected


def test_headline_in_title_case_keeps_its_quotation(nlp):
    text = "Mayor Lopez Calls Bridge Plan ‘A Disaster’\n\nShe spoke on Monday."
    assert [(q.text, q.speaker_canonical) for q in extract_quotes(nlp(text))] == [("A Disaster", "Lopez")]


# ------------------------------------------------------------------ contract
@pytest.mark.parametrize(
    "text",
    [
        "He said “this never closes and goes on",
        '"" “” ‘’ " “',
        "”",
        "",
        "Nothing is quoted here.",
    ],
)
def test_imperfect_text_never_raises(nlp, text):
    quotes = extract_quotes(nlp(text))
    assert all(0 <= q.start_char < q.end_char <= len(text) for q in quotes)


def test_unparsed_doc_is_handled(nlp):
    text = "“We will win,” said Paul Grant."
    assert [q.text for q in extract_quotes(nlp.make_doc(text))] == ["We will win,"]


def test_extract_quotes_is_pure_and_ordered(nlp):
    doc = nlp("Tom Reed said the river was rising. “Move the cars now,” he said. “Then wait.”")
    before = doc.to_bytes()
    quotes = extract_quotes(doc)
    assert doc.to_bytes() == before
    assert [q.start_char for q in quotes] == sorted(q.start_char for q in quotes)
    assert all(isinstance(q, Quote) for q in quotes)
    for q in quotes:
        assert q.text == " ".join(doc.text[s:e] for s, e in q.segments)
        assert (q.start_char, q.end_char) == (q.segments[0][0], q.segments[-1][1])


def test_component_sets_doc_quotes(nlp):
    assert "newsdag_quotes" in nlp.pipe_names
    doc = nlp("“We will win,” said Paul Grant.")
    assert [q.speaker for q in doc._.quotes] == ["Paul Grant"]


# ---------------------------------------------------------------- seed article
def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


@pytest.mark.parametrize(
    "gold", [g for g in SEED_QUOTES["direct_quotes"] if not g.get("optional")],
    ids=lambda g: g["segments"][0][2][:30],
)
def test_seed_direct_quotes(seed_doc, gold):
    segments = [(s, e) for s, e, _ in gold["segments"]]
    found = [q for q in seed_doc._.quotes if q.kind != "indirect" and any(_overlap(s, p) for s in segments for p in q.segments)]
    assert [q.speaker_canonical for q in found] == [gold["speaker"]]
    assert all(any(_overlap(s, p) for p in found[0].segments) for s in segments)


def test_seed_split_quote_is_one_row(seed_doc):
    [split] = [g for g in SEED_QUOTES["direct_quotes"] if len(g["segments"]) > 1]
    [quote] = [q for q in seed_doc._.quotes if q.start_char == split["segments"][0][0]]
    assert [list(s) for s in quote.segments] == [s[:2] for s in split["segments"]]
    assert quote.cue == split["cue"]


def test_seed_indirect_quotes(seed_doc, seed_text):
    found = 0
    for gold in SEED_QUOTES["indirect_quotes"]:
        start, end, _ = gold["content"]
        source_start = seed_text.rfind(gold["source_text"], 0, start)
        source = (source_start, source_start + len(gold["source_text"]))
        found += any(
            2 * _overlap((start, end), (q.start_char, q.end_char)) >= end - start
            and q.speaker_start_char is not None
            and _overlap(source, (q.speaker_start_char, q.speaker_end_char))
            for q in seed_doc._.quotes
        )
    assert found >= SEED_QUOTES["min_indirect_found"]


def test_seed_speakers_by_canonical_name(seed_doc):
    counts = Counter(q.speaker_canonical for q in seed_doc._.quotes if q.speaker_canonical)
    (top, n), *_ = counts.most_common()
    assert top == SEED_QUOTES["top_speaker"]["canonical"]
    assert n >= SEED_QUOTES["top_speaker"]["min_quotes"]
    assert all(name in counts for name in SEED_QUOTES["also_speaking"])

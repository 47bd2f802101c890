"""Who a quotation's speaker is inside its article: names, roles, nominal speakers, abstentions.

Sentences written here; each asserts what ``newsdag.stages.quotes.quote_rows`` gives the
quotation of one speaker mention: its kind of source, name, role and affiliation.
"""

from __future__ import annotations

import pytest

from newsdag.stages.quotes import quote_rows
from newsdag.tables import QUOTES

_COLUMNS = QUOTES.names


def sources(nlp, text: str) -> dict[str, dict]:
    """speaker mention as written -> its row's source columns (the last quotation's)."""
    found = {}
    for row in quote_rows("d", nlp(text)):
        record = dict(zip(_COLUMNS, row, strict=True))
        if record["speaker"]:
            found[record["speaker"]] = record
    return found


def source(nlp, text: str, mention: str) -> tuple:
    r = sources(nlp, text)[mention]
    return r["speaker_kind"], r["speaker_canonical"] if r["speaker_kind"] in ("person", "organisation") else None


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        # names as written, with what stands before them cut off
        ("Chancellor Gordon Brown said the economy was strong.", "Chancellor Gordon Brown", ("person", "Gordon Brown")),
        ("Actor Leonardo DiCaprio said he had done quite a few films.", "Actor Leonardo DiCaprio",
         ("person", "Leonardo DiCaprio")),
        ("Defiant Matt Williams said the team would come back stronger.", "Defiant Matt Williams",
         ("person", "Matt Williams")),
        ("Lord Woolf said the ruling would stand. Woolf added that it was fair.", "Woolf", ("person", "Lord Woolf")),
        # "the company" is the organisation the article names
        ("Vantora Systems posted a loss on Monday. The company said costs had risen sharply.", "The company",
         ("organisation", "Vantora Systems")),
        ("Multiplex is building the stadium. The firm said the work was behind schedule.", "The firm",
         ("organisation", "Multiplex")),
        # of the kind the noun names, even when another organisation is nearer
        ("The Hazards Research Center studies floods with Colorado State University. "
         "The centre says floods will cost more.", "The centre", ("organisation", "Hazards Research Center")),
        # "the chancellor" is the person the article gives that role
        ("Chancellor Gordon Brown spoke in London. The chancellor said the budget was fair.", "The chancellor",
         ("person", "Gordon Brown")),
        # a role noun set beside a name
        ("Their lawyer, Majeed Memon, said the men were innocent.", "Their lawyer", ("person", "Majeed Memon")),
        # an epithet is the person the article is about
        ("Kelly Holmes won again. Holmes was delighted. Holmes thanked her coach. "
         "The 34-year-old revealed she would run indoors.", "The 34-year-old", ("person", "Kelly Holmes")),
        # a document, or its named issuer
        ("A report by the OECD said the economy would grow.", "A report by the OECD", ("organisation", "OECD")),
        ("The report said prices would rise.", "The report", ("document", None)),
        # unnamed sources and groups stay unnamed
        ("A spokesman for the Football Association said the match would go ahead.",
         "A spokesman for the Football Association", ("unnamed", None)),
        ("Analysts said the growth was strong.", "Analysts", ("group", None)),
        ("His agent said the player would stay.", "His agent", ("unnamed", None)),
    ],
)
def test_a_speaker_resolves_to_what_the_article_says(nlp, text, mention, expected) -> None:
    assert source(nlp, text, mention) == expected


def test_an_unnamed_source_keeps_whom_it_speaks_for(nlp) -> None:
    found = sources(nlp, "An Oxfam spokeswoman said aid was needed. A spokesman for Tesco said prices would fall.")
    assert found["An Oxfam spokeswoman"]["speaker_affiliation"] == "Oxfam"
    assert found["An Oxfam spokeswoman"]["speaker_article_gender"] == "female"
    assert found["A spokesman for Tesco"]["speaker_affiliation"] == "Tesco"


def test_a_role_is_kept_as_written(nlp) -> None:
    found = sources(nlp, "England coach Sven-Goran Eriksson said the squad was ready. "
                         "Jens Stoltenberg, NATO secretary-general, said NATO was united.")
    assert found["England coach Sven-Goran Eriksson"]["speaker_role"] == "England coach"
    assert found["Jens Stoltenberg"]["speaker_role"] == "NATO secretary-general"


def test_he_far_from_any_name_is_the_person_quoted_last(nlp) -> None:
    text = (
        '"We detect attacks in minutes," said Mr Seagrave.\n\n'
        "Net firms were starting to pool information about attacks.\n\n"
        "Information gathered on attacks has led to arrests.\n\n"
        "Energis had its own intelligence work.\n\n"
        'He said: "Criminal gangs plan their targets weeks ahead."'
    )
    found = sources(nlp, text)
    assert (found["He"]["speaker_kind"], found["He"]["speaker_canonical"]) == ("person", "Seagrave")


def test_a_pronoun_of_the_other_gender_finds_the_person_of_its_own(nlp) -> None:
    text = "Michael Howard spoke first. Mrs Howard made her debut speech. She said she often criticised her husband."
    found = sources(nlp, text)
    assert found["She"]["speaker_canonical"] == "Howard"
    assert found["She"]["speaker_article_gender"] == "female"

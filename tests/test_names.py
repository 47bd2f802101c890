"""The names module, gender evidence and the roles an article gives the people it names."""

from __future__ import annotations

from collections import Counter

import pytest

from newsdag.gender import decide, first_name_gender, word_gender
from newsdag.names import clean_person_name, name_parts, same_person
from newsdag.people import describe_people


@pytest.mark.parametrize(
    ("written", "name", "title"),
    [
        ("Chancellor Gordon Brown", "Gordon Brown", "Chancellor"),
        ("Exchequer Gordon Brown", "Gordon Brown", "Exchequer"),
        ("Actor Leonardo DiCaprio", "Leonardo DiCaprio", "Actor"),
        ("Songwriter Guy Chambers", "Guy Chambers", "Songwriter"),
        ("Liberal Democrat Charles Kennedy", "Charles Kennedy", "Liberal Democrat"),
        ("Tanzania Mr Brown", "Brown", "Tanzania Mr"),
        ("Sir Alex Ferguson", "Alex Ferguson", "Sir"),
        ("Mr Blair", "Blair", "Mr"),
        ("Lord Woolf", "Lord Woolf", ""),  # a peer's usual name
        ("Lord Chief Justice Lord Woolf", "Lord Woolf", "Lord Chief Justice"),
        ("Secretary of State Antony J. Blinken", "Antony J. Blinken", "Secretary of State"),
        ('Bill "Slick" Clinton', "Bill Clinton", ""),
        ("Mary Ann Smith", "Mary Ann Smith", ""),  # two first names are both name
        ("Tony Blair", "Tony Blair", ""),
    ],
)
def test_a_written_name_is_split_into_name_and_what_stood_before_it(written, name, title) -> None:
    assert clean_person_name(written) == (name, title)


def test_a_short_name_is_compatible_with_the_full_one() -> None:
    assert same_person(name_parts("Blair"), name_parts("Tony Blair"))
    assert same_person(name_parts("T. Blair"), name_parts("Tony Blair"))
    assert not same_person(name_parts("Cherie Blair"), name_parts("Tony Blair"))
    assert name_parts("Guy Mansfield QC") == ("guy", "mansfield")  # a post-nominal is not a name part


@pytest.mark.parametrize(
    ("word", "gender"),
    [("Mr", "male"), ("Mrs.", "female"), ("Dame", "female"), ("Baroness", "female"), ("Lord", "male"),
     ("spokeswoman", "female"), ("chairman", "male"), ("Secretary", None)],
)
def test_honorifics_and_gendered_nouns_mark_a_gender(word, gender) -> None:
    assert word_gender(word) == gender


def test_first_names_by_the_name_lists_and_nothing_for_initials() -> None:
    assert (first_name_gender("Sandra"), first_name_gender("Gordon")) == ("female", "male")
    assert first_name_gender("J.") is None and first_name_gender("Xqzv") is None


def test_the_strongest_evidence_with_a_clear_majority_decides() -> None:
    assert decide(Counter({("honorific", "female"): 2, ("pronoun", "male"): 9}), "John") == ("female", "honorific")
    assert decide(Counter({("pronoun", "male"): 5, ("pronoun", "female"): 1}), "Kim") == ("male", "pronoun")
    # pronouns split evenly decide nothing: the first name does
    assert decide(Counter({("pronoun", "male"): 3, ("pronoun", "female"): 3}), "Sandra") == ("female", "first_name")
    assert decide(Counter(), "Xqzv") == ("unknown", None)


def people(nlp, text: str) -> dict[str, tuple]:
    doc = nlp(text)
    described = describe_people(doc)
    names = {int(e.id_): e.kb_id_ for e in doc.ents if e.label_ == "PERSON"}
    return {names[c]: tuple(p) for c, p in described.items() if c in names}


def test_roles_are_what_the_article_writes_beside_a_name(nlp) -> None:
    found = people(nlp, "England coach Sven-Goran Eriksson arrived. Wal-Mart spokesman Guy Whitcomb spoke. "
                        "Jens Stoltenberg, NATO secretary-general, answered. Former Conservative leader William Hague "
                        "left.")
    assert found["Sven-Goran Eriksson"][0] == "England coach"
    assert found["Guy Whitcomb"][0] == "Wal-Mart spokesman"
    assert found["Jens Stoltenberg"][0] == "NATO secretary-general"
    assert found["William Hague"][0] == "Former Conservative leader"


def test_gender_evidence_from_honorifics_nouns_and_pronouns(nlp) -> None:
    found = people(nlp, "Mrs Sandra Howard opened the hall. Wal-Mart spokeswoman Jo Reed spoke. "
                        "Kim Lee won the race. She said the course was hard.")
    assert found["Sandra Howard"][1:] == ("female", "honorific")
    assert found["Jo Reed"][1:] == ("female", "noun")
    assert found["Kim Lee"][1:] == ("female", "pronoun")


def test_a_pronoun_with_two_people_in_reach_is_nobodys_evidence(nlp) -> None:
    found = people(nlp, "Kim Lee met Alex Park. She said the talks went well.")
    assert found["Kim Lee"][1] is None and found["Alex Park"][1] is None

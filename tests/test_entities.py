"""Document-level entity normalisation (``newsdag_entities``): clusters, canonical names, labels."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from spacy.tokens import Doc, Span

from newsdag.entities import entity_key, load_aliases, name_key, normalise_entities, same_person

SEED_ENTITIES = Path(__file__).parent / "fixtures" / "seed_entities.json"


def occurrences(text: str, mention: str) -> list[tuple[int, int]]:
    """Character spans of ``mention`` in ``text`` as a whole word (so "Russia" not in "Russian")."""
    return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(mention)}(?!\w)", text)]


def entity_at(doc: Doc, mention: str, nth: int = 0) -> Span | None:
    """The entity overlapping the ``nth`` occurrence of ``mention``."""
    start, end = occurrences(doc.text, mention)[nth]
    return next((e for e in doc.ents if e.start_char < end and start < e.end_char), None)


def described(ent: Span | None) -> tuple[str, str] | None:
    return None if ent is None else (ent.label_, ent.kb_id_)


KALLAS = "Kallas spoke on Monday. Kaja Kallas said Estonia would help. Kallas later left."
BLINKEN = "Secretary of State Antony J. Blinken flew to Kyiv. Blinken met officials."
ALLIES = "The U.S. and Britain signed the deal. The United States said America would pay and the UK agreed."


@pytest.mark.parametrize(
    ("text", "mention", "nth", "label", "canonical"),
    [
        # surname → full name, also before the full name appears
        (KALLAS, "Kallas", 0, "PERSON", "Kaja Kallas"),
        (KALLAS, "Kallas", 2, "PERSON", "Kaja Kallas"),
        # titles and honorifics are not part of the name
        ("Mr. Lammy said the talks were useful. David Lammy left London.", "Mr. Lammy", 0, "PERSON", "David Lammy"),
        ("Senator Elizabeth Warren criticised the bill. Sen. Warren said it was unfair.", "Sen. Warren", 0,
         "PERSON", "Elizabeth Warren"),
        (BLINKEN, "Antony J. Blinken", 0, "PERSON", "Antony J. Blinken"),
        (BLINKEN, "Blinken", 1, "PERSON", "Antony J. Blinken"),
        # possessives
        ("Angela Merkel arrived in Paris. Merkel's aides said the talks went well.", "Merkel", 1,
         "PERSON", "Angela Merkel"),
        ("Blinken's trip ended. Antony Blinken flew home.", "Blinken", 0, "PERSON", "Antony Blinken"),
        # label agreement: the model reads these names as ORG or GPE
        ("Stoltenberg said the alliance was united. Jens Stoltenberg leads NATO.", "Stoltenberg", 0,
         "PERSON", "Jens Stoltenberg"),
        ("Draghi warned of risks. Mario Draghi said Italy would act, and Draghi's aides agreed.", "Draghi", 2,
         "PERSON", "Mario Draghi"),
        ("Kishida met Yoon. Fumio Kishida said Kishida and Yoon Suk Yeol agreed.", "Kishida", 0,
         "PERSON", "Fumio Kishida"),
        ("Nvidia shares rose. Investors said Nvidia was strong.", "Nvidia", 1, "ORG", "Nvidia"),
        # acronyms defined in the text
        ("Ngozi Okonjo-Iweala leads the World Trade Organization (WTO). The WTO disagreed.", "WTO", 1,
         "ORG", "World Trade Organization"),
        ("The Committee to Protect Journalists (CPJ) condemned the arrest. CPJ called for his release.", "CPJ", 1,
         "ORG", "Committee to Protect Journalists"),
        # country and organisation aliases
        (ALLIES, "U.S.", 0, "GPE", "United States"),
        (ALLIES, "America", 0, "GPE", "United States"),
        (ALLIES, "UK", 0, "GPE", "United Kingdom"),
        ("The North Atlantic Treaty Organization (NATO) met in Brussels. NATO said it would respond.",
         "North Atlantic Treaty Organization", 0, "ORG", "NATO"),
        # mentions the model missed, recovered from the cluster's names
        ("Zelenskyy addressed parliament. Volodymyr Zelenskyy thanked the allies.", "Zelenskyy", 0,
         "PERSON", "Volodymyr Zelenskyy"),
        ("Martin Luther King Jr. spoke in Memphis. King said the march would go on.", "King", 1,
         "PERSON", "Martin Luther King Jr."),
    ],
)
def test_mention_gets_cluster_label_and_canonical_name(nlp, text, mention, nth, label, canonical):
    assert described(entity_at(nlp(text), mention, nth)) == (label, canonical)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # leading "the", trailing possessive and titles stay outside the entity span
        ("The United States said the Kremlin's offer was late.", ["United States", "Kremlin"]),
        ("Secretary of State Antony J. Blinken flew home.", ["Antony J. Blinken"]),
        ("Defence Minister Boris Pistorius flew home.", ["Boris Pistorius"]),
        ("U.N. Secretary-General Antonio Guterres warned of famine.", ["U.N.", "Antonio Guterres"]),
    ],
)
def test_entity_spans_exclude_determiners_possessives_and_titles(nlp, text, expected):
    assert [e.text for e in nlp(text).ents] == expected


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        (
            "Bill Clinton and Hillary Clinton arrived together. Clinton spoke first.",
            [("Bill Clinton", 0), ("Hillary Clinton", 0), ("Clinton", 2)],
        ),
        (
            "Lisa Simpson met Bart Simpson on Monday. Simpson said hello.",
            [("Lisa Simpson", 0), ("Bart Simpson", 0), ("Simpson", 2)],
        ),
    ],
)
def test_people_sharing_a_surname_stay_apart(nlp, text, mentions):
    """With two people of that surname in the article, a bare surname is merged into neither."""
    doc = nlp(text)
    ents = [entity_at(doc, mention, nth) for mention, nth in mentions]
    assert [e.kb_id_ for e in ents] == [mention for mention, _ in mentions]
    assert len({e.id_ for e in ents}) == len(mentions)


def test_component_config_sets_recovery_and_alias_table(nlp, tmp_path):
    table = tmp_path / "aliases.jsonl"
    table.write_text(json.dumps({"canonical": "Kyiv", "label": "GPE", "aliases": ["Kiev"]}) + "\n", encoding="utf-8")
    normaliser = nlp.create_pipe("newsdag_entities", name="entities_from_a_table", config={"recover_missed": False, "aliases_path": str(table)})
    with nlp.select_pipes(disable=["newsdag_entities", "newsdag_quotes"]):
        doc = nlp("Zelenskyy addressed parliament in Kiev. Volodymyr Zelenskyy thanked the allies in Kyiv.")
    doc = normaliser(doc)
    assert [(e.text, e.kb_id_) for e in doc.ents] == [
        ("Kiev", "Kyiv"),
        ("Volodymyr Zelenskyy", "Volodymyr Zelenskyy"),
        ("Kyiv", "Kyiv"),
    ]


def test_cluster_ids_count_referents_in_order_of_first_mention(nlp):
    assert [(e.text, e.id_) for e in nlp(KALLAS).ents] == [
        ("Kallas", "0"),
        ("Monday", "1"),
        ("Kaja Kallas", "0"),
        ("Estonia", "2"),
        ("Kallas", "0"),
    ]


def test_normalise_entities_leaves_the_doc_unchanged(nlp):
    with nlp.select_pipes(disable=["newsdag_entities", "newsdag_quotes"]):
        doc = nlp("Stoltenberg said the alliance was united. Jens Stoltenberg leads NATO.")
    before = [(e.start, e.end, e.label_, e.kb_id_) for e in doc.ents]
    normalised = normalise_entities(doc, aliases=load_aliases())
    assert [(e.start, e.end, e.label_, e.kb_id_) for e in doc.ents] == before
    assert [(e.text, e.label_) for e in normalised][0] == ("Stoltenberg", "PERSON")


@pytest.mark.parametrize(
    ("canonical", "label", "key"),
    [
        ("Antony J. Blinken", "PERSON", "PERSON:antony j. blinken"),
        ("United  States", "GPE", "GPE:united states"),
    ],
)
def test_entity_key(canonical, label, key):
    assert entity_key(canonical, label) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [("The U.S.", "us"), ("US", "us"), ("the  United States", "united states"), ("NATO", "nato")],
)
def test_name_key_ignores_case_periods_spacing_and_the(text, key):
    assert name_key(text) == key


@pytest.mark.parametrize(
    ("short", "full", "same"),
    [
        ("blinken", "antony j blinken", True),
        ("j blinken", "antony j blinken", True),
        ("antony blinken", "antony j blinken", True),
        ("tony blinken", "antony j blinken", False),
        ("hillary clinton", "bill clinton", False),
        ("clinton", "bill", False),
    ],
)
def test_same_person(short, full, same):
    assert same_person(tuple(short.split()), tuple(full.split())) is same


def seed_expectations() -> list[tuple[str, str, str]]:
    entities = json.loads(SEED_ENTITIES.read_text(encoding="utf-8"))["entities"]
    return [
        (mention, label, canonical)
        for label, names in entities.items()
        for canonical, mentions in names.items()
        for mention in mentions
    ]


@pytest.mark.parametrize(("mention", "label", "canonical"), seed_expectations())
def test_seed_mentions_have_gold_label_and_canonical(seed_doc, mention, label, canonical):
    spans = occurrences(seed_doc.text, mention)
    assert spans, f"{mention!r} does not occur in the seed"
    assert [described(entity_at(seed_doc, mention, n)) for n in range(len(spans))] == [(label, canonical)] * len(spans)


def test_seed_people_are_counted_under_full_names(seed_doc):
    counts = Counter(e.kb_id_ for e in seed_doc.ents if e.label_ == "PERSON")
    assert counts.most_common(1)[0][0] == "Antony J. Blinken"
    full_names = [name for name in counts if " " in name]
    assert not [name for name in counts if any(full.endswith(" " + name) for full in full_names)]

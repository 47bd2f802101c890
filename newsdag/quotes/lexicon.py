"""Word lists for quote attribution, loaded once from ``newsdag/resources``."""

from __future__ import annotations

import json
from pathlib import Path

_RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def _inflections(lemma: str) -> set[str]:
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", stem + "ed", stem + "ing"}
    if lemma.endswith(("s", "sh", "ch", "x")):
        forms.add(lemma + "es")
    return forms


def _load(name: str) -> dict:
    return json.loads((_RESOURCES / name).read_text(encoding="utf-8"))


_VERBS: dict[str, list[str]] = _load("speech_verbs.json")["verbs"]
_LEXICON: dict[str, list[str]] = _load("quote_lexicon.json")

SPEECH_LEMMAS: frozenset[str] = frozenset(_VERBS)
SPEECH_FORMS: frozenset[str] = frozenset(
    form for lemma, irregular in _VERBS.items() for form in _inflections(lemma) | set(irregular)
)
PERSON_NOUNS: frozenset[str] = frozenset(_LEXICON["person_nouns"])
SPEECH_NOUNS: frozenset[str] = frozenset(_LEXICON["speech_nouns"])
WORK_NOUNS: frozenset[str] = frozenset(_LEXICON["work_nouns"])

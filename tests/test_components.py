"""newsdag's spaCy components: configured through spaCy's config, with their defaults written once."""

from __future__ import annotations

from newsdag.entities import DEFAULT_SETTINGS as ENTITY_SETTINGS
from newsdag.quotes.extract import DEFAULT_SETTINGS as QUOTE_SETTINGS


def test_the_pipeline_runs_its_components_with_the_factory_defaults(nlp) -> None:
    assert nlp.get_pipe_config("newsdag_quotes") == {"factory": "newsdag_quotes", **QUOTE_SETTINGS}
    assert nlp.get_pipe_config("newsdag_entities") == {"factory": "newsdag_entities", **ENTITY_SETTINGS}


def test_the_quote_component_takes_its_settings_from_the_config(nlp) -> None:
    doc = nlp("Mayor Jane Porter said the budget was fair.")
    assert [q.kind for q in doc._.quotes] == ["indirect"]
    direct_only = nlp.create_pipe("newsdag_quotes", config={"indirect": False})
    assert direct_only(doc)._.quotes == []

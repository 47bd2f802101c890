"""newsdag's spaCy components: found by name in any pipeline, configured through spaCy's config."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tomllib
from importlib import metadata

from spacy.language import Language

from newsdag.entities import DEFAULT_SETTINGS as ENTITY_SETTINGS
from newsdag.quotes.extract import DEFAULT_SETTINGS as QUOTE_SETTINGS
from tests.conftest import REPO

FACTORIES = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["entry-points"]["spacy_factories"]


def test_every_entry_point_names_the_function_that_registers_its_factory() -> None:
    assert set(FACTORIES) == {"newsdag_line_breaks", "newsdag_entities", "newsdag_quotes"}
    for name, target in FACTORIES.items():
        module, function = target.split(":")
        assert callable(getattr(importlib.import_module(module), function))
        assert Language.has_factory(name)


def test_the_pipeline_runs_its_components_with_the_factory_defaults(nlp) -> None:
    assert nlp.get_pipe_config("newsdag_quotes") == {"factory": "newsdag_quotes", **QUOTE_SETTINGS}
    assert nlp.get_pipe_config("newsdag_entities") == {"factory": "newsdag_entities", **ENTITY_SETTINGS}


def test_the_quote_component_takes_its_settings_from_the_config(nlp) -> None:
    doc = nlp("Mayor Jane Porter said the budget was fair.")
    assert [q.kind for q in doc._.quotes] == ["indirect"]
    direct_only = nlp.create_pipe("newsdag_quotes", name="direct_quotes_only", config={"indirect": False})
    assert direct_only(doc)._.quotes == []


def _readme_example() -> tuple[str, str]:
    """The README's example of the components in another pipeline, and the output it shows."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## The spaCy components in your own pipeline", 1)[1]
    code, shown = re.search(r"```python\n(.*?)```.*?```text\n(.*?)```", section, re.S).groups()
    return code, shown


def test_the_readme_example_runs_in_a_fresh_interpreter(tmp_path) -> None:
    installed = {e.name for e in metadata.entry_points(group="spacy_factories") if e.value.startswith("newsdag.")}
    assert installed == set(FACTORIES), "newsdag's installed entry points are stale: pip install -e ."
    code, shown = _readme_example()
    assert 'add_pipe("newsdag_entities")' in code and 'add_pipe("newsdag_quotes")' in code and "import newsdag" not in code
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown
    assert "direct Tom Reyes said 'Stay indoors tonight,'" in done.stdout.splitlines()

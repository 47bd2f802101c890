"""Quote extraction: who said what in a parsed, entity-tagged Doc.

``extract_quotes(doc)`` is the pure extractor; the ``newsdag_quotes`` pipeline
component stores its result in ``doc._.quotes``. Modules: ``marks`` pairs quotation
marks; ``patterns`` holds the spaCy matcher patterns of cue words and attribution
shapes; ``cues`` finds reporting verbs and their reported clauses; ``speakers`` turns
a cue's subject into a mention and a canonical name; ``context`` builds what the rules
read, once per doc; ``rules`` is the ordered table of attribution rules, the spec of
who said a quotation; ``titles`` tells names of works from speech; ``tokens`` holds
the token predicates and span conventions they share; ``extract`` runs them.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from newsdag.quotes.extract import DEFAULT_SETTINGS, Quote, extract_quotes

__all__ = ["Quote", "QuoteExtractor", "extract_quotes", "make_quote_extractor"]

# Registered on import, so a pipeline that adds the component by name has it.
if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


class QuoteExtractor:
    """Pipeline component: sets ``doc._.quotes`` to ``extract_quotes(doc, ...)`` with its settings."""

    def __init__(self, *, min_words: int, indirect: bool, carry_over: bool) -> None:
        self.min_words = min_words
        self.indirect = indirect
        self.carry_over = carry_over

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = extract_quotes(
            doc, min_words=self.min_words, indirect=self.indirect, carry_over=self.carry_over
        )
        return doc


@Language.factory("newsdag_quotes", default_config=DEFAULT_SETTINGS, assigns=["doc._.quotes"])
def make_quote_extractor(
    nlp: Language, name: str, *, min_words: int, indirect: bool, carry_over: bool
) -> QuoteExtractor:
    """Forward the config (each setting is described in :func:`extract_quotes`) to :class:`QuoteExtractor`."""
    return QuoteExtractor(min_words=min_words, indirect=indirect, carry_over=carry_over)

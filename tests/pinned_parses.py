"""Pinned parses for the attribution rule tests: sentences written for the tests, with the
words, heads, labels, tags, lemmas and entities of one parse of them spelled out, so that
a rule test checks the same parse whatever the model does. ``Parse.doc()`` builds the Doc
on a blank English vocab (lexical attributes come from the words)."""

from __future__ import annotations

from typing import NamedTuple

import spacy
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces

_VOCAB = spacy.blank("en").vocab


class Parse(NamedTuple):
    text: str
    words: list[str]
    heads: list[int]
    deps: list[str]
    pos: list[str]
    tags: list[str]
    lemmas: list[str]
    ents: list[str]

    def doc(self) -> Doc:
        words, spaces = get_words_and_spaces(self.words, self.text)
        assert words == self.words
        return Doc(
            _VOCAB, words=words, spaces=spaces, heads=self.heads, deps=self.deps, pos=self.pos,
            tags=self.tags, lemmas=self.lemmas, ents=self.ents,
        )


QUOTED_AS_SAYING = Parse(
    'Mara Quill was quoted as saying “the harbour will stay open all winter.”',
    words=['Mara', 'Quill', 'was', 'quoted', 'as', 'saying', '“', 'the', 'harbour', 'will', 'stay', 'open', 'all', 'winter', '.', '”'],
    heads=[1, 3, 3, 3, 3, 4, 5, 8, 10, 10, 5, 10, 13, 10, 3, 3],
    deps=['compound', 'nsubjpass', 'auxpass', 'ROOT', 'prep', 'pcomp', 'punct', 'det', 'nsubj', 'aux', 'ccomp', 'acomp', 'det', 'npadvmod', 'punct', 'punct'],
    pos=['PROPN', 'PROPN', 'AUX', 'VERB', 'ADP', 'VERB', 'PUNCT', 'DET', 'NOUN', 'AUX', 'VERB', 'ADJ', 'DET', 'NOUN', 'PUNCT', 'PUNCT'],
    tags=['NNP', 'NNP', 'VBD', 'VBN', 'IN', 'VBG', '``', 'DT', 'NN', 'MD', 'VB', 'JJ', 'DT', 'NN', '.', "''"],
    lemmas=['Mara', 'Quill', 'be', 'quote', 'as', 'say', '"', 'the', 'harbour', 'will', 'stay', 'open', 'all', 'winter', '.', '"'],
    ents=['B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'B-DATE', 'I-DATE', 'O', 'O'],
)


QUOTED_AS_HAVING_SAID = Parse(
    '“Nobody told us about the fees,” Dev Patel is quoted as having said.',
    words=['“', 'Nobody', 'told', 'us', 'about', 'the', 'fees', ',', '”', 'Dev', 'Patel', 'is', 'quoted', 'as', 'having', 'said', '.'],
    heads=[12, 2, 12, 2, 2, 6, 4, 12, 12, 10, 12, 12, 12, 12, 15, 13, 12],
    deps=['punct', 'nsubj', 'ccomp', 'dobj', 'prep', 'det', 'pobj', 'punct', 'punct', 'compound', 'nsubjpass', 'auxpass', 'ROOT', 'prep', 'aux', 'pcomp', 'punct'],
    pos=['PUNCT', 'PRON', 'VERB', 'PRON', 'ADP', 'DET', 'NOUN', 'PUNCT', 'PUNCT', 'PROPN', 'PROPN', 'AUX', 'VERB', 'ADP', 'AUX', 'VERB', 'PUNCT'],
    tags=['``', 'NN', 'VBD', 'PRP', 'IN', 'DT', 'NNS', ',', "''", 'NNP', 'NNP', 'VBZ', 'VBN', 'IN', 'VBG', 'VBD', '.'],
    lemmas=['"', 'nobody', 'tell', 'we', 'about', 'the', 'fee', ',', '"', 'Dev', 'Patel', 'be', 'quote', 'as', 'having', 'say', '.'],
    ents=['O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O'],
)


CLAIMING_CUE = Parse(
    'Mara Quill said the ferry was “badly overloaded” on most days.',
    words=['Mara', 'Quill', 'said', 'the', 'ferry', 'was', '“', 'badly', 'overloaded', '”', 'on', 'most', 'days', '.'],
    heads=[1, 2, 2, 4, 5, 8, 8, 8, 2, 8, 8, 12, 10, 2],
    deps=['compound', 'nsubj', 'ROOT', 'det', 'nsubj', 'auxpass', 'punct', 'advmod', 'ccomp', 'punct', 'prep', 'amod', 'pobj', 'punct'],
    pos=['PROPN', 'PROPN', 'VERB', 'DET', 'NOUN', 'AUX', 'PUNCT', 'ADV', 'VERB', 'PUNCT', 'ADP', 'ADJ', 'NOUN', 'PUNCT'],
    tags=['NNP', 'NNP', 'VBD', 'DT', 'NN', 'VBD', '``', 'RB', 'VBN', "''", 'IN', 'JJS', 'NNS', '.'],
    lemmas=['Mara', 'Quill', 'say', 'the', 'ferry', 'be', '"', 'badly', 'overload', '"', 'on', 'most', 'day', '.'],
    ents=['B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'B-DATE', 'I-DATE', 'O'],
)


CLAIM_OWNER = Parse(
    "Critics dismissed Dev Patel's claim that the fees were “entirely fair.”",
    words=['Critics', 'dismissed', 'Dev', 'Patel', "'s", 'claim', 'that', 'the', 'fees', 'were', '“', 'entirely', 'fair', '.', '”'],
    heads=[1, 1, 3, 5, 3, 1, 9, 8, 9, 5, 9, 12, 9, 1, 1],
    deps=['nsubj', 'ROOT', 'compound', 'poss', 'case', 'dobj', 'mark', 'det', 'nsubj', 'acl', 'punct', 'advmod', 'acomp', 'punct', 'punct'],
    pos=['NOUN', 'VERB', 'PROPN', 'PROPN', 'PART', 'NOUN', 'SCONJ', 'DET', 'NOUN', 'AUX', 'PUNCT', 'ADV', 'ADJ', 'PUNCT', 'PUNCT'],
    tags=['NNS', 'VBD', 'NNP', 'NNP', 'POS', 'NN', 'IN', 'DT', 'NNS', 'VBD', '``', 'RB', 'JJ', '.', "''"],
    lemmas=['critic', 'dismiss', 'Dev', 'Patel', "'s", 'claim', 'that', 'the', 'fee', 'be', '"', 'entirely', 'fair', '.', '"'],
    ents=['O', 'O', 'B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O'],
)


MAIN_CLAUSE_COLON = Parse(
    'After Quill said the port would close, Patel fired back: “They will regret it for years.”',
    words=['After', 'Quill', 'said', 'the', 'port', 'would', 'close', ',', 'Patel', 'fired', 'back', ':', '“', 'They', 'will', 'regret', 'it', 'for', 'years', '.', '”'],
    heads=[2, 2, 9, 4, 6, 6, 2, 9, 9, 15, 9, 15, 15, 15, 15, 15, 15, 15, 17, 15, 15],
    deps=['mark', 'nsubj', 'advcl', 'det', 'nsubj', 'aux', 'ccomp', 'punct', 'nsubj', 'ccomp', 'advmod', 'punct', 'punct', 'nsubj', 'aux', 'ROOT', 'dobj', 'prep', 'pobj', 'punct', 'punct'],
    pos=['SCONJ', 'PROPN', 'VERB', 'DET', 'NOUN', 'AUX', 'VERB', 'PUNCT', 'PROPN', 'VERB', 'ADV', 'PUNCT', 'PUNCT', 'PRON', 'AUX', 'VERB', 'PRON', 'ADP', 'NOUN', 'PUNCT', 'PUNCT'],
    tags=['IN', 'NNP', 'VBD', 'DT', 'NN', 'MD', 'VB', ',', 'NNP', 'VBD', 'RB', ':', '``', 'PRP', 'MD', 'VB', 'PRP', 'IN', 'NNS', '.', "''"],
    lemmas=['after', 'Quill', 'say', 'the', 'port', 'would', 'close', ',', 'Patel', 'fire', 'back', ':', '"', 'they', 'will', 'regret', 'it', 'for', 'year', '.', '"'],
    ents=['O', 'B-ORG', 'O', 'O', 'O', 'O', 'O', 'O', 'B-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'B-DATE', 'O', 'O'],
)


NEAREST_CUE = Parse(
    '“Finished,” Quill said of the ferry, “and nobody cares.”',
    words=['“', 'Finished', ',', '”', 'Quill', 'said', 'of', 'the', 'ferry', ',', '“', 'and', 'nobody', 'cares', '.', '”'],
    heads=[1, 5, 5, 5, 5, 5, 5, 8, 6, 5, 5, 5, 13, 5, 13, 13],
    deps=['punct', 'advcl', 'punct', 'punct', 'nsubj', 'ROOT', 'prep', 'det', 'pobj', 'punct', 'punct', 'cc', 'nsubj', 'conj', 'punct', 'punct'],
    pos=['PUNCT', 'VERB', 'PUNCT', 'PUNCT', 'PROPN', 'VERB', 'ADP', 'DET', 'NOUN', 'PUNCT', 'PUNCT', 'CCONJ', 'PRON', 'VERB', 'PUNCT', 'PUNCT'],
    tags=['``', 'VBN', ',', "''", 'NNP', 'VBD', 'IN', 'DT', 'NN', ',', '``', 'CC', 'NN', 'VBZ', '.', "''"],
    lemmas=['"', 'finish', ',', '"', 'Quill', 'say', 'of', 'the', 'ferry', ',', '"', 'and', 'nobody', 'care', '.', '"'],
    ents=['O', 'O', 'O', 'O', 'B-ORG', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O'],
)


DASH_SIGNATURE = Parse(
    'Readers sent their letters.\n\n“She always answers our questions.” ― Lena Ford\n',
    words=['Readers', 'sent', 'their', 'letters', '.', '\n\n', '“', 'She', 'always', 'answers', 'our', 'questions', '.', '”', '―', 'Lena', 'Ford', '\n'],
    heads=[1, 1, 3, 1, 1, 4, 9, 9, 9, 9, 11, 9, 9, 9, 14, 16, 14, 16],
    deps=['nsubj', 'ROOT', 'poss', 'dobj', 'punct', 'dep', 'punct', 'nsubj', 'advmod', 'ROOT', 'poss', 'dobj', 'punct', 'punct', 'ROOT', 'compound', 'nsubj', 'dep'],
    pos=['NOUN', 'VERB', 'PRON', 'NOUN', 'PUNCT', 'SPACE', 'PUNCT', 'PRON', 'ADV', 'VERB', 'PRON', 'NOUN', 'PUNCT', 'PUNCT', 'VERB', 'PROPN', 'PROPN', 'SPACE'],
    tags=['NNS', 'VBD', 'PRP$', 'NNS', '.', '_SP', '``', 'PRP', 'RB', 'VBZ', 'PRP$', 'NNS', '.', "''", 'VBZ', 'NNP', 'NNP', '_SP'],
    lemmas=['reader', 'send', 'their', 'letter', '.', '\n\n', '"', 'she', 'always', 'answer', 'our', 'question', '.', '"', '―', 'Lena', 'Ford', '\n'],
    ents=['O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'B-PERSON', 'I-PERSON', 'O'],
)


TRANSCRIPT = Parse(
    'The trial resumed.\n\n“FORD: I saw the boat leave at nine.”',
    words=['The', 'trial', 'resumed', '.', '\n\n', '“', 'FORD', ':', 'I', 'saw', 'the', 'boat', 'leave', 'at', 'nine', '.', '”'],
    heads=[1, 2, 2, 2, 3, 6, 9, 6, 9, 9, 11, 12, 9, 12, 13, 9, 9],
    deps=['det', 'nsubj', 'ROOT', 'punct', 'dep', 'punct', 'dep', 'punct', 'nsubj', 'ROOT', 'det', 'nsubj', 'ccomp', 'prep', 'pobj', 'punct', 'punct'],
    pos=['DET', 'NOUN', 'VERB', 'PUNCT', 'SPACE', 'PUNCT', 'PROPN', 'PUNCT', 'PRON', 'VERB', 'DET', 'NOUN', 'VERB', 'ADP', 'NUM', 'PUNCT', 'PUNCT'],
    tags=['DT', 'NN', 'VBD', '.', '_SP', '``', 'NNP', ':', 'PRP', 'VBD', 'DT', 'NN', 'VB', 'IN', 'CD', '.', "''"],
    lemmas=['the', 'trial', 'resume', '.', '\n\n', '"', 'FORD', ':', 'I', 'see', 'the', 'boat', 'leave', 'at', 'nine', '.', '"'],
    ents=['O', 'O', 'O', 'O', 'O', 'O', 'B-ORG', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'B-CARDINAL', 'O', 'O'],
)


GOVERNING_VERB = Parse(
    'Dev Patel praised the crew for their “calm and steady work” in the storm.',
    words=['Dev', 'Patel', 'praised', 'the', 'crew', 'for', 'their', '“', 'calm', 'and', 'steady', 'work', '”', 'in', 'the', 'storm', '.'],
    heads=[1, 2, 2, 4, 2, 2, 11, 11, 11, 8, 8, 5, 11, 11, 15, 13, 2],
    deps=['compound', 'nsubj', 'ROOT', 'det', 'dobj', 'prep', 'poss', 'punct', 'amod', 'cc', 'conj', 'pobj', 'punct', 'prep', 'det', 'pobj', 'punct'],
    pos=['PROPN', 'PROPN', 'VERB', 'DET', 'NOUN', 'ADP', 'PRON', 'PUNCT', 'ADJ', 'CCONJ', 'ADJ', 'NOUN', 'PUNCT', 'ADP', 'DET', 'NOUN', 'PUNCT'],
    tags=['NNP', 'NNP', 'VBD', 'DT', 'NN', 'IN', 'PRP$', '``', 'JJ', 'CC', 'JJ', 'NN', "''", 'IN', 'DT', 'NN', '.'],
    lemmas=['Dev', 'Patel', 'praise', 'the', 'crew', 'for', 'their', '"', 'calm', 'and', 'steady', 'work', '"', 'in', 'the', 'storm', '.'],
    ents=['B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O'],
)


COLON = Parse(
    'Lena Ford: “The harbour needs a second pier.”',
    words=['Lena', 'Ford', ':', '“', 'The', 'harbour', 'needs', 'a', 'second', 'pier', '.', '”'],
    heads=[1, 1, 1, 6, 5, 6, 1, 9, 9, 6, 6, 6],
    deps=['compound', 'ROOT', 'punct', 'punct', 'det', 'nsubj', 'acl', 'det', 'amod', 'dobj', 'punct', 'punct'],
    pos=['PROPN', 'PROPN', 'PUNCT', 'PUNCT', 'DET', 'NOUN', 'VERB', 'DET', 'ADJ', 'NOUN', 'PUNCT', 'PUNCT'],
    tags=['NNP', 'NNP', ':', '``', 'DT', 'NN', 'VBZ', 'DT', 'JJ', 'NN', '.', "''"],
    lemmas=['Lena', 'Ford', ':', '"', 'the', 'harbour', 'need', 'a', 'second', 'pier', '.', '"'],
    ents=['B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'B-ORDINAL', 'O', 'O', 'O'],
)


SPEAKERLESS_CUE = Parse(
    'Dev Patel arrived late.\n\n“We will keep the ferry running,” it was announced.',
    words=['Dev', 'Patel', 'arrived', 'late', '.', '\n\n', '“', 'We', 'will', 'keep', 'the', 'ferry', 'running', ',', '”', 'it', 'was', 'announced', '.'],
    heads=[1, 2, 2, 2, 2, 4, 9, 9, 9, 17, 12, 12, 9, 17, 17, 17, 17, 17, 17],
    deps=['compound', 'nsubj', 'ROOT', 'advmod', 'punct', 'dep', 'punct', 'nsubj', 'aux', 'ccomp', 'det', 'compound', 'dobj', 'punct', 'punct', 'nsubjpass', 'auxpass', 'ROOT', 'punct'],
    pos=['PROPN', 'PROPN', 'VERB', 'ADV', 'PUNCT', 'SPACE', 'PUNCT', 'PRON', 'AUX', 'VERB', 'DET', 'NOUN', 'NOUN', 'PUNCT', 'PUNCT', 'PRON', 'AUX', 'VERB', 'PUNCT'],
    tags=['NNP', 'NNP', 'VBD', 'RB', '.', '_SP', '``', 'PRP', 'MD', 'VB', 'DT', 'NN', 'NN', ',', "''", 'PRP', 'VBD', 'VBN', '.'],
    lemmas=['Dev', 'Patel', 'arrive', 'late', '.', '\n\n', '"', 'we', 'will', 'keep', 'the', 'ferry', 'running', ',', '"', 'it', 'be', 'announce', '.'],
    ents=['B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O'],
)


CONTINUATION = Parse(
    '“The pier is finished,” Lena Ford said. “At last.”',
    words=['“', 'The', 'pier', 'is', 'finished', ',', '”', 'Lena', 'Ford', 'said', '.', '“', 'At', 'last', '.', '”'],
    heads=[9, 2, 4, 4, 9, 9, 9, 8, 9, 9, 9, 12, 12, 12, 12, 12],
    deps=['punct', 'det', 'nsubjpass', 'auxpass', 'ccomp', 'punct', 'punct', 'compound', 'nsubj', 'ROOT', 'punct', 'punct', 'ROOT', 'pobj', 'punct', 'punct'],
    pos=['PUNCT', 'DET', 'NOUN', 'AUX', 'VERB', 'PUNCT', 'PUNCT', 'PROPN', 'PROPN', 'VERB', 'PUNCT', 'PUNCT', 'ADP', 'ADJ', 'PUNCT', 'PUNCT'],
    tags=['``', 'DT', 'NN', 'VBZ', 'VBN', ',', "''", 'NNP', 'NNP', 'VBD', '.', '``', 'IN', 'JJ', '.', "''"],
    lemmas=['"', 'the', 'pier', 'be', 'finish', ',', '"', 'Lena', 'Ford', 'say', '.', '"', 'at', 'last', '.', '"'],
    ents=['O', 'O', 'O', 'O', 'O', 'O', 'O', 'B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'O'],
)


ARGUING_SUBJECT = Parse(
    'Dev Patel was a “quiet giant” in the port.',
    words=['Dev', 'Patel', 'was', 'a', '“', 'quiet', 'giant', '”', 'in', 'the', 'port', '.'],
    heads=[1, 2, 2, 6, 6, 6, 2, 6, 6, 10, 8, 2],
    deps=['compound', 'nsubj', 'ROOT', 'det', 'punct', 'amod', 'attr', 'punct', 'prep', 'det', 'pobj', 'punct'],
    pos=['PROPN', 'PROPN', 'AUX', 'DET', 'PUNCT', 'ADJ', 'NOUN', 'PUNCT', 'ADP', 'DET', 'NOUN', 'PUNCT'],
    tags=['NNP', 'NNP', 'VBD', 'DT', '``', 'JJ', 'NN', "''", 'IN', 'DT', 'NN', '.'],
    lemmas=['Dev', 'Patel', 'be', 'a', '"', 'quiet', 'giant', '"', 'in', 'the', 'port', '.'],
    ents=['B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O'],
)


CARRIED = Parse(
    'Mara Quill said the crew had voted for the plan. “Now the work begins for real.”',
    words=['Mara', 'Quill', 'said', 'the', 'crew', 'had', 'voted', 'for', 'the', 'plan', '.', '“', 'Now', 'the', 'work', 'begins', 'for', 'real', '.', '”'],
    heads=[1, 2, 2, 4, 6, 6, 2, 6, 9, 7, 2, 15, 15, 14, 15, 15, 15, 16, 15, 15],
    deps=['compound', 'nsubj', 'ROOT', 'det', 'nsubj', 'aux', 'ccomp', 'prep', 'det', 'pobj', 'punct', 'punct', 'advmod', 'det', 'nsubj', 'ROOT', 'prep', 'amod', 'punct', 'punct'],
    pos=['PROPN', 'PROPN', 'VERB', 'DET', 'NOUN', 'AUX', 'VERB', 'ADP', 'DET', 'NOUN', 'PUNCT', 'PUNCT', 'ADV', 'DET', 'NOUN', 'VERB', 'ADP', 'ADJ', 'PUNCT', 'PUNCT'],
    tags=['NNP', 'NNP', 'VBD', 'DT', 'NN', 'VBD', 'VBN', 'IN', 'DT', 'NN', '.', '``', 'RB', 'DT', 'NN', 'VBZ', 'IN', 'JJ', '.', "''"],
    lemmas=['Mara', 'Quill', 'say', 'the', 'crew', 'have', 'vote', 'for', 'the', 'plan', '.', '"', 'now', 'the', 'work', 'begin', 'for', 'real', '.', '"'],
    ents=['B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O'],
)


REPORTING_VERB = Parse(
    'Lena Ford said that the pier would open in April.',
    words=['Lena', 'Ford', 'said', 'that', 'the', 'pier', 'would', 'open', 'in', 'April', '.'],
    heads=[1, 2, 2, 7, 5, 7, 7, 2, 7, 8, 2],
    deps=['compound', 'nsubj', 'ROOT', 'mark', 'det', 'nsubj', 'aux', 'ccomp', 'prep', 'pobj', 'punct'],
    pos=['PROPN', 'PROPN', 'VERB', 'SCONJ', 'DET', 'NOUN', 'AUX', 'VERB', 'ADP', 'PROPN', 'PUNCT'],
    tags=['NNP', 'NNP', 'VBD', 'IN', 'DT', 'NN', 'MD', 'VB', 'IN', 'NNP', '.'],
    lemmas=['Lena', 'Ford', 'say', 'that', 'the', 'pier', 'would', 'open', 'in', 'April', '.'],
    ents=['B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'B-DATE', 'O'],
)


ACCORDING_TO = Parse(
    'According to the harbour master, the pier will open in April.',
    words=['According', 'to', 'the', 'harbour', 'master', ',', 'the', 'pier', 'will', 'open', 'in', 'April', '.'],
    heads=[9, 0, 4, 4, 1, 9, 7, 9, 9, 9, 9, 10, 9],
    deps=['prep', 'prep', 'det', 'compound', 'pobj', 'punct', 'det', 'nsubj', 'aux', 'ROOT', 'prep', 'pobj', 'punct'],
    pos=['VERB', 'ADP', 'DET', 'NOUN', 'NOUN', 'PUNCT', 'DET', 'NOUN', 'AUX', 'VERB', 'ADP', 'PROPN', 'PUNCT'],
    tags=['VBG', 'IN', 'DT', 'NN', 'NN', ',', 'DT', 'NN', 'MD', 'VB', 'IN', 'NNP', '.'],
    lemmas=['accord', 'to', 'the', 'harbour', 'master', ',', 'the', 'pier', 'will', 'open', 'in', 'April', '.'],
    ents=['O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'B-DATE', 'O'],
)


AS_PUT_IT = Parse(
    'As Lena Ford put it, the pier is “a gift to the whole town.”',
    words=['As', 'Lena', 'Ford', 'put', 'it', ',', 'the', 'pier', 'is', '“', 'a', 'gift', 'to', 'the', 'whole', 'town', '.', '”'],
    heads=[3, 2, 3, 8, 3, 8, 7, 8, 8, 8, 11, 8, 11, 15, 15, 12, 8, 8],
    deps=['mark', 'compound', 'nsubj', 'advcl', 'dobj', 'punct', 'det', 'nsubj', 'ROOT', 'punct', 'det', 'attr', 'prep', 'det', 'amod', 'pobj', 'punct', 'punct'],
    pos=['SCONJ', 'PROPN', 'PROPN', 'VERB', 'PRON', 'PUNCT', 'DET', 'NOUN', 'AUX', 'PUNCT', 'DET', 'NOUN', 'ADP', 'DET', 'ADJ', 'NOUN', 'PUNCT', 'PUNCT'],
    tags=['IN', 'NNP', 'NNP', 'VBD', 'PRP', ',', 'DT', 'NN', 'VBZ', '``', 'DT', 'NN', 'IN', 'DT', 'JJ', 'NN', '.', "''"],
    lemmas=['as', 'Lena', 'Ford', 'put', 'it', ',', 'the', 'pier', 'be', '"', 'a', 'gift', 'to', 'the', 'whole', 'town', '.', '"'],
    ents=['O', 'B-PERSON', 'I-PERSON', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O'],
)


TITLE = Parse(
    'He played in “The Silent Harbour” last spring.',
    words=['He', 'played', 'in', '“', 'The', 'Silent', 'Harbour', '”', 'last', 'spring', '.'],
    heads=[1, 1, 1, 2, 6, 6, 2, 1, 9, 1, 1],
    deps=['nsubj', 'ROOT', 'prep', 'punct', 'det', 'compound', 'pobj', 'punct', 'amod', 'npadvmod', 'punct'],
    pos=['PRON', 'VERB', 'ADP', 'PUNCT', 'DET', 'PROPN', 'PROPN', 'PUNCT', 'ADJ', 'NOUN', 'PUNCT'],
    tags=['PRP', 'VBD', 'IN', '``', 'DT', 'NNP', 'NNP', "''", 'JJ', 'NN', '.'],
    lemmas=['he', 'play', 'in', '"', 'the', 'Silent', 'Harbour', '"', 'last', 'spring', '.'],
    ents=['O', 'O', 'O', 'O', 'O', 'B-WORK_OF_ART', 'I-WORK_OF_ART', 'O', 'B-DATE', 'I-DATE', 'O'],
)


LABEL = Parse(
    'The board discussed the “temporary” fees again.',
    words=['The', 'board', 'discussed', 'the', '“', 'temporary', '”', 'fees', 'again', '.'],
    heads=[1, 2, 2, 7, 7, 7, 7, 2, 2, 2],
    deps=['det', 'nsubj', 'ROOT', 'det', 'punct', 'amod', 'punct', 'dobj', 'advmod', 'punct'],
    pos=['DET', 'NOUN', 'VERB', 'DET', 'PUNCT', 'ADJ', 'PUNCT', 'NOUN', 'ADV', 'PUNCT'],
    tags=['DT', 'NN', 'VBD', 'DT', '``', 'JJ', "''", 'NNS', 'RB', '.'],
    lemmas=['the', 'board', 'discuss', 'the', '"', 'temporary', '"', 'fee', 'again', '.'],
    ents=['O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O'],
)

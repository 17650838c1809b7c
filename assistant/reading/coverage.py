"""How much of a question a piece of text supports: the measure behind sentence choice and abstention.

A question's content words (lemmas in fi/sv/en plus their glossary translations) either occur in
the text or not; Finnish and Swedish compounds count ("tiekartta" occurs in "digitiekartan").
Names and numbers weigh double: a town or a year the documents never mention is a strong sign
that they do not answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import genre
from assistant.question.glossary import expand, known, place_names
from assistant.question.glossary import phrases as glossary_phrases
from ingest.embed.keyword import tokenize
from ingest.parse.dates import find_dates

# Words that shape a question rather than say what it is about (genre/); the answerer handles them by type.
_SCAFFOLD = genre.scaffold_words()
# Month names, which say when, not what (Finnish months are stems that inflect: left to the lemmas).
_MONTHS = frozenset(genre.months("en") + genre.months("sv"))


@dataclass(frozen=True)
class Term:
    surface: str
    variants: frozenset[str]
    weight: float
    named: bool  # a name or number: missing it is a strong sign the text does not answer


def _variants(word: str, glossary: bool = True) -> frozenset[str]:
    lemmas = set(tokenize(word)) | {word.lower()}
    if not glossary:  # the answer side: the word's own lemmas, and a place's other-language name
        return frozenset(set(lemmas).union(*(place_names(lemma) for lemma in lemmas)))
    direct = {lemma for lemma in lemmas if known(lemma)}
    out: set[str] = set(lemmas)
    # A word the glossary knows keeps its own meaning; only unknown compounds borrow from their parts
    # (otherwise "puheenjohtaja", chair, would also mean "johtaja", director).
    for lemma in direct or lemmas:
        out |= expand(lemma)
    return frozenset(out)


def _date_tokens(text: str) -> set[str]:
    """Dates in any of the usual spellings become one token ("date:2023-01-09")."""
    return {f"date:{d.iso}" for d in find_dates(text)}


@lru_cache(maxsize=4096)
def question_terms(text: str, glossary: bool = True) -> tuple[Term, ...]:
    """The question's content words as terms; `glossary=False` (the answer scorer) leaves out the
    cross-lingual glossary, so that no answer depends on a glossary hit (the e5 side crosses languages)."""
    terms: list[Term] = []
    for found in find_dates(text):
        terms.append(Term(found.raw, frozenset({f"date:{found.iso}"}), 2.0, True))
        text = text.replace(found.raw, " ")
    for phrase in glossary_phrases() if glossary else ():
        match = re.search(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE)
        if match:
            terms.append(Term(match.group(0), expand(phrase), 1.0, False))
            text = text[: match.start()] + " " + text[match.end() :]
    words = re.findall(r"[^\W_]+|\d+(?:[.,/:]\d+)*", text)
    for i, word in enumerate(words):
        low = word.lower()
        if low in _SCAFFOLD or (len(low) < 3 and not low.isdigit()):
            continue
        if set(tokenize(low)) & _SCAFFOLD:
            continue
        # A capitalised word is a name (a town, a person), but an English month is not.
        named = low[0].isdigit() or (word[0].isupper() and i > 0 and low not in _MONTHS)
        terms.append(Term(word, _variants(word, glossary), 2.0 if named else 1.0, named))
    return tuple(terms)


@lru_cache(maxsize=32768)  # passages recur across questions; lemmatising is the answer side's main cost
def text_tokens(text: str) -> frozenset[str]:
    """Lemmas, surface words, word pairs (for multi-word terms) and normalised dates of a text."""
    sequence = [w.lower() for w in re.findall(r"[^\W_]+", text)]
    pairs = {f"{a} {b}" for a, b in zip(sequence, sequence[1:], strict=False)}
    return frozenset(tokenize(text)) | frozenset(sequence) | frozenset(pairs) | frozenset(_date_tokens(text))


def covers(term: Term, tokens: Iterable[str]) -> bool:
    tokens = tokens if isinstance(tokens, (set, frozenset)) else set(tokens)
    if term.variants & tokens:
        return True
    long_variants = [v for v in term.variants if len(v) >= 5 and " " not in v]
    return any(v in t for v in long_variants for t in tokens if len(t) > len(v))


def coverage(terms: Iterable[Term], tokens: frozenset[str]) -> float:
    """Weighted share of the question's terms that the text covers (1.0 for a question with none)."""
    terms = list(terms)
    total = sum(t.weight for t in terms)
    if not total:
        return 1.0
    return sum(t.weight for t in terms if covers(t, tokens)) / total


def missing_names(terms: Iterable[Term], tokens: frozenset[str]) -> list[str]:
    return [t.surface for t in terms if t.named and not covers(t, tokens)]

"""Cross-lingual vocabulary of municipal strategy documents and minutes (en | fi | sv).

An English question about a Finnish roadmap shares no words with it; this glossary lets the
keyword side and the support check meet the document in its own language. The words are the genre's
(`genre/glossary.py`, the gazetteer `genre/places.py`); this module lemmatises and indexes them.
"""

from __future__ import annotations

from functools import lru_cache

import genre
from genre import lemmas


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    """lemma → every lemma of its concept, in all three languages."""
    table: dict[str, set[str]] = {}
    for concept in genre.glossary_concepts():
        terms: set[str] = set()
        for lang, words in concept.items():
            for term in words:
                terms.add(term)
                if " " not in term:
                    terms.add(lemmas.lemmatize(term, lang).lower())
        for term in terms:
            table.setdefault(term, set()).update(terms)
    for name, names in _places().items():  # the bilingual place names, as the gazetteer reads them
        table.setdefault(name, set()).update(names)
    return {k: frozenset(v) for k, v in table.items()}


def _forms(name: str, lang: str) -> set[str]:
    """A name as the keyword side meets it: lower case, its genitive ("porin", "brahestads": minutes
    write "Porin kaupunginvaltuusto", "Vasas stadsfullmäktige") and, for "S:t Karins", the word a
    tokenizer keeps ("karins"). The lemmatiser's own lemma of a name is left out: it is often a common
    word ("Hyvinge" → "hyvin", "Jakobstad" → "jako", "Tammisaari" → "tammi")."""
    low = " ".join(name.lower().split())
    forms = {low}
    if low.startswith("s:t "):
        forms.add(low[4:])
    if " " not in low:
        if lang == "fi" and low[-1] in "aeiouyäö":
            forms.add(low + "n")
        if lang == "sv" and low[-1] not in "sxz":
            forms.add(low + "s")
    return forms


@lru_cache(maxsize=1)
def _places() -> dict[str, frozenset[str]]:
    """place name or form → every name and form of its place (the gazetteer, genre/places.py, not a
    translation of content words)."""
    table: dict[str, set[str]] = {}
    for place in genre.gazetteer():
        names = _forms(place.finnish, "fi") | _forms(place.swedish, "sv")
        for name in names:
            table.setdefault(name, set()).update(names)
    return {k: frozenset(v) for k, v in table.items()}


def _inflected_place(word: str) -> frozenset[str]:
    """The names of the place an inflected word names, where the lemmatiser gave no place: a Swedish
    genitive ("mariehamns"), a Finnish genitive the genre's endings undo ("kaustisen" → "kaustinen") or
    a Finnish case ending on the genitive stem ("porissa", "seinäjoella", "vantaalla")."""
    table = _places()
    candidates = [word[:-1]] if word.endswith("s") else []
    for ending in genre.case_endings("fi"):
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: -len(ending)]
            candidates += [stem, stem + "n"]
    for candidate in [word, *candidates]:
        if candidate in table:
            return table[candidate]
        for genitive, nominative in genre.genitive_endings("fi"):
            if candidate.endswith(genitive) and len(candidate) > len(genitive) + 1:
                base = candidate[: -len(genitive)] + nominative
                if base in table:
                    return table[base]
    return frozenset()


def place_names(lemma: str) -> frozenset[str]:
    """The lemma and, for a place the gazetteer knows, its names in both languages ("åbo" → turku,
    "raahen" → brahestad): the answer side may use this for the names a question names; it never
    borrows the glossary's content words."""
    lemma = lemma.lower()
    names = _places().get(lemma)
    if names is None and len(lemma) >= 4:
        names = _inflected_place(lemma)
    return (names or frozenset()) | {lemma}


@lru_cache(maxsize=1)
def _long_keys() -> tuple[str, ...]:
    return tuple(k for k in _index() if len(k) >= 5 and " " not in k)


def known(lemma: str) -> bool:
    return lemma.lower() in _index()


@lru_cache(maxsize=1)
def phrases() -> tuple[str, ...]:
    """Multi-word glossary terms ("open data", "öppna data"), longest first."""
    return tuple(sorted((k for k in _index() if " " in k), key=len, reverse=True))


def expand(lemma: str) -> frozenset[str]:
    """The lemma and its translations.

    A compound the glossary does not list ("digitaliseringsfärdplan") gets the translations of
    the glossary words inside it ("digitalisering", "färdplan").
    """
    lemma = lemma.lower()
    table = _index()
    if lemma in table:
        return table[lemma] | {lemma}
    out = {lemma}
    if len(lemma) >= 8:
        for key in _long_keys():
            if key in lemma:
                out |= table[key]
    return frozenset(out)


@lru_cache(maxsize=1)
def english_names() -> dict[str, str]:
    """Finnish and Swedish terms of the glossary's concepts (longer than five letters) → the concept's
    first English word: the gloss an English asker gets for a role title (tietohallintojohtaja → chief
    information officer)."""
    table: dict[str, str] = {}
    for concept in genre.glossary_concepts():
        for term in (*concept["fi"], *concept["sv"]):
            if len(term) > 5:
                table[term] = concept["en"][0]
    return table

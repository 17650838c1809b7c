"""Keyword-side text normalisation: lemmatised tokens for BM25 over Finnish, Swedish and English.

simplemma lemmatises offline (kunnanhallituksen → kunnanhallitus, Kuopion → Kuopio); a question
in one language still shares proper nouns, numbers and dates with a document in another.
"""

from __future__ import annotations

import re
from functools import lru_cache

import genre
from genre import lemmas

_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*|\d+(?:[.,/:]\d+)*", re.UNICODE)

_STOPWORDS = {lang: genre.stopwords(lang) for lang in ("fi", "sv", "en")}
_ALL_STOPWORDS = set().union(*_STOPWORDS.values())
_LANGS = ("fi", "sv", "en")


@lru_cache(maxsize=200_000)
def _lemma(word: str, lang: str) -> str:
    return lemmas.lemmatize(word, lang).lower()


def tokenize(text: str, language: str | None = None) -> list[str]:
    """Lower-cased lemmas, stopwords dropped.

    With no language (a question whose language is uncertain), each word is lemmatised in
    fi, sv and en and every distinct lemma is kept, so it can meet a document in any of them.
    """
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        word = match.group(0).lower()
        if word in _ALL_STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        if word[0].isdigit():
            out.append(word)
            continue
        langs = (language,) if language in _LANGS else _LANGS
        seen: set[str] = set()
        for lang in langs:
            lemma = _lemma(word, lang)
            if lemma not in seen:
                seen.add(lemma)
                out.append(lemma)
        if word not in seen:
            out.append(word)
    return out

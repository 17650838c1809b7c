"""Which municipality a document is about, in the nominative ("Kuopio", "Kaustinen", "Borgå").

Names are found where the genre names them: before a word for the municipality or one of its bodies
("Kuopion kaupungin", "Kaustisen seudun", "Porin kaupunki", "Bräcke kommun", "Östersunds kommun",
"Borgå stad"). Finnish genitives and Swedish genitive -s are undone with simplemma, with a few suffix
rules where its dictionary has no entry (genre/: the nouns and endings per language). No list of
municipalities: any town is found the same way.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

import genre
from genre import lemmas

logger = logging.getLogger(__name__)

_NAME = r"[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ]?[a-zåäöéü]+)?"
# A Finnish name stands in the genitive before its noun ("Kuopion kaupungin"), a Swedish one as it is or
# with the genitive -s ("Bräcke kommun", "Östersunds kommun"); the nouns are genre/ data.
_FI_RE = re.compile(rf"\b({_NAME}n)\s+(?:{'|'.join(genre.municipality_nouns('fi'))})\b")
_SV_RE = re.compile(rf"\b({_NAME})\s+(?:{'|'.join(genre.municipality_nouns('sv'))})\b")
_EMAIL_RE = re.compile(r"@([a-z]{4,})\.(?:fi|se)\b")
# "publiceras på www.nykarleby.fi": a municipality's own site, where the gazetteer knows the name.
_WEB_RE = re.compile(r"\bwww\.([a-zåäö]{3,})\.(?:fi|se)\b")
# Capitalised words that stand before "kaupungin"/"kommun" at the start of a sentence.
_STOP = genre.not_municipality_names()
# Where simplemma has no entry: Finnish genitive endings, most specific first.
_FI_SUFFIXES = genre.genitive_endings("fi")


def _fi_nominative(genitive: str) -> str:
    lemma = lemmas.lemmatize(genitive, "fi")
    if lemma != genitive and lemma[:1].isupper():
        return lemma
    for suffix, replacement in _FI_SUFFIXES:
        if genitive.endswith(suffix):
            return genitive[: -len(suffix)] + replacement
    return genitive


def _sv_nominative(name: str, text: str) -> str:
    if not name.endswith("s"):
        return name
    lemma = lemmas.lemmatize(name, "sv")
    if lemma != name and lemma[:1].isupper():
        return lemma
    base = name[:-1]  # "Borgås" → "Borgå" when the text also says "Borgå"; "Borås" stays
    return base if re.search(rf"\b{re.escape(base)}\b(?!s)", text) else name


def guess_municipality(text: str, head_lines: int = 15) -> str | None:
    """The municipality the text names most (names in the first lines count double), or None."""
    votes: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    head_end = sum(len(line) + 1 for line in text.splitlines()[:head_lines])
    for pattern, to_nominative in ((_FI_RE, lambda w: _fi_nominative(w)),
                                   (_SV_RE, lambda w: _sv_nominative(w, text))):
        for m in pattern.finditer(text):
            word = m.group(1)
            if word.lower() in _STOP or word.lower().rstrip("n") in _STOP:
                continue
            name = to_nominative(word)
            votes[name] += 2 if m.start() < head_end else 1
            first_seen.setdefault(name, m.start())
    if votes:
        best = max(votes, key=lambda n: (votes[n], -first_seen[n]))
        logger.debug("municipality %s from %s", best, dict(votes))
        return best
    domains = Counter(m.group(1) for m in _EMAIL_RE.finditer(text))
    if domains:  # a weak hint: the domain is often the Finnish name of a bilingual town
        return domains.most_common(1)[0][0].capitalize()
    sites = Counter(m.group(1) for m in _WEB_RE.finditer(text.lower()) if _municipality(m.group(1)))
    if sites:  # the protocol says where it is published: the town's own site
        return _place_name(sites.most_common(1)[0][0], text)
    return None


def _municipality(name: str) -> genre.Place | None:
    """The gazetteer's municipality of that lower-case name, in either language, or None."""
    places = genre.gazetteer("municipality")
    return next((p for p in places if name in (p.finnish.lower(), p.swedish.lower())), None)


def _place_name(name: str, text: str) -> str:
    """The gazetteer's spelling of a lower-case name ("nykarleby" → "Nykarleby"), in the other language
    where the text itself writes that one ("www.inkoo.fi" in a text that says "Ingå" → "Ingå")."""
    place = _municipality(name)
    assert place is not None  # only names the gazetteer knows come here
    swedish = place.swedish.lower() == name
    own, other = (place.swedish, place.finnish) if swedish else (place.finnish, place.swedish)
    return other if re.search(rf"\b{re.escape(other)}\b", text) else own

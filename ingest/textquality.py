"""How readable a page's extracted text is: the share of its words that a language's lexicon knows.

Real PDFs carry fonts whose ToUnicode maps are broken: letters are lost or swapped ("protokojjet",
"ungdomsfullmäktge") and spaces come out as a letter ("Personalsektonenn12.2.2024,n41n§"). Every PDF
library returns the same damage, so it has to be noticed on the text itself. Two signals, both cheap
(a dictionary lookup per word, no model):

- `known`: the share of word tokens (two or more letters) that simplemma's lexicon of the best-fitting
  language (fi, sv, en) knows. Clean minutes score 0.6-0.95 (names, compounds and URLs are the unknown
  rest); damaged pages 0.1-0.35.
- `glued`: the share of letters that stand in overlong unknown tokens: spaces read as letters glue a
  whole line into one "word". Long compounds ("välfärdsområdesarbetsgivarna") stay well below half.

A page is `empty` below MIN_LETTERS letters and digits, `damaged` when `known` < DAMAGED_BELOW or
`glued` > GLUED_ABOVE (with at least MIN_WORDS words, so a page holding a signature or a table of
figures is not judged), else `ok`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import simplemma

LANGUAGES = ("sv", "fi", "en")
MIN_LETTERS = 16  # fewer letters and digits than this: nothing to read (a scan, a picture)
MIN_WORDS = 5  # fewer words: too few to judge, taken as it is
DAMAGED_BELOW = 0.45  # known-word share; on the dev protocol damaged pages ≤ 0.33, clean ones ≥ 0.50
GLUED_ABOVE = 0.5  # share of letters in overlong unknown tokens; clean pages ≤ 0.33 on the dev protocol
GLUED_TOKEN = 20  # letters: a token this long that no lexicon knows may be a glued line
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class TextQuality:
    """The measure of one page's text (see the module docstring)."""

    letters: int  # letters and digits on the page
    words: int  # word tokens of two or more letters
    known: float  # share of them the lexicon of `language` knows
    glued: float
    language: str | None  # the lexicon that knows most of the words (None when there are no words)

    @property
    def verdict(self) -> str:
        """"empty", "damaged" or "ok"."""
        if self.letters < MIN_LETTERS:
            return "empty"
        if self.words >= MIN_WORDS and (self.known < DAMAGED_BELOW or self.glued > GLUED_ABOVE):
            return "damaged"
        return "ok"


def is_known(word: str, language: str) -> bool:
    """Whether simplemma's lexicon for `language` holds the word (its low-memory tables: 80 MB for
    fi+sv+en instead of 550 MB, at ~20 µs a lookup)."""
    try:
        return simplemma.is_known(word, language, low_memory=True)
    except ValueError:  # a language simplemma does not have
        return False


def measure(text: str, languages: tuple[str, ...] = LANGUAGES) -> TextQuality:
    """The quality of `text` against the best-fitting of `languages` (mixed-language attachments are
    common: a Finnish circular inside Swedish minutes is not damage)."""
    letters = sum(ch.isalnum() for ch in text)
    words = _WORD.findall(text)
    if not words:
        return TextQuality(letters, 0, 0.0, 0.0, None)
    best_language, best_known = None, -1
    known_sets: dict[str, list[bool]] = {}
    for language in languages:
        flags = [is_known(word, language) for word in words]
        known_sets[language] = flags
        if sum(flags) > best_known:
            best_language, best_known = language, sum(flags)
    assert best_language is not None
    flags = known_sets[best_language]
    total = sum(len(word) for word in words)
    glued = sum(len(w) for w, k in zip(words, flags) if not k and len(w) >= GLUED_TOKEN)
    return TextQuality(letters, len(words), best_known / len(words), glued / total, best_language)


# OCR drops and swaps diacritics where the language packs share a model with English ("swe+eng" reads
# "Förslaget godkändes" as "Forslaget godkandes", "två" as "tvä"): the variants each language spells.
_VARIANTS = {
    "sv": {"a": "aäå", "ä": "äaå", "å": "åäa", "o": "oö", "ö": "öo"},
    "fi": {"a": "aä", "ä": "äa", "o": "oö", "ö": "öo"},
}
MAX_VARIANT_LETTERS = 3  # a word with more candidate letters is left as it is (3^3 lookups at most)


def restore_diacritics(text: str, language: str | None) -> str:
    """Words the lexicon does not know, put right where exactly one spelling with other a/ä/å/o/ö is
    known ("Forslaget" → "Förslaget"); everything else unchanged."""
    table = _VARIANTS.get(language or "")
    if not table:
        return text

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        positions = [i for i, ch in enumerate(lower) if ch in table]
        if not positions or len(positions) > MAX_VARIANT_LETTERS or is_known(word, language):
            return word
        found: set[str] = set()
        candidates = [""]
        for i, ch in enumerate(lower):
            options = table[ch] if i in positions else ch
            candidates = [c + o for c in candidates for o in options]
        for candidate in candidates[1:]:  # the first is the word itself
            if is_known(candidate, language):
                found.add(candidate)
        if len(found) != 1:
            return word
        (spelling,) = found
        return "".join(s.upper() if w.isupper() else s for w, s in zip(word, spelling))

    return _WORD.sub(fix, text)

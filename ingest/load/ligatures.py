"""Lost ligature glyphs: text layers that drop the second letter of every tt, ti, ft, fi, fl, ff.

Office fonts (Calibri, Cambria …) print these letter pairs, and ffi/ffl, as one glyph. Where a PDF's
ToUnicode map gives that glyph only its first letter, a whole page reads "tll" for "till", "efer" for
"efter", "omfatar" for "omfattar", "fnns" for "finns". Most words are still words, so the page passes
the known-word share test of `ingest.load.textquality` and would never be OCR'd.

The test is a rate, not a word list: a word the page's lexicon does not know (three or more letters)
is *lost-glyph damaged* when putting back one lost tail after a `t` or an `f` (LOST_TAILS) makes it a
word the lexicon knows. Clean text has a few such words by chance — names ("Geta" → "getta") and
lexicon holes — but the same few over and over; damaged text has many different ones. A page is
`detected` with at least MIN_KINDS different damaged words, at least RATE_ABOVE damaged words per
1,000 and at least SHARE_ABOVE of its unknown words repaired.

Measured with `measure` (damaged words per 1,000 words; BENCHMARKS.md "Lost ligature glyphs"): clean
text 0.13 (109 Swedish web excerpts and corpus texts) and 1.5 (118 Finnish; lexicon holes such as
"kuitenkin"), none of the 227 detected (the highest, 17.9, had 2 kinds); the readable pages of the
Nykarleby minutes' text layers 1.7 (personalsektionen), 18 (ungdomsfullmäktige) and 41
(välfärdsnämnden), the detected pages 27-109.
Putting a whole pair back anywhere (a glyph mapped to nothing) found 7 more words on the detected
pages, 5 of them wrong ("nades" → "tinades"), and fires 1.1 (sv) and 6.7 (fi) times per 1,000 words
on clean text: not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.load.textquality import LANGUAGES, is_known

# What a ligature glyph mapped to its first letter loses: after "t" the "t" of tt or the "i" of ti;
# after "f" the second letter of ft, fi, fl, ff or the last two of ffi, ffl. Typography, not language:
# the same fonts set the same pairs in Finnish, Swedish and English text.
LOST_TAILS: dict[str, tuple[str, ...]] = {"t": ("t", "i"), "f": ("t", "i", "l", "f", "fi", "fl")}
MIN_LETTERS = 3  # shorter unknown tokens ("fi" of a web address, "tr") are abbreviations, not damage
MIN_KINDS = 3  # different damaged words a page needs: a name repeated on a clean page is one kind
RATE_ABOVE = 10.0  # damaged words per 1,000 words; clean text 0.13 (sv) and 1.5 (fi), detected pages ≥ 27
SHARE_ABOVE = 0.08  # of the page's unknown words that a lost tail explains; clean < 0.01, detected ≥ 0.14
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class LigatureDamage:
    """One text's lost-glyph test against the lexicon of `language` (see the module docstring)."""

    words: int  # word tokens of two or more letters
    unknown: int  # of them unknown to the lexicon
    damaged: int  # unknown tokens that a re-inserted lost tail makes known
    kinds: int  # different damaged words (lower case)

    @property
    def per_1000(self) -> float:
        return 1000 * self.damaged / self.words if self.words else 0.0

    @property
    def share(self) -> float:
        """Of the unknown words, the share a lost tail explains."""
        return self.damaged / self.unknown if self.unknown else 0.0

    @property
    def detected(self) -> bool:
        """Whether the text systematically lacks ligature letters (its font maps them to one letter)."""
        return self.kinds >= MIN_KINDS and self.per_1000 >= RATE_ABOVE and self.share >= SHARE_ABOVE


@lru_cache(maxsize=65536)
def restorations(word: str, language: str, losses: int = 1) -> frozenset[str]:
    """The spellings (lower case) with one lost tail put back that the lexicon of `language` knows —
    with `losses=2`, two where one is not enough ("fyktngar" → "flyktingar"; ~12 times the lookups,
    so only for repairing); empty for a known word, a short one, or one no tail explains."""
    word = word.lower()
    if len(word) < MIN_LETTERS or any(is_known(word, known) for known in (language, *LANGUAGES)):
        return frozenset()  # a word of any of the languages ("sites" in a Swedish page) is no damage
    once = set(_with_a_tail(word))
    found = {candidate for candidate in once if is_known(candidate, language)}
    if not found and losses > 1:
        found = {twice for candidate in once for twice in _with_a_tail(candidate)
                 if is_known(twice, language)}
    return frozenset(found)


def _with_a_tail(word: str) -> list[str]:
    return [word[: i + 1] + tail + word[i + 1 :] for i, letter in enumerate(word)
            for tail in LOST_TAILS.get(letter, ())]


def measure(text: str, language: str | None) -> LigatureDamage:
    """The lost-glyph test on `text` against the lexicon of `language` (None: nothing to test)."""
    words = _WORD.findall(text)
    if language is None or not words:
        return LigatureDamage(len(words), 0, 0, 0)
    unknown = damaged = 0
    kinds: set[str] = set()
    for word in words:
        if is_known(word, language):
            continue
        unknown += 1
        if restorations(word, language):
            damaged += 1
            kinds.add(word.lower())
    return LigatureDamage(len(words), unknown, damaged, len(kinds))


def repair(text: str, language: str | None) -> tuple[str, int]:
    """`text` with lost tails put back where exactly one spelling is a word of the lexicon
    ("tll" → "till", "Efer" → "Efter"; up to two in a word), and how many words were changed. A
    damaged word that is still a word ("at" for "att", "het" for "hett" …) cannot be told and stays."""
    if language is None:
        return text, 0
    changed = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0)
        found = restorations(word, language, losses=2)
        if len(found) != 1:
            return word
        (spelling,) = found
        changed += 1
        return _same_case(word, spelling)

    return _WORD.sub(fix, text), changed


def _same_case(original: str, spelling: str) -> str:
    """`spelling` cased as `original`: all capitals stay capitals, a capital initial stays one."""
    if original.isupper() and len(original) > 1:
        return spelling.upper()
    if original[:1].isupper():
        return spelling[:1].upper() + spelling[1:]
    return spelling

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

- `garbled_lines`: lines set in a font whose letters are all shifted ("Säagbmiulälä detiddm idmläuä:"
  for "Stadsfullmäktiges beslut:") on an otherwise clean page: most of the line's words are unknown and
  made of letter triples (trigrams) that no known word of the same document contains. Names are unknown
  too, but made of ordinary triples ("Högnäsbacka"). Needs the document's trigrams (`known_trigrams`).

A page is `empty` below MIN_LETTERS letters and digits, `damaged` when `known` < DAMAGED_BELOW,
`glued` > GLUED_ABOVE or `garbled_lines` >= GARBLED_LINES (with at least MIN_WORDS words, so a page
holding a signature or a table of figures is not judged), else `ok`.

On the dev protocol (personalsektionen, 102 pages) damaged pages scored known 0.12-0.33, clean ones
0.53-0.95; garbled lines: 2-4 on each of the four pages with shifted-letter headings, at most 1 elsewhere.
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
GARBLED_LINES = 2  # lines of shifted letters that make a page damaged
GARBLED_SHARE = 0.4  # of a word's letter triples that no known word of the document has
MIN_TRIGRAMS = 500  # fewer known triples (a short or a scanned document): garbled lines are not judged
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class TextQuality:
    """The measure of one page's text (see the module docstring)."""

    letters: int  # letters and digits on the page
    words: int  # word tokens of two or more letters
    known: float  # share of them the lexicon of `language` knows
    glued: float
    language: str | None  # the lexicon that knows most of the words (None when there are no words)
    garbled_lines: int = 0

    @property
    def verdict(self) -> str:
        """"empty", "damaged" or "ok"."""
        if self.letters < MIN_LETTERS:
            return "empty"
        if self.words >= MIN_WORDS and (self.known < DAMAGED_BELOW or self.glued > GLUED_ABOVE
                                        or self.garbled_lines >= GARBLED_LINES):
            return "damaged"
        return "ok"


def is_known(word: str, language: str) -> bool:
    """Whether simplemma's lexicon for `language` holds the word (its low-memory tables: 80 MB for
    fi+sv+en instead of 550 MB, at ~20 µs a lookup)."""
    try:
        return simplemma.is_known(word, language, low_memory=True)
    except ValueError:  # a language simplemma does not have
        return False


def preload(languages: tuple[str, ...] = LANGUAGES) -> None:
    """Load the lexicons now (about 3 s for fi+sv+en): the isolated loader does it at start-up."""
    for language in languages:
        is_known("a", language)


def measure(text: str, languages: tuple[str, ...] = LANGUAGES, trigrams: frozenset[str] = frozenset()
            ) -> TextQuality:
    """The quality of `text` against the best-fitting of `languages` (mixed-language attachments are
    common: a Finnish circular inside Swedish minutes is not damage); `trigrams`: the document's, from
    `known_trigrams`, to count garbled lines."""
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
    garbled = _garbled_lines(text, best_language, trigrams) if len(trigrams) >= MIN_TRIGRAMS else 0
    return TextQuality(letters, len(words), best_known / len(words), glued / total, best_language, garbled)


def vocabulary(texts: list[str], qualities: list[TextQuality]) -> frozenset[str]:
    """The words (lower case) of a document's clean pages."""
    return frozenset(word.lower() for text, quality in zip(texts, qualities) if quality.verdict == "ok"
                     for word in _WORD.findall(text))


def _trigrams(word: str) -> list[str]:
    marked = f"^{word.lower()}$"
    return [marked[i : i + 3] for i in range(len(marked) - 2)]


def known_trigrams(texts: list[str], qualities: list[TextQuality]) -> frozenset[str]:
    """The letter triples of the words the lexicon knows on a document's clean pages."""
    found: set[str] = set()
    for text, quality in zip(texts, qualities):
        if quality.verdict == "ok" and quality.language:
            for word in _WORD.findall(text):
                if is_known(word, quality.language):
                    found.update(_trigrams(word))
    return frozenset(found)


def _garbled_lines(text: str, language: str, trigrams: frozenset[str]) -> int:
    """Lines of two or more words of which at least two thirds (and two) are unknown and of unusual
    letter triples."""
    count = 0
    for line in text.splitlines():
        words = [w for w in _WORD.findall(line) if len(w) >= 3]
        if len(words) < 2:
            continue
        odd = 0
        for word in words:
            triples = _trigrams(word)
            if (sum(t not in trigrams for t in triples) >= GARBLED_SHARE * len(triples)
                    and not is_known(word, language)):
                odd += 1
        count += odd >= 2 and 3 * odd >= 2 * len(words)
    return count


# OCR drops and swaps diacritics where the language packs share a model with English ("swe+eng" reads
# "Förslaget godkändes" as "Forslaget godkandes", "två" as "tvä", "föreslås" as "féreslas": in the
# unknown words of the Nykarleby minutes' OCR text 39 of 52 é stood for ö, 8 for e): the variants each
# language spells.
_VARIANTS = {
    "sv": {"a": "aäå", "ä": "äaå", "å": "åäa", "o": "oö", "ö": "öo", "é": "éöe"},
    "fi": {"a": "aä", "ä": "äa", "o": "oö", "ö": "öo"},
}
MAX_VARIANT_LETTERS = 4  # a word with more candidate letters is left as it is (3^4 lookups at most)


def restore_diacritics(text: str, language: str | None, vocabulary: frozenset[str] = frozenset()) -> str:
    """Words the lexicon does not know, put right where exactly one spelling with other a/ä/å/o/ö is
    known to the lexicon or is a word of the same document (`vocabulary`, lower case: compounds such as
    "småbarnspedagogik" are no lexicon's) — "Forslaget" → "Förslaget"; everything else unchanged."""
    table = _VARIANTS.get(language or "")
    if not table or language is None:
        return text

    def known(word: str) -> bool:
        return word in vocabulary or is_known(word, language)

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        positions = [i for i, ch in enumerate(lower) if ch in table]
        if not positions or len(positions) > MAX_VARIANT_LETTERS or known(lower):
            return word
        found: set[str] = set()
        candidates = [""]
        for i, ch in enumerate(lower):
            options = table[ch] if i in positions else ch
            candidates = [c + o for c in candidates for o in options]
        for candidate in candidates[1:]:  # the first is the word itself
            if known(candidate):
                found.add(candidate)
        if len(found) != 1:
            return word
        (spelling,) = found
        return "".join(s.upper() if w.isupper() else s for w, s in zip(word, spelling))

    return _WORD.sub(fix, text)

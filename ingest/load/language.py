"""Which of Finnish, Swedish or English a text is in: documents are fi/sv, questions fi/sv/en.

py3langid (restricted to the three languages) decides for longer texts. For a short question its
character n-grams are too few, and å/ä/ö do not separate Finnish from Swedish, so a vote of function
words and Finnish case endings is added.
"""

from __future__ import annotations

import logging
import math
import re
from functools import lru_cache

import genre

logger = logging.getLogger(__name__)

LANGUAGES = ("fi", "sv", "en")
SHORT_TEXT_WORDS = 30  # below this, the word vote weighs in
SAMPLE_CHARS = 20_000  # a document's language shows in its first pages; langid cost grows with length

_STOPWORDS: dict[str, frozenset[str]] = {lang: genre.language_markers(lang) for lang in LANGUAGES}
# Finnish case and verb endings (inessive, elative, adessive, allative, translative, passive past);
# Swedish has a few words ending like these ("nästa", "första"), so they count for half a stopword.
_FINNISH_ENDINGS = re.compile(r"(ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|ttiin|tiin|inen|isen|ista|istä)$")
_FINNISH_DOUBLE_VOWELS = re.compile(r"(aa|ää|ii|uu|yy|öö)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@lru_cache(maxsize=1)
def _identifier():
    """py3langid restricted to fi/sv/en, built on first use: its own module-level model stays untouched."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def _votes(words: list[str]) -> dict[str, float]:
    """Function words and spelling that only one of the three languages has."""
    votes: dict[str, float] = dict.fromkeys(LANGUAGES, 0.0)
    for word in words:
        for language, stopwords in _STOPWORDS.items():
            votes[language] += word in stopwords
        if "å" in word:
            votes["sv"] += 1
        elif len(word) > 5 and _FINNISH_ENDINGS.search(word):
            votes["fi"] += 0.5
        elif _FINNISH_DOUBLE_VOWELS.search(word):
            votes["fi"] += 0.5
        if word.startswith(("th", "wh")):  # Swedish "-ing"/"-tion" words rule out the other English cues
            votes["en"] += 0.5
    return votes


def detect_language(text: str, *, default: str = "fi") -> str:
    """The language code (fi, sv or en) of a document's text or a one-line question.

    `default` comes back for text without words ("17.02.2025 § 27").
    """
    sample = text[:SAMPLE_CHARS]
    words = [w.lower() for w in _WORD.findall(sample)]
    if not words:
        return default
    ranked = dict(_identifier().rank(sample))
    if len(words) >= SHORT_TEXT_WORDS:
        return max(LANGUAGES, key=lambda lang: ranked.get(lang, 0.0))
    votes = _votes(words)
    # langid's probability counts like up to ~two stopwords; log keeps a confident-but-wrong guess in check
    scores = {lang: votes[lang] + 1.0 + math.log(max(ranked.get(lang, 0.0), 1e-3)) / 3.5
              for lang in LANGUAGES}
    best = max(LANGUAGES, key=lambda lang: scores[lang])
    logger.debug("language %s for %r (votes %s, langid %s)", best, sample[:60], dict(votes), ranked)
    return best

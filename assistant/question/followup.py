"""Turn a chat follow-up ("entä Kuopiossa?", "och vem ansvarar för det?") into a standalone question.

Retrieval sees one question at a time, so a follow-up that leans on the previous turn would
search for "Kuopiossa" alone. The rules are plain on purpose: they are predictable, need no
model, and the app shows the rewritten question ("Searched for: …") so a wrong guess is visible.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache

import genre
from genre import lemmas

logger = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+(?:[-'’:][^\W_]+)*", re.UNICODE)

# Openers that continue the previous turn (genre/): the longest match is stripped from the follow-up.
_MARKERS = genre.followup_words("openers")
_MARKER_RE = re.compile(
    r"^\s*(?:" + "|".join(re.escape(m) for m in sorted(_MARKERS, key=len, reverse=True)) + r")\b[\s,]*",
    re.IGNORECASE,
)

# Words that point back at the previous question's topic; question words; words with no topic of their own.
_ALL_PRONOUNS = frozenset(genre.followup_words("pointing"))
_QUESTION_WORDS = frozenset(genre.followup_words("question"))
_FILLER = frozenset(genre.followup_words("filler"))
SHORT_WORDS = 3  # a question of this many words or fewer is usually a fragment of a conversation
OWN_TOPIC_WORDS = 2  # content words besides a municipality that make a question its own


@lru_cache(maxsize=20_000)
def _lemmas(word: str) -> frozenset[str]:
    """A word's lemma in each of the three languages, case-folded (Kuopiossa → kuopio)."""
    out = {word.casefold()}
    for lang in ("fi", "sv", "en"):
        try:
            out.add(lemmas.lemmatize(word, lang).casefold())
        except ValueError:  # pragma: no cover - a language simplemma lacks
            continue
    return frozenset(out)


def _words(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _names_municipality(word: str, name: str) -> bool:
    """Whether one word is an inflected form of a one-word municipality name."""
    folded, target = word.casefold(), name.casefold()
    if target in _lemmas(word):
        return True
    # Fallback for forms the lemmatiser does not know: "Bräckes", "Kuopiossakin".
    return len(target) >= 4 and folded.startswith(target) and len(folded) - len(target) <= 5


def find_municipality(text: str, municipalities: Sequence[str]) -> tuple[str, int, int] | None:
    """(municipality, start, end) of the first known municipality named in `text`, longest names first."""
    words = _words(text)
    for name in sorted({m for m in municipalities if m and m.strip()}, key=len, reverse=True):
        parts = name.split()
        if len(parts) > 1:
            # Multi-word names ("Kaustisen seutu"): match all but the last word exactly, the last inflected.
            for i in range(len(words) - len(parts) + 1):
                window = words[i : i + len(parts)]
                head_ok = all(w.group(0).casefold() == p.casefold() for w, p in zip(window[:-1], parts[:-1]))
                if head_ok and _names_municipality(window[-1].group(0), parts[-1]):
                    return name, window[0].start(), window[-1].end()
            continue
        for w in words:
            if _names_municipality(w.group(0), name):
                return name, w.start(), w.end()
    return None


def names_body(text: str, bodies: Sequence[str] = ()) -> bool:
    """Whether the text names a decision-making body: one of the index's, or any the genre knows."""
    folded = text.casefold()
    if any(b and b.casefold() in folded for b in bodies):
        return True
    return any(len(w.group(0)) >= 6 and genre.body_kind(w.group(0)) for w in _words(text))


def is_followup(question: str, municipalities: Sequence[str] = (), bodies: Sequence[str] = ()) -> bool:
    """Short, opened with a continuing word, or pointing back with a pronoun; but a question that names
    its own municipality or body and has a topic of its own stands alone whatever pronoun it uses."""
    words = [w.group(0).casefold() for w in _words(question)]
    if not words:
        return False
    if _MARKER_RE.match(question):
        return True
    if len(words) > SHORT_WORDS:
        named = find_municipality(question, municipalities)
        rest = question if named is None else question[: named[1]] + question[named[2] :]
        content = [w for w in _content(_words(rest)) if not names_body(w, bodies)]
        if len(content) >= OWN_TOPIC_WORDS and (named is not None or names_body(question, bodies)):
            return False
    if any(w in _ALL_PRONOUNS for w in words) and not _has_own_topic(words):
        return True
    if len(words) <= SHORT_WORDS:
        # "Kuopiossa?", "who decided?", but not "Mikä on digistrategia?" (asks about a topic of its own).
        starts_with_question_word = words[0] in _QUESTION_WORDS
        return (
            not starts_with_question_word
            or len(words) <= 2
            or find_municipality(question, municipalities) is not None
        )
    return False


def _has_own_topic(words: list[str]) -> bool:
    """A long question with several content words stands alone even if it says "it" somewhere."""
    content = [w for w in words if w not in _QUESTION_WORDS and w not in _FILLER and w not in _ALL_PRONOUNS]
    return len(content) >= 4


def _content(words: list[re.Match[str]]) -> list[str]:
    folded = (w.group(0).casefold() for w in words)
    return [w for w in folded if w not in _QUESTION_WORDS and w not in _FILLER and w not in _ALL_PRONOUNS]


def _is_content(word: str) -> bool:
    folded = word.casefold()
    return folded not in _QUESTION_WORDS and folded not in _FILLER and folded not in _ALL_PRONOUNS


def _topic(question: str, drop: tuple[int, int] | None = None) -> str:
    """The previous question's topic as a phrase: from its first to its last content word, with the small
    words between kept ("the digital strategy of Kuopio"), so the rewritten question still reads as one."""
    words = [w for w in _words(question) if not (drop and drop[0] <= w.start() < drop[1])]
    content = [i for i, w in enumerate(words) if _is_content(w.group(0))]
    if not content:
        return ""
    first, last = words[content[0]], words[content[-1]]
    if drop and first.start() < drop[0] < last.end():  # the dropped name sat inside: words, not a phrase
        return " ".join(words[i].group(0) for i in content)
    return question[first.start() : last.end()]


def _genitive(name: str) -> str:
    """A Finnish place name's genitive, by the genre's endings ("Seinäjoki" → "Seinäjoen", "Lahti" →
    "Lahden", "Kaustinen" → "Kaustisen"; else the name + "n": "Pori" → "Porin")."""
    for genitive, nominative in genre.genitive_endings("fi"):
        if nominative and name.endswith(nominative):
            return name[: -len(nominative)] + genitive
    return name + "n"


def _inflected_as(name: str, typed: str, other: str, written: str) -> str:
    """`name` (typed in the follow-up as `typed`) in the case that `other` stands in where the previous
    question wrote it as `written`: the genitive for a genitive ("Kuopion" → "Porin", "Seinäjoen"), the
    asker's own form for a Finnish local case ("Kuopiossa" → "Seinäjoella" as typed), the same ending
    after the name otherwise ("Umeås" → "Bräckes"), the name where the written form is the name."""
    if written.casefold() == other.casefold():
        return name
    if written.casefold() == _genitive(other).casefold():
        return _genitive(name)
    endings = genre.case_endings("fi")
    if written.casefold().endswith(endings) and typed.casefold().endswith(endings):
        return typed
    if written.casefold().startswith(other.casefold()) and len(written) - len(other) <= 5:
        return name + written[len(other):]
    return name


def _finish(text: str, question_mark: bool) -> str:
    text = " ".join(text.replace(" ,", ",").split()).strip(" ,.;:!?")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text + ("?" if question_mark else "")


def rewrite_followup(
    question: str, history: list[str], municipalities: Sequence[str], bodies: Sequence[str] = ()
) -> str | None:
    """A standalone version of `question` built from the last turn, or None if it already stands alone.

    `history` holds the earlier questions, oldest first, each already standalone (the app keeps the
    rewritten form), so a chain of follow-ups keeps its topic.
    """
    previous = next((h for h in reversed(history) if h and h.strip()), None)
    if previous is None or not question.strip() or not is_followup(question, municipalities, bodies):
        return None
    ends_with_mark = question.rstrip().endswith("?") or previous.rstrip().endswith("?")
    body = _MARKER_RE.sub("", question.strip(), count=1).strip(" ,?!.")
    named = find_municipality(body, municipalities)

    if named is not None:
        name, start, end = named
        # Keep what else the follow-up says ("entä Kuopiossa vuonna 2025?" keeps "2025").
        rest = _topic(body, drop=(start, end))
        before = find_municipality(previous, municipalities)
        if before is not None:
            previous_name, p_start, p_end = before
            if previous[p_start:p_end].casefold() == name.casefold() and not rest:
                return None  # the same municipality again: nothing to rewrite
            form = _inflected_as(name, body[start:end], previous_name, previous[p_start:p_end])
            rewritten = previous[:p_start] + form + previous[p_end:]
        else:
            rewritten = f"{previous.rstrip(' ?!.')} {name}"
        if rest:
            rewritten = f"{rewritten.rstrip(' ?!.')} {rest}"
        result = _finish(rewritten, ends_with_mark)
        logger.debug("follow-up %r → %r", question, result)
        return result

    topic = _topic(previous)
    if not topic:
        return None
    words = _words(body)
    pronoun = next((w for w in words if w.group(0).casefold() in _ALL_PRONOUNS), None)
    if pronoun is not None:
        # "who is responsible for it" → "who is responsible for <topic>"
        rewritten = body[: pronoun.start()] + topic + body[pronoun.end() :]
    elif words and words[0].group(0).casefold() in _QUESTION_WORDS:
        # A new question about the same topic: "who decided?" → "who decided <topic>"
        rewritten = f"{body} {topic}"
    else:
        # More detail for the same question: "entä vuonna 2025?" → "<previous question> vuonna 2025"
        rewritten = f"{previous.rstrip(' ?!.')} {body}" if body else previous
    result = _finish(rewritten, ends_with_mark)
    if result.casefold().strip("?") == question.strip().casefold().strip("?"):
        return None
    logger.debug("follow-up %r → %r", question, result)
    return result

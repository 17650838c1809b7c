"""What a question asks: its language, the answer type it wants, and which body or section it is about.

The answer type is a soft prior, not a first match: cue words per language (genre/) vote, and the
nearest labelled dev questions in e5 space (type centroids in the answer scorer's model file) vote
too; the scorer weighs each candidate by the types it can answer. `type` is the most likely one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

import genre

QUESTION_TYPES = ("owner", "decision", "date", "list", "fact")
ANSWER_TYPES = ("owner", "decision", "date", "amount", "person", "list", "fact")

# The order the cues are tried in: the first type whose cue a question has is its first-match type.
_TYPE_ORDER = ("owner", "date", "decision", "list")
# Section kinds a question's words point at ("who prepared" → the preparer line, not an owner), in order.
_HINT_ORDER = ("preparer", "presenter", "attachments", "appeal", "distribution", "contact", "reservation")
# Body classes, most specific first: "what did the council decide" must match Kaupunginvaltuusto and
# Kommunfullmäktige, "seutuvaltuusto" the regional council before the council.
_BODY_CLASS_ORDER = ("regional_council", "regional_board", "council", "board", "committee", "management")


def _compiled(
    kinds: Sequence[str], cues: Callable[[str], tuple[str, ...]]
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One case-insensitive alternation of genre/'s fi, sv and en cue fragments per kind."""
    return tuple((kind, re.compile("|".join(cues(kind)), re.IGNORECASE)) for kind in kinds)


_TYPE_PATTERNS = _compiled(_TYPE_ORDER, genre.question_type_cues)
_KIND_HINTS = _compiled(_HINT_ORDER, genre.section_cues)
# Cue words of the types the first-match patterns above lack (fi, sv, en).
_EXTRA_CUES = _compiled(("person", "date"), genre.answer_type_cues)
_QUANTITY = re.compile("|".join(genre.quantity_cues()), re.IGNORECASE)
_BODY_CLASSES = _compiled(_BODY_CLASS_ORDER, genre.body_class_cues)


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    type: str
    body_class: str | None = None  # the kind of body the question is about, if it names one
    section_hint: str | None = None  # a section kind its words point at
    type_prior: tuple[tuple[str, float], ...] = ()  # P(answer type) over ANSWER_TYPES
    vector: tuple[float, ...] | None = field(default=None, compare=False, repr=False)  # e5 query vector
    supported: bool = True  # False for a question in a language (or script) the index does not hold

    @property
    def wants_number(self) -> bool:
        """How many / how much: an answer without a number does not answer it."""
        return bool(_QUANTITY.search(self.text))


# A council initiative (valtuustoaloite, fullmäktigemotion) names a document, not a body.
_NOT_A_BODY = re.compile(r"({})({})\w*".format(*("|".join(part) for part in genre.council_document_parts())),
                         re.IGNORECASE)


def body_class(name: str | None) -> str | None:
    """The class of the first body named ("Kaupunginvaltuusto", "KS", "regional council"), or None."""
    if not name:
        return None
    name = _NOT_A_BODY.sub(" ", name)
    found = [(m.start(), cls) for cls, pattern in _BODY_CLASSES if (m := pattern.search(name))]
    return min(found)[1] if found else None


def body_classes(text: str) -> set[str]:
    """Every body class a text mentions."""
    text = _NOT_A_BODY.sub(" ", text)
    return {cls for cls, pattern in _BODY_CLASSES if pattern.search(text)}


def mentions_decision(text: str) -> bool:
    """A date question about a decision ("when was it approved") is best answered by the decision."""
    return bool(dict(_TYPE_PATTERNS)["decision"].search(text))


def question_type(text: str) -> str:
    for kind, pattern in _TYPE_PATTERNS:
        if pattern.search(text):
            return kind
    return "fact"


_YES_NO = re.compile(rf"^\s*(?:{'|'.join(genre.yes_no_openings())})\b", re.IGNORECASE)
_BODY_PHRASE = re.compile(rf"(?:(\w+)\s+)?(\w*(?:{'|'.join(genre.committee_heads())})\w*)", re.IGNORECASE)
# A Finnish or Swedish compound is cut at its head ("byggnadsnämnden" → "byggnads"); an English name's
# head is a word of its own and stays whole.
_COMPOUND_HEADS = "|".join(genre.committee_heads("fi") + genre.committee_heads("sv"))
_GENERIC_BODY_WORDS = genre.generic_body_words()
_BODY_ADJECTIVE_ENDINGS = genre.body_adjective_endings()


def body_words(text: str) -> list[str]:
    """The words that name one committee among many: "tekninen lautakunta" → ["tekninen"],
    "byggnadsnämnden" → ["byggnads"], "technical committee" → ["committee"] (only the head: which English
    committee is meant needs the e5 side)."""
    found: list[str] = []
    for m in _BODY_PHRASE.finditer(text):
        word, body = (m.group(1) or ""), m.group(2).lower()
        stem = re.split(_COMPOUND_HEADS, body)[0].strip("-")
        if len(stem) >= 4:
            found.append(stem)
        elif word and word.lower() not in _GENERIC_BODY_WORDS and len(word) >= 4 and body[:1].islower() and (
            word.lower().endswith(_BODY_ADJECTIVE_ENDINGS)
        ):
            found.append(word.lower())
    return found


def cue_scores(text: str) -> dict[str, float]:
    """Votes of the cue words: 1 for each answer type whose cue the question has."""
    votes = {kind: 0.0 for kind in ANSWER_TYPES}
    first = question_type(text)
    if first != "fact":
        votes[first] += 1.0
    for kind, pattern in _TYPE_PATTERNS:
        if pattern.search(text) and kind != first:
            votes[kind] += 0.5
    for kind, pattern in _EXTRA_CUES:
        if pattern.search(text):
            votes[kind] += 0.5 if kind == "person" and votes["owner"] else 1.0
    if _QUANTITY.search(text):
        votes["amount"] += 1.5
    if _YES_NO.match(text) and not votes["owner"] and not votes["amount"]:
        votes["decision"] += 0.7  # "Hyväksyikö …", "Godkände …", "Was it approved …": a decision asked
    votes["fact"] += 0.3
    return votes


def type_prior(
    text: str, vector: Sequence[float] | None = None, centroids: Mapping[str, np.ndarray] | None = None
) -> tuple[tuple[str, float], ...]:
    """P(answer type): the cue words' votes, mixed half and half with the nearest type centroids of
    labelled dev questions in e5 space when the model has them."""
    votes = cue_scores(text)
    total = sum(votes.values())
    prior = {k: v / total for k, v in votes.items()}
    if vector is not None and centroids:
        q = np.asarray(vector, dtype=float)
        norm_q = float(np.linalg.norm(q)) or 1.0
        sims = {k: float(q @ c) / (norm_q * (float(np.linalg.norm(c)) or 1.0)) for k, c in centroids.items()}
        top = max(sims.values())
        exp = {k: float(np.exp((s - top) / 0.02)) for k, s in sims.items()}
        norm = sum(exp.values())
        prior = {k: 0.5 * prior.get(k, 0.0) + 0.5 * exp.get(k, 0.0) / norm for k in ANSWER_TYPES}
    return tuple((k, round(prior[k], 4)) for k in ANSWER_TYPES)


_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_LETTER = re.compile(r"[^\W\d_]")


def supported_script(text: str) -> bool:
    """Whether a question is written in the Latin script the fi/sv/en index holds, and has words at all."""
    letters = _LETTER.findall(text)
    return len(letters) >= 2 and sum(bool(_LATIN.match(c)) for c in letters) >= 0.6 * len(letters)


def analyse(
    text: str,
    language: str | None = None,
    vector: Sequence[float] | None = None,
    centroids: Mapping[str, np.ndarray] | None = None,
) -> Question:
    from ingest.load.language import detect_language

    text = " ".join(text.split())
    hint = next((kind for kind, pattern in _KIND_HINTS if pattern.search(text)), None)
    prior = type_prior(text, vector, centroids)
    if hint in ("reservation", "preparer", "presenter"):  # "who voted against the decision" wants people
        shares = dict(prior)
        shares["person"] += shares["decision"] + shares["owner"]
        shares["decision"] = shares["owner"] = 0.0
        prior = tuple((k, shares[k]) for k in ANSWER_TYPES)
    kind = max(prior, key=lambda kv: kv[1])[0]
    if hint and kind == "decision":  # "can the decision be appealed" asks about the appeal section
        kind = "fact"
    supported = supported_script(text)
    # An unsupported language or script gets the abstention in English, the common second language.
    lang = language or (detect_language(text, default="en") if supported else "en")
    return Question(
        text=text,
        language=lang,
        type=kind,
        body_class=body_class(text),
        section_hint=hint,
        type_prior=prior,
        vector=tuple(float(x) for x in vector) if vector is not None else None,
        supported=supported,
    )

"""Scored answer candidates: what the documents' structure offers, described by features, ranked by a
small learned model whose probability decides between answering and abstaining.

Candidates come from what ingest kept: sentences, action rows with their owners (chunk metadata),
decision and proposal sections of each handling, preparer/presenter lines. Each gets features (e5
similarity of question and candidate, bm25 and dense scores and rank of its passage, lemma coverage,
whether the names the question names are there, the answer type wanted against what the candidate
holds, section kind). A logistic regression trained on the dev gold set (`strategy-chat train`)
turns them into a probability; `assistant/models/answer_scorer.json` holds its coefficients.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

import genre
from assistant.question.analysis import ANSWER_TYPES, Question, body_class, body_words
from assistant.question.glossary import place_names
from assistant.reading.citations import sentences_of
from assistant.reading.coverage import Term, coverage, missing_names, question_terms, text_tokens
from assistant.reading.owners import owned_actions
from assistant.records import Passage, SectionLookup
from ingest.parse.dates import find_dates
from ingest.records import Chunk

logger = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "answer_scorer.json"
MODEL_VERSION = 2  # 2: an `objective`, "listwise" (softmax over a question's candidates and abstaining)
READABLE_VERSIONS = (1, 2)
# Candidates per question that get their own sentence embedding (the rest stand in with their chunk's
# similarity): ~6-10 ms each on the 2-core dev box at 120 characters. On dev (5-fold by document) 5, 10
# and all 40 gave the same top-candidate accuracy (0.49 / 0.49; 0.42 / 0.42 in an earlier round), and
# 10 put `ask` p95 over its 150 ms budget at 10k chunks.
MAX_EMBEDDED = 5
EMBED_CHARS = 120
POOL = 40  # candidates scored per question
Embed = Callable[[list[str]], list[list[float]]]

# -- what a candidate holds ------------------------------------------------------------------------
def _cue(kind: str, whole_words: bool = False) -> re.Pattern[str]:
    """One of genre's candidate cues (all languages) as a pattern."""
    words = "|".join(genre.candidate_cues(kind))
    return re.compile(rf"\b(?:{words})\b" if whole_words else words, re.IGNORECASE)


_OWNER_CUE = _cue("owner")
# Case numbers, §, section numbers and phone numbers are numbers but not amounts.
_NOT_AMOUNT = re.compile(
    r"\b[A-ZÅÄÖ]{2,}[A-Za-z]*[-\s]?\d{2,4}[-/]\d+\b|\b\d+/\d{2}\.\d{2}\.\d{2}/\d{4}\b|"
    r"\bDnr\b[^,;.]*|§\s*\d+|\d+\s*§|\b\d+(?:\.\d+){2,}\b|\b0\d{1,3}[\s-]\d{3}[\s-]?\d{2,4}\b|"
    r"\b\d{1,2}\.\d{1,2}\.(?:\d{2,4})?|\b\d{4}-\d{2}-\d{2}\b|\bklo\s*\d+[.:]\d+|\bkl\.?\s*\d+[.:]\d+",
)
_NUMBER = r"\d[\d\s.,]*\s*"


def _units(kind: str) -> str:
    return "|".join(re.escape(w) for w in sorted(genre.amount_units(kind), key=len, reverse=True))


# A number with a currency (money), with another unit or in thousands (a count), or bare.
_MONEY = re.compile(rf"{_NUMBER}(?:€|(?:{_units('money')})\b)|(?:€|\beur|\bkr|\bsek)\s*\d", re.IGNORECASE)
_COUNT = re.compile(rf"{_NUMBER}(?:%|(?:{_units('count')})\b)|\b\d{{1,3}}(?:[ \u00a0]\d{{3}})+\b",
                    re.IGNORECASE)
_BARE_NUMBER = re.compile(r"\b\d+(?:,\d+)?\b")
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(genre.number_words())})\b", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"\b(?:19|20)\d\d\s*[–-]\s*(?:(?:19|20)?\d\d)\b")
_DATE_WORD = _cue("date_word", whole_words=True)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NAME = r"[A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäö]+)?"
_PERSON = re.compile(rf"\b{_NAME} {_NAME}\b")
_ROLE = _cue("role")
_DISSENT = _cue("dissent")
_VERB_HINT = _cue("verb", whole_words=True)

KINDS = ("sentence", "owner", "decision", "proposal", "preparer", "presenter", "cover")
# Facts the layout parser read (chunk metadata from ingest: cover page, preparer and presenter lines),
# with the answer type each gives.
FACT_FIELDS: dict[str, str] = {
    "chair": "person", "vice_chair": "person", "secretary": "person", "checkers": "person",
    "present": "person", "absent": "person", "others_present": "person", "preparers": "person",
    "presenter": "person", "meeting_time": "date", "published": "date", "meeting_place": "fact",
    "meeting_organ": "fact", "meeting_items": "fact", "vote": "amount", "conflicts": "person",
    "voted_yes": "person", "voted_no": "person", "voted_blank": "person",  # a roll call's names
    "case_number": "fact",  # the chunk's own field, not extra
}
SECTION_GROUPS = ("decision", "proposal", "actions", "preparer", "presenter", "background", "handling",
                  "reservation", "heading", "text", "title", "other")

FEATURES: tuple[str, ...] = (
    "e5_sentence", "e5_chunk", "e5_sentence_rel", "bm25", "rank_inv", "fused_rel",
    "coverage", "coverage_alone", "names_present", "named_share",
    "type_fit", "owner_x_owner", "decision_x_decision", "date_x_date", "amount_x_amount",
    "person_x_person", "list_x_list", "proposal_x_decision", "dissent_x_person",
    "year_range", "has_full_date", "has_amount", "has_person",
    "body_match", "body_mismatch", "same_language", "short", "bare_heading", "log_length",
    *(f"kind_{k}" for k in KINDS),
    *(f"section_{s}" for s in SECTION_GROUPS),
    "hint_match",  # the section kind the question's words point at ("who prepared" → preparer)
    "field_cue",  # a layout fact whose field the question asks for ("who chaired" → chair)
    "item_coverage", "item_dense",  # how well the candidate's whole minutes item matches the question
    "embedded",  # 1 when e5_sentence is the candidate's own embedding, 0 when its chunk's
)


@dataclass(frozen=True)
class Candidate:
    """One possible answer: a span of a retrieved chunk and what it is (a sentence, an owner row …)."""

    kind: str  # one of KINDS
    chunk: Chunk
    rank: int  # rank of the passage it came from
    quote: str  # exact substring of chunk.text
    text: str  # what is matched against the question (the action with its owner, the sentence …)
    title: str = ""  # the action's title (owner rows); the fact's field (cover facts: "chair" …)
    owner: str = ""  # the owner as written (owner rows); the fact's value (cover facts)


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    probability: float
    features: tuple[float, ...]


@lru_cache(maxsize=16384)
def _dated(text: str) -> bool:
    return bool(find_dates(text))


@lru_cache(maxsize=4096)
def _list_chunk(text: str) -> bool:
    return is_list_block(sentences_of(text))


@lru_cache(maxsize=16384)
def holds(candidate: Candidate) -> dict[str, float]:
    """What kind of answer a candidate can give, 0..1 for each answer type (do not modify the result)."""
    text = candidate.quote
    plain = _NOT_AMOUNT.sub(" ", text)
    full_date = _dated(text)
    person = bool(_PERSON.search(text[1:])) or bool(_ROLE.search(text))
    if candidate.kind == "cover":
        wanted = FACT_FIELDS.get(candidate.title, "fact")
        return {t: 1.0 if t == wanted else 0.5 if t == "fact" else 0.0 for t in ANSWER_TYPES}
    return {
        "owner": 1.0 if candidate.kind == "owner" else 0.6 if _OWNER_CUE.search(text) else 0.0,
        "decision": 1.0 if candidate.kind == "decision" else 0.0,
        "date": 1.0 if full_date else 0.7 if (_DATE_WORD.search(text) or _YEAR_RANGE.search(text))
        else 0.3 if _YEAR.search(text) else 0.0,
        "amount": _amount(plain),
        "person": 1.0 if person else 0.0,
        "list": 1.0 if _list_chunk(candidate.chunk.text) or text.count(",") >= 2 else 0.0,
        "fact": 0.5,
    }


def _amount(plain: str) -> float:
    """How surely a text (case numbers, dates and § taken out) states an amount: money 1, a count 0.7,
    a bare number 0.4 ("12 lämpliga tak" is a number, "820 000 euro" the cost)."""
    if _MONEY.search(plain):
        return 1.0
    if _COUNT.search(plain) or _NUMBER_WORD.search(plain):
        return 0.7
    return 0.4 if _BARE_NUMBER.search(_YEAR.sub(" ", plain)) else 0.0  # a year is a date


def is_bullet(line: str) -> bool:
    """A list item: a bullet mark or a number ("• Hoppa på …", "2. Digituki")."""
    return line.lstrip()[:1] in "•-–*·" or line[:2].rstrip(".").isdigit()


def is_list_block(lines: list[str]) -> bool:
    """Bullets, or a run of short lines (names, themes, values) rather than prose."""
    if len(lines) < 2:
        return False
    bullets = sum(is_bullet(line) for line in lines)
    short = sum(len(line) <= 60 for line in lines)
    return bullets >= len(lines) / 2 or short >= 0.8 * len(lines)


# -- candidates ------------------------------------------------------------------------------------
def candidates(
    question: Question, passages: Sequence[Passage], sections: SectionLookup | None = None
) -> list[Candidate]:
    """Every span of the retrieved passages that could answer, once each."""
    found: list[Candidate] = []
    seen: set[tuple[str, str]] = set()

    def add(c: Candidate) -> None:
        key = (c.chunk.id, c.quote)
        if c.quote and c.quote in c.chunk.text and key not in seen and not genre.addressed_to_model(c.quote):
            seen.add(key)
            found.append(c)

    for rank, passage in enumerate(passages):
        chunk = passage.chunk
        for action in owned_actions(chunk):
            add(Candidate("owner", chunk, rank, action.quote, action.text, action.title, action.owner))
        for fact in cover_facts(chunk, rank):
            add(fact)
        kind = chunk.section_kind
        if kind in ("decision", "proposal"):
            add(Candidate(kind, chunk, rank, trim(chunk.text, 3), chunk.text))
        if kind in ("preparer", "presenter"):
            add(Candidate(kind, chunk, rank, chunk.text.strip()[:300].strip(), chunk.text))
        for sentence in sentences_of(chunk.text):
            if len(sentence) >= 3:
                add(Candidate("sentence", chunk, rank, sentence, sentence))
    if sections is not None:
        per_document = lru_cache(maxsize=None)(sections)  # decisions and covers read the same documents
        found += _item_decisions(passages, per_document, {c.chunk.id for c in found if c.kind == "decision"})
        asked = [name for name, cue in _FIELD_CUES.items() if cue.search(question.text)]
        if asked:
            for c in _document_covers(passages, per_document, asked):
                add(c)
    return found


def cover_facts(chunk: Chunk, rank: int = 0) -> list[Candidate]:
    """The facts ingest read from the layout (chair, secretary, meeting time, preparer …), each quoted
    by the line of the chunk that holds its value."""
    out = []
    for name in FACT_FIELDS:
        value = chunk.case_number if name == "case_number" else chunk.extra.get(name)
        if not value:
            continue
        quote = _line_with(chunk.text, value, listed=name.startswith("voted_"))
        if quote:
            text = f"{name.replace('_', ' ')}: {value}"
            out.append(Candidate("cover", chunk, rank, quote, text, name, value))
    return out


def _line_with(text: str, value: str, listed: bool = False) -> str | None:
    """The lines of `text` that hold `value`: for a list ("A; B; C") from the line of its first part to
    the line of its last (a roll call, a list of those present), at most MAX_FACT_LINES; else the line
    of the first part. `listed`: the values stand on lines of their own ("Antti Harju ei"), not in the
    first line that names them ("Antti Harju ehdotti …"). An exact span of `text`, or None."""
    parts = [p.strip() for p in value.split(";") if p.strip()]
    if not parts:
        return None
    span = (_own_line(text, parts[0]) if listed else None) or _line_span(text, parts[0])
    if span is None:
        return None
    start, end = span
    if len(parts) > 1:
        last = (_own_line(text, parts[-1], start) if listed else None) or _line_span(text, parts[-1], start)
        if last is not None and text.count("\n", start, last[1]) < MAX_FACT_LINES:
            end = last[1]
    return text[start:end].strip() or None


MAX_FACT_LINES = 30


def _own_line(text: str, value: str, after: int = 0) -> tuple[int, int] | None:
    """Start and end of the first line after `after` that begins with `value` and holds little else."""
    for m in re.finditer(rf"^[ \t]*{re.escape(value)}\b[^\n]{{0,16}}$", text[after:], re.MULTILINE):
        return after + m.start(), after + m.end()
    return None


def _line_span(text: str, value: str, after: int = 0) -> tuple[int, int] | None:
    """Start and end of the line holding `value` (its first 24 characters, else its first word)."""
    head = value[:24]
    at = text.find(head, after)
    if at < 0:
        words = re.findall(r"[^\W_]{3,}", head)
        at = text.find(words[0], after) if words else -1
        if at < 0:
            return None
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at + len(head))
    return start, end if end >= 0 else len(text)


def _item_decisions(
    passages: Sequence[Passage], sections: SectionLookup, have: set[str]
) -> list[Candidate]:
    """Decision sections of the items the passages belong to, though not retrieved themselves."""
    out: list[Candidate] = []
    wanted: dict[tuple[str, str], int] = {}
    for rank, p in enumerate(passages[:4]):
        if p.chunk.doc_type in ("minutes", "agenda") and p.chunk.section:
            wanted.setdefault((p.chunk.source, item_root(p.chunk)), rank)
    for source in dict.fromkeys(s for s, _ in wanted):
        for _, chunks in sections(source):
            for c in chunks:
                key = (c.source, item_root(c))
                if key in wanted and c.section_kind in ("decision", "proposal") and c.id not in have:
                    have.add(c.id)
                    out.append(Candidate(c.section_kind, c, wanted[key], trim(c.text, 3), c.text))
    return out


def _document_covers(
    passages: Sequence[Passage], sections: SectionLookup, fields: list[str]
) -> list[Candidate]:
    """The cover facts a question asks for ("who chaired" → chair) of the protocols its best passages
    come from, though the cover page itself was not retrieved: a cover is short and shares few words
    with the question."""
    out: list[Candidate] = []
    wanted: dict[str, int] = {}
    for rank, p in enumerate(passages[:4]):
        if p.chunk.doc_type in ("minutes", "agenda"):
            wanted.setdefault(p.chunk.source, rank)
    for source, rank in wanted.items():
        for _, chunks in sections(source):
            for c in chunks:
                if c.section_kind == "meeting":
                    out += [f for f in cover_facts(c, rank) if f.title in fields]
    return out


def item_root(chunk: Chunk) -> str:
    """The minutes item a chunk belongs to: the first part of its section path ("§ 19")."""
    return chunk.section.split(" › ")[0]


def trim(text: str, sentences: int) -> str:
    """The first sentences of a section, as an exact span of its text."""
    parts = sentences_of(text)
    if not parts:
        return text.strip()
    last = parts[min(sentences, len(parts)) - 1]
    start = text.find(parts[0])
    return text[start : text.find(last, start) + len(last)].strip()


# -- hard constraints: only where they are reliable ------------------------------------------------
def admissible(question: Question, candidate: Candidate, passage_tokens: frozenset[str]) -> bool:
    """Names, dates and numbers the question names must stand in the candidate's passage; a decision
    question is answered by the decision of the body asked about, never by a proposal (an agenda's
    proposal is framed as such)."""
    terms = question_terms(question.text, glossary=False)
    if any(not name_present(t, passage_tokens) for t in terms if t.named):
        return False
    if question.type == "decision" and candidate.kind == "proposal" and candidate.chunk.doc_type != "agenda":
        return False
    if question.type == "decision" and candidate.kind == "decision" and question.body_class:
        if body_class(candidate.chunk.body) not in (None, question.body_class):
            return False
        words = body_words(question.text)
        header = text_tokens(f"{candidate.chunk.body or ''} {candidate.chunk.context_header}")
        if words and not any(_covers_word(w, header) for w in words):
            return False  # "tekninen lautakunta" asked, another committee's decision found
    return True


def name_present(term: Term, tokens: frozenset[str]) -> bool:
    """A name the question names stands in the text: as a lemma, or (not a number) as a word sharing its
    first five letters, since names inflect and compound across fi/sv ("Kaustinenregionen" ~ "Kaustisen")."""
    if not missing_names([term], tokens):
        return True
    surface = term.surface.lower()
    names = place_names(surface)
    if len(names) > 1:  # a known place: its own names, inflected ("Porissa"), not a look-alike ("Björn…")
        return any(t.startswith(n) for n in names if len(n) >= 4 for t in tokens)
    if surface[:1].isdigit() or len(surface) < 5:
        return False
    return any(t[:5] == surface[:5] for t in tokens if len(t) >= 5)


def _covers_word(word: str, tokens: frozenset[str]) -> bool:
    return any(t.startswith(word[:6]) for t in tokens)


# -- features --------------------------------------------------------------------------------------
def _section_group(kind: str) -> str:
    return kind if kind in SECTION_GROUPS else "other"


# The words by which a question asks for one field of the layout's facts (fi, sv, en).
_FIELD_CUES: dict[str, re.Pattern[str]] = {
    name: re.compile("|".join(cues), re.IGNORECASE)
    for name in FACT_FIELDS if (cues := genre.fact_field_cues(name))
}


def features(
    question: Question,
    candidate: Candidate,
    passage: Passage,
    e5_sentence: float,
    top: tuple[float, float, float],  # best e5_sentence, best bm25, best fused over the question's candidates
    terms: tuple[Term, ...],
    passage_tokens: frozenset[str],
    item: tuple[float, float] = (0.0, 0.0),  # the item's coverage of the question and its best dense score
) -> list[float]:
    prior = dict(question.type_prior) or {question.type: 1.0}
    have = holds(candidate)
    chunk = candidate.chunk
    own = text_tokens(candidate.text)
    named = [t for t in terms if t.named]
    named_share = (sum(1 for t in named if not missing_names([t], own)) / len(named)) if named else 1.0
    body = 0.0
    if question.body_class and chunk.body:
        body = 1.0 if body_class(chunk.body) == question.body_class else -1.0
    quote = candidate.quote.strip()
    bare = (
        len(quote) < 80 and not quote.endswith((".", "!", "?")) and not _VERB_HINT.search(quote)
        and not _dated(quote) and candidate.kind == "sentence"
    )
    values = {
        "e5_sentence": e5_sentence,
        "e5_chunk": passage.dense if passage.dense is not None else 0.0,
        "e5_sentence_rel": e5_sentence - top[0],
        "bm25": (passage.keyword or 0.0) / top[1] if top[1] > 0 else 0.0,
        "rank_inv": 1.0 / (1 + candidate.rank),
        "fused_rel": passage.score / top[2] if top[2] > 0 else 0.0,
        "coverage": coverage(terms, own | text_tokens(chunk.context_header)),
        "coverage_alone": coverage(terms, own),
        "names_present": 1.0 if not missing_names(named, passage_tokens) else 0.0,
        "named_share": named_share,
        "type_fit": sum(prior.get(t, 0.0) * have[t] for t in ANSWER_TYPES),
        "owner_x_owner": prior.get("owner", 0.0) * have["owner"],
        "decision_x_decision": prior.get("decision", 0.0) * have["decision"],
        "date_x_date": prior.get("date", 0.0) * have["date"],
        "amount_x_amount": prior.get("amount", 0.0) * have["amount"],
        "person_x_person": prior.get("person", 0.0) * have["person"],
        "list_x_list": prior.get("list", 0.0) * have["list"],
        "proposal_x_decision": prior.get("decision", 0.0) * (candidate.kind == "proposal"),
        "dissent_x_person": prior.get("person", 0.0) * bool(_DISSENT.search(quote)),
        "year_range": 1.0 if _YEAR_RANGE.search(quote) else 0.0,
        "has_full_date": 1.0 if _dated(quote) else 0.0,
        "has_amount": have["amount"],
        "has_person": have["person"],
        "body_match": max(body, 0.0),
        "body_mismatch": max(-body, 0.0),
        "same_language": 1.0 if chunk.language == question.language else 0.0,
        "short": 1.0 if len(quote) < 15 else 0.0,
        "bare_heading": 1.0 if bare else 0.0,
        "log_length": math.log1p(len(quote)) / 6,
    }
    hinted = question.section_hint
    field = "preparers" if hinted == "preparer" else hinted
    values["hint_match"] = float(bool(hinted) and (chunk.section_kind == hinted or candidate.title == field))
    cue = _FIELD_CUES.get(candidate.title) if candidate.kind == "cover" else None
    values["field_cue"] = float(bool(cue and cue.search(question.text)))
    values["item_coverage"], values["item_dense"] = item
    for k in KINDS:
        values[f"kind_{k}"] = 1.0 if candidate.kind == k else 0.0
    group = _section_group(chunk.section_kind)
    for s in SECTION_GROUPS:
        values[f"section_{s}"] = 1.0 if group == s else 0.0
    return [float(values[name]) for name in FEATURES[:-1]]


def _prefilter(question: Question, candidate: Candidate, terms: tuple[Term, ...]) -> float:
    """A cheap score that picks the candidates worth an embedding."""
    prior = dict(question.type_prior) or {question.type: 1.0}
    have = holds(candidate)
    fit = sum(prior.get(t, 0.0) * have[t] for t in ANSWER_TYPES)
    return (
        coverage(terms, text_tokens(f"{candidate.chunk.context_header}\n{candidate.text}"))
        + 0.5 * fit
        + 0.5 / (1 + candidate.rank)
        + (0.4 if candidate.kind in ("owner", "decision") else 0.0)
        - (0.5 if len(candidate.quote) < 15 else 0.0)
    )


# -- the model -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tree:
    """One regression tree of a boosted ensemble, as arrays (leaf: left == -1)."""

    left: np.ndarray
    right: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    value: np.ndarray

    def predict(self, rows: np.ndarray) -> np.ndarray:
        node = np.zeros(len(rows), dtype=int)
        at = np.arange(len(rows))
        for _ in range(64):
            inner = self.left[node] >= 0
            if not inner.any():
                break
            go_left = rows[at, np.maximum(self.feature[node], 0)] <= self.threshold[node]
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
        return self.value[node]

    def to_json(self) -> dict:
        return {"left": self.left.tolist(), "right": self.right.tolist(), "feature": self.feature.tolist(),
                "threshold": [round(float(t), 6) for t in self.threshold],
                "value": [round(float(v), 6) for v in self.value]}

    @classmethod
    def from_json(cls, data: dict) -> Tree:
        return cls(np.array(data["left"]), np.array(data["right"]), np.array(data["feature"]),
                   np.array(data["threshold"], dtype=float), np.array(data["value"], dtype=float))


@dataclass(frozen=True)
class ScorerModel:
    """A linear model over standardised features and the abstention threshold.

    `objective` "listwise": a question's candidates compete with one another and with abstaining, whose
    score is `intercept`; a candidate's probability is its softmax share (the model was fitted to put the
    mass on a right candidate, or on abstaining where none is right), so it is read as "this candidate
    answers" with the other candidates in view. "pointwise": each candidate's own logistic probability,
    plus (optionally) boosted trees added to its log-odds."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    type_centroids: dict[str, np.ndarray]
    meta: dict
    trees: tuple[Tree, ...] = ()
    learning_rate: float = 0.1
    objective: str = "pointwise"

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """One question's candidates (all of them: under "listwise" they share the probability)."""
        x = (rows - self.mean) / self.scale
        z = x @ self.coef
        if self.objective == "listwise":
            if len(z) == 0:
                return z
            top = max(float(z.max()), self.intercept)
            e = np.exp(z - top)
            return e / (e.sum() + math.exp(self.intercept - top))
        z = z + self.intercept
        for tree in self.trees:
            z = z + self.learning_rate * tree.predict(x)
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> str:
        data = {
            "version": MODEL_VERSION,
            "features": list(self.features),
            "mean": [round(float(x), 6) for x in self.mean],
            "scale": [round(float(x), 6) for x in self.scale],
            "coef": [round(float(x), 6) for x in self.coef],
            "intercept": round(float(self.intercept), 6),
            "threshold": round(float(self.threshold), 4),
            "objective": self.objective,
            "type_centroids": {k: [round(float(x), 4) for x in v] for k, v in self.type_centroids.items()},
            "learning_rate": self.learning_rate,
            "trees": [t.to_json() for t in self.trees],
            **self.meta,
        }
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> ScorerModel:
        data = json.loads(text)
        if data.get("version") not in READABLE_VERSIONS:
            raise ValueError(
                f"answer scorer version {data.get('version')} is not one of {READABLE_VERSIONS}: retrain it "
                "with `strategy-chat train`."
            )
        objective = str(data.get("objective", "pointwise"))
        if objective not in ("pointwise", "listwise"):
            raise ValueError(f"answer scorer objective {objective!r} is unknown: retrain it with "
                             "`strategy-chat train`.")
        names = tuple(data["features"])
        model = cls(
            names, np.array(data["mean"]), np.array(data["scale"]), np.array(data["coef"]),
            float(data["intercept"]), float(data["threshold"]),
            {k: np.array(v) for k, v in data.get("type_centroids", {}).items()},
            {k: v for k, v in data.items() if k not in (
                "version", "features", "mean", "scale", "coef", "intercept", "threshold", "type_centroids",
                "trees", "learning_rate", "objective")},
            tuple(Tree.from_json(t) for t in data.get("trees", ())),
            float(data.get("learning_rate", 0.1)),
            objective,
        )
        return model.aligned()

    def aligned(self) -> ScorerModel:
        """The model over today's FEATURES: a feature the file lacks weighs 0, one it has extra is dropped."""
        if self.features == FEATURES:
            return self
        if self.trees:
            raise ValueError("the answer scorer's trees were fitted on other features: retrain it with "
                             "`strategy-chat train`")
        index = {n: i for i, n in enumerate(self.features)}
        pick = [index.get(n) for n in FEATURES]
        logger.warning("answer scorer was trained on other features; retrain with `strategy-chat train`")

        def take(v: np.ndarray, default: float) -> np.ndarray:
            return np.array([v[i] if i is not None else default for i in pick])

        return ScorerModel(FEATURES, take(self.mean, 0.0), take(self.scale, 1.0), take(self.coef, 0.0),
                           self.intercept, self.threshold, self.type_centroids, self.meta,
                           objective=self.objective)


def prior_model() -> ScorerModel:
    """Hand-set weights for when no trained file is there (a fresh checkout before `train`)."""
    weights = {"e5_sentence": 4.0, "coverage": 2.0, "type_fit": 2.0, "rank_inv": 1.0, "names_present": 1.0,
               "bare_heading": -2.0, "short": -1.0, "body_mismatch": -1.5}
    coef = np.array([weights.get(n, 0.0) for n in FEATURES])
    return ScorerModel(FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), coef, -6.0, 0.5, {},
                       {"trained_on": "none (hand-set prior)"})


@lru_cache(maxsize=4)
def load_model(path: str = str(MODEL_PATH)) -> ScorerModel:
    p = Path(path)
    if not p.exists():
        logger.warning("%s is missing; using hand-set weights (run `strategy-chat train`)", p)
        return prior_model()
    return ScorerModel.from_json(p.read_text(encoding="utf-8"))


# -- scoring one question --------------------------------------------------------------------------
def passage_tokens(passage: Passage) -> frozenset[str]:
    texts = [passage.chunk.context_header, passage.chunk.text, *(n.text for n in passage.neighbours)]
    return text_tokens("\n".join(texts))


def describe(
    question: Question,
    passages: Sequence[Passage],
    embed: Embed | None,
    sections: SectionLookup | None = None,
    limit: int = MAX_EMBEDDED,
    cache: dict[str, np.ndarray] | None = None,
) -> tuple[list[Candidate], np.ndarray]:
    """The admissible candidates worth scoring and their feature rows (one embedding batch)."""
    terms = question_terms(question.text, glossary=False)
    by_chunk = {p.chunk.id: p for p in passages}
    tokens = {p.chunk.id: passage_tokens(p) for p in passages}
    # A minutes item's passages together: the names a question names may stand in the item's header.
    items: dict[tuple[str, str], frozenset[str]] = {}
    item_dense: dict[tuple[str, str], float] = {}
    for p in passages:
        key = (p.chunk.source, item_root(p.chunk))
        item_dense[key] = max(item_dense.get(key, 0.0), p.dense or 0.0)
        if p.chunk.doc_type in ("minutes", "agenda"):
            items[key] = items.get(key, frozenset()) | tokens[p.chunk.id]
    item_cover = {key: coverage(terms, toks) for key, toks in items.items()}
    pool = []
    for c in candidates(question, passages, sections):
        passage = by_chunk.get(c.chunk.id) or Passage(chunk=c.chunk, score=0.0)
        toks = tokens.get(c.chunk.id) or text_tokens(f"{c.chunk.context_header}\n{c.chunk.text}")
        toks = toks | items.get((c.chunk.source, item_root(c.chunk)), frozenset())
        if admissible(question, c, toks):
            pool.append((c, passage, toks))
    pool.sort(key=lambda x: -_prefilter(question, x[0], terms))
    pool = pool[:POOL]
    if not pool:
        return [], np.zeros((0, len(FEATURES)))
    # The first `limit` get their own embedding; the rest stand in with their chunk's similarity.
    sims = _similarities(question, [c for c, _, _ in pool[:limit]], embed, cache)
    embedded = [1.0] * len(sims) + [0.0] * (len(pool) - len(sims))
    sims += [(p.dense if p.dense is not None else 0.0) for _, p, _ in pool[len(sims):]]
    top = (
        max(sims),
        max((p.keyword or 0.0) for p in passages) if passages else 0.0,
        max(p.score for p in passages) if passages else 0.0,
    )
    rows = []
    for (c, p, t), s, e in zip(pool, sims, embedded, strict=True):
        key = (c.chunk.source, item_root(c.chunk))
        item = (item_cover.get(key, 0.0), item_dense.get(key, 0.0))
        rows.append(features(question, c, p, s, top, terms, t, item) + [e])
    return [c for c, _, _ in pool], np.array(rows, dtype=float)


VECTOR_CACHE = 4096  # candidate texts whose vectors are kept per answerer (passages recur across questions)


def _similarities(
    question: Question, found: list[Candidate], embed: Embed | None, cache: dict[str, np.ndarray] | None
) -> list[float]:
    """Cosine of the question's e5 vector with each candidate's (one batch); 0 without a model."""
    if embed is None or question.vector is None:
        return [0.0] * len(found)
    texts = [_embed_text(c) for c in found]
    cache = {} if cache is None else cache
    missing = [t for t in dict.fromkeys(texts) if t not in cache]
    if missing:
        for t, v in zip(missing, embed(missing), strict=True):
            cache[t] = np.asarray(v, dtype=np.float32)
            if len(cache) > VECTOR_CACHE:
                cache.pop(next(iter(cache)))
    vectors = np.stack([cache[t] for t in texts])
    q = np.asarray(question.vector, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(q) or 1.0)
    return [float(x) for x in (vectors @ q) / np.where(norms > 0, norms, 1.0)]


def _embed_text(candidate: Candidate) -> str:
    """The candidate with a little context (its section), cut to keep the batch cheap."""
    head = candidate.chunk.section.split(" › ")[-1] if candidate.chunk.section else ""
    text = candidate.text if candidate.kind in ("owner", "cover") else candidate.quote
    return f"{head}: {text}"[:EMBED_CHARS]


def score(
    question: Question,
    passages: Sequence[Passage],
    embed: Embed | None,
    model: ScorerModel,
    sections: SectionLookup | None = None,
    cache: dict[str, np.ndarray] | None = None,
) -> list[Scored]:
    """The candidates with their probability of answering the question, best first."""
    found, rows = describe(question, passages, embed, sections, cache=cache)
    if not found:
        return []
    probs = model.probabilities(rows)
    order = np.argsort(-probs, kind="stable")
    return [Scored(found[i], float(probs[i]), tuple(rows[i])) for i in order]

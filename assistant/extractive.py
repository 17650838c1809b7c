"""The default answerer: the documents' own sentences, chosen by question type, each one cited.

- owner: the action row or sentence that names who is responsible (not the item's preparer);
- decision: the decision of the body asked about (see `decisions`);
- date: the sentence carrying the date; other questions: the best-supported sentences.
It abstains when the best text does not cover the question (see `support`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.dates import find_dates
from ingest.records import Chunk

from .answerers import abstention, answer_for
from .citations import sentences_of
from .decisions import DecisionFinder, SectionLookup, format_date
from .owners import OwnedAction, is_owner_line, owned_actions
from .prompts import phrases
from .questions import Question, body_classes, mentions_decision
from .records import Answer, Citation, Passage
from .support import (
    Term,
    coverage,
    covers,
    focus,
    missing_names,
    question_terms,
    text_tokens,
    uncovered_share,
)

MIN_SUPPORT = 0.6  # share of the question's weighted terms the chosen passage must cover
MAX_UNCOVERED = 1 / 3  # share of the question's ordinary content words the passage may lack
_OWNER_CUE = re.compile(
    r"vastaa\b|vastaavat\b|vastannut|vastuu|omistaja|koordinoi|johtaa|toteuttaja|"
    r"ansvar|huvudansvar|leder\b|samordna|responsib|\bowner\b|\bleads?\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.? (?:[a-zåäö]+kuuta|januari|februari|mars|"
    r"april|maj|juni|juli|augusti|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sep|"
    r"okt|nov|dec)\b|\b(?:[a-zäö]+kuussa|q[1-4]) ?\d{4}\b|\b\d{4}\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\d|\b(yksi|kaksi|kolme|neljä|viisi|kuusi|seitsemän|kahdeksan|yhdeksän|kymmenen|två|tre|fyra|fem|"
    r"sex|sju|åtta|nio|tio|two|three|four|five|six|seven|eight|nine|ten)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    passage: int  # rank of the passage it comes from
    chunk: Chunk
    text: str  # an exact substring of chunk.text


class ExtractiveAnswerer:
    def __init__(self, min_support: float = MIN_SUPPORT, max_uncovered: float = MAX_UNCOVERED) -> None:
        self.min_support = min_support
        self.max_uncovered = max_uncovered
        self.document_sections: SectionLookup | None = None  # set by the Assistant: source → sections

    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer:
        if not passages:
            return abstention(question, passages)
        terms = question_terms(question.text)
        tokens = [_passage_tokens(p) for p in passages]
        if question.type == "decision" or (question.type == "date" and mentions_decision(question.text)):
            answer = DecisionFinder(self.document_sections, self.min_support).answer(
                question, passages, terms, tokens
            )
            if answer is not None:
                return answer
        # Only passages that name what the question names (towns, dates, names) may answer it.
        names = [t for t in terms if t.named]
        usable = [i for i, t in enumerate(tokens) if not missing_names(names, t)]
        support = {i: coverage(terms, tokens[i]) for i in usable}
        key = focus(terms)
        best = max(
            usable, key=lambda i: (key is None or covers(key, tokens[i]), support[i], -i), default=None
        )
        if (
            best is None
            or support[best] < self.min_support
            or uncovered_share(terms, tokens[best]) > self.max_uncovered
            # Within one language a missing focus word is reliable evidence; across languages it may
            # only be a gap in the glossary.
            or (
                key is not None
                and passages[best].chunk.language == question.language
                and not covers(key, tokens[best])
            )
        ):
            return abstention(question, passages)
        kept = [passages[i] for i in usable]
        answer, score = self._sentences(question, kept, terms)
        if question.type == "owner":
            owner = self._owner(question, kept, terms)
            if owner is not None and owner[1] >= score:
                answer = owner[0]
            elif not any(_OWNER_CUE.search(c.quote) or is_owner_line(c.quote) for c in answer.citations):
                return abstention(question, passages)  # nothing here says who is responsible
        if question.wants_number and not any(
            _answers_quantity(c.quote, terms, c.chunk) for c in answer.citations
        ):
            return abstention(question, passages)
        if (
            question.body_class
            and question.type in ("date", "decision")
            and not any(
                question.body_class in body_classes(f"{c.quote} {c.chunk.body or ''}")
                for c in answer.citations
            )
        ):
            return abstention(question, passages)  # it speaks of another body than the one asked about
        return answer

    # -- owners, dates, facts -------------------------------------------------------------------
    def _owner(
        self, question: Question, passages: Sequence[Passage], terms: tuple[Term, ...]
    ) -> tuple[Answer, float] | None:
        """The owner of the action the question names, when the passages hold an action list.

        Scored like a sentence (coverage with its context header) so that a better-matching owner
        sentence in prose can win over a table row that only shares a word with the question."""
        best: tuple[float, OwnedAction] | None = None
        names = [t for t in terms if t.named]
        for rank, passage in enumerate(passages):
            if passage.chunk.section_kind != "actions":
                continue
            header = text_tokens(passage.chunk.context_header)
            for action in owned_actions(passage.chunk):
                own = coverage(terms, text_tokens(action.text))
                if own == 0 or missing_names(names, text_tokens(action.text) | header):
                    continue

                score = coverage(terms, text_tokens(action.text) | header) + 0.6 - 0.03 * rank
                if best is None or score > best[0]:
                    best = (score, action)
        if best is None:
            return None
        action = best[1]
        words = phrases(question.language)
        owner = action.quote if is_owner_line(action.quote) or action.owner == action.quote else action.owner
        text = owner if is_owner_line(owner) else words["owner"].format(text=owner)
        if action.title not in owner:
            text = f"{action.title} — {text}"
        text += " [1]"

        return answer_for(question, text, (Citation(1, action.chunk, action.quote),)), best[0]

    def _sentences(
        self, question: Question, passages: Sequence[Passage], terms: tuple[Term, ...]
    ) -> tuple[Answer, float]:
        """The best-scoring sentences and the best score (a sentence's coverage with its context header,
        the passage's support, and a bonus for the cue the question type asks for)."""
        scored: list[tuple[float, Sentence]] = []
        key = focus(terms)
        for rank, passage in enumerate(passages):
            chunk = passage.chunk
            if (
                question.type == "owner"
                and chunk.section_kind == "preparer"
                and question.section_hint != "preparer"
            ):
                continue
            header = text_tokens(chunk.context_header)
            for sentence in sentences_of(chunk.text):
                tokens = text_tokens(sentence)
                score = coverage(terms, tokens | header) - 0.03 * rank
                relevance = coverage(terms, tokens)
                if question.type == "owner" and _OWNER_CUE.search(sentence):
                    score += 0.6
                elif question.type == "date" and _DATE.search(sentence):
                    full = bool(find_dates(sentence))  # a day, not only a year
                    score += (0.4 if full else 0.1) if relevance > 0 else 0.05
                if question.wants_number and _answers_quantity(sentence, terms, chunk):
                    score += 0.5
                if question.body_class and question.body_class in body_classes(sentence):
                    score += 0.3
                if question.section_hint and chunk.section_kind == question.section_hint:
                    score += 0.4
                if len(sentence) < 12:
                    score -= 0.3
                if key is not None and covers(key, tokens):
                    score += 0.3  # the sentence speaks of what is asked, not only of its topic
                scored.append((score, Sentence(rank, chunk, sentence)))
        if not scored:
            return abstention(question, passages), 0.0
        scored.sort(key=lambda s: -s[0])
        chosen = _choose(question, scored)
        words = phrases(question.language)
        citations: list[Citation] = []
        parts: list[str] = []
        for sentence in chosen:
            n = next((c.n for c in citations if c.chunk.id == sentence.chunk.id), len(citations) + 1)
            if n == len(citations) + 1:
                citations.append(Citation(n, sentence.chunk, sentence.text))
            parts.append(f"{sentence.text} [{n}]")
        text = " ".join(parts)
        lead = chosen[0].chunk
        if question.type == "date" and not _DATE.search(chosen[0].text) and lead.meeting_date:
            # The sentence carries no date; the meeting it was recorded at does (the citation shows it).
            text = f"{format_date(lead.meeting_date, question.language)}: {text}"
        if question.type == "owner" and not is_owner_line(chosen[0].text):
            text = words["owner"].format(text=text)
        return answer_for(question, text, citations), scored[0][0]


def _choose(question: Question, scored: list[tuple[float, Sentence]]) -> list[Sentence]:
    """The best sentence; for a list, the whole list block it stands in; for a fact, what continues it."""
    best = scored[0][1]
    lines = sentences_of(best.chunk.text)
    at = lines.index(best.text) if best.text in lines else 0
    if question.type == "list" and _is_list_block(lines):
        return [Sentence(best.passage, best.chunk, line) for line in lines[at:][:12] if len(line) > 2]
    chosen = [best]
    wanted = 3 if question.type == "list" else 2 if question.type == "fact" else 1
    for score, sentence in scored[1:]:
        if len(chosen) >= wanted or score < scored[0][0] - 0.35:
            break
        if all(sentence.text != c.text for c in chosen):
            chosen.append(sentence)
    if question.type in ("list", "fact") and len(chosen) < wanted and at + 1 < len(lines):
        follow = lines[at + 1]
        if len(follow) > 20 and all(follow != c.text for c in chosen):
            chosen.append(Sentence(best.passage, best.chunk, follow))
    return chosen


def _is_list_block(lines: list[str]) -> bool:
    """Bullets, or a run of short lines (names, themes, values) rather than prose."""
    if len(lines) < 2:
        return False
    bullets = sum(line.lstrip()[:1] in "•-–*·" or line[:2].rstrip(".").isdigit() for line in lines)
    short = sum(len(line) <= 60 for line in lines)
    return bullets >= len(lines) / 2 or short >= 0.8 * len(lines)


_SECTION_NUMBER = re.compile(r"\b\d+(\.\d+)+\b|\b(19|20)\d\d\b|§\s*\d+")


def _answers_quantity(quote: str, terms: tuple[Term, ...], chunk: Chunk) -> bool:
    """A quantity answer needs an amount (not a section number or a year) in a sentence about the question."""
    amount = _NUMBER.search(_SECTION_NUMBER.sub(" ", quote))
    return bool(amount) and coverage(terms, text_tokens(f"{chunk.context_header}\n{quote}")) >= 0.5


def _passage_tokens(passage: Passage) -> frozenset[str]:
    texts = [passage.chunk.context_header, passage.chunk.text, *(n.text for n in passage.neighbours)]
    return text_tokens("\n".join(texts))

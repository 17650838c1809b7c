"""The default answerer: the documents' own sentences, chosen by question type, each one cited.

- owner: the sentence or action row that names who is responsible (not the item's preparer);
- decision: the decision section of the body asked about, with body, date and §; where the
  decision only says the proposal was approved, the proposal's words follow, cited separately;
- date: the sentence carrying the date; other questions: the best-supported sentences.
It abstains when the best text does not cover the question (see `support`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.records import Chunk

from .answerers import abstention
from .citations import split_sentences
from .prompts import phrases
from .questions import Question, body_class
from .records import Answer, Citation, Passage
from .support import Term, coverage, missing_names, question_terms, text_tokens, uncovered_share

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
_APPROVED_ONLY = re.compile(
    r"^\s*(päätösehdotus|päätösesitys|ehdotus|esitys)?\s*(hyväksyttiin|hyväksytään)\b[^.]*\.?\s*$|"
    r"^\s*(kommunstyrelsen|fullmäktige|nämnden|styrelsen)?\s*(beslutar|beslöt)?\s*(enligt förslaget|bifaller "
    r"förslaget)\.?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    passage: int  # rank of the passage it comes from
    chunk: Chunk
    text: str  # an exact substring of chunk.text


def sentences_of(text: str) -> list[str]:
    """Lines and sentences, each an exact substring of `text` (minutes put one statement a line)."""
    return [text[a:b] for a, b in split_sentences(text)]


SectionLookup = Callable[[str], list[tuple[str, list[Chunk]]]]


class ExtractiveAnswerer:
    def __init__(self, min_support: float = MIN_SUPPORT, max_uncovered: float = MAX_UNCOVERED) -> None:
        self.min_support = min_support
        self.max_uncovered = max_uncovered
        self.document_sections: SectionLookup | None = None  # set by the Assistant: source → sections

    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer:
        if not passages:
            return abstention(question, passages)
        terms = question_terms(question.text)
        support = [coverage(terms, _passage_tokens(p)) for p in passages]
        best = max(range(len(passages)), key=lambda i: (support[i], -i))
        every_token = frozenset().union(*(_passage_tokens(p) for p in passages))
        if (
            support[best] < self.min_support
            or missing_names(terms, every_token)
            or uncovered_share(terms, _passage_tokens(passages[best])) > self.max_uncovered
        ):
            return abstention(question, passages)
        if question.type == "decision":
            answer = self._decision(question, passages, terms)
            if answer is not None:
                return answer
        return self._sentences(question, passages, terms, support)

    # -- decisions ---------------------------------------------------------------------------
    def _decision(
        self, question: Question, passages: Sequence[Passage], terms: tuple[Term, ...]
    ) -> Answer | None:
        words = phrases(question.language)
        candidates = [p.chunk for p in passages if p.chunk.section_kind == "decision"]
        if question.body_class:
            matching = [c for c in candidates if body_class(c.body) == question.body_class]
            if not matching and self.document_sections:
                matching = [
                    c
                    for source in dict.fromkeys(p.chunk.source for p in passages[:3])
                    for _, chunks in self.document_sections(source)
                    for c in chunks
                    if c.section_kind == "decision" and body_class(c.body) == question.body_class
                ]
            if not matching:
                return None
            candidates = matching
        if not candidates:
            return None
        chosen = max(candidates, key=lambda c: coverage(terms, text_tokens(c.embed_text)))
        decision_text = _trim(chosen.text, 2)
        citations = [Citation(1, chosen, decision_text)]
        date = _format_date(chosen.meeting_date, question.language)
        item = f" (§ {chosen.item})" if chosen.item else ""
        template = words["decided"] if date else words["decided_no_date"]
        text = template.format(
            body=chosen.body or chosen.document_title, date=date, item=item, text=decision_text
        )
        text += " [1]"
        how = _how(chosen.resolution, words)
        if how:
            text += f" ({how})"
        if _APPROVED_ONLY.match(chosen.text.strip()) or len(chosen.text) < 60:
            proposal = self._proposal_of(chosen)
            if proposal is not None:
                quote = _trim(proposal.text, 2)
                citations.append(Citation(2, proposal, quote))
                text += "\n\n" + words["proposal_approved"].format(text=quote) + " [2]"
        return Answer(
            question=question.text,
            text=text,
            abstained=False,
            citations=tuple(citations),
            language=question.language,
            question_type=question.type,
        )

    def _proposal_of(self, decision: Chunk) -> Chunk | None:
        """The proposal of the same handling (same document, body, date and §), if the index has it."""
        if not self.document_sections:
            return None
        for _, chunks in self.document_sections(decision.source):
            for c in chunks:
                if c.section_kind == "proposal" and (c.body, c.meeting_date, c.item) == (
                    decision.body,
                    decision.meeting_date,
                    decision.item,
                ):
                    return c
        return None

    # -- owners, dates, facts -------------------------------------------------------------------
    def _sentences(
        self, question: Question, passages: Sequence[Passage], terms: tuple[Term, ...], support: list[float]
    ) -> Answer:
        scored: list[tuple[float, Sentence]] = []
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
                score = coverage(terms, tokens | header) + 0.5 * support[rank] - 0.03 * rank
                if question.type == "owner" and _OWNER_CUE.search(sentence):
                    score += 0.6
                elif question.type == "date" and _DATE.search(sentence):
                    score += 0.6
                if question.section_hint and chunk.section_kind == question.section_hint:
                    score += 0.4
                if len(sentence) < 12:
                    score -= 0.3
                scored.append((score, Sentence(rank, chunk, sentence)))
        if not scored:
            return abstention(question, passages)
        scored.sort(key=lambda s: -s[0])
        wanted = 3 if question.type == "list" else 2 if question.type == "fact" else 1
        chosen = [scored[0][1]]
        for score, sentence in scored[1:]:
            if len(chosen) >= wanted or score < scored[0][0] - 0.35:
                break
            if all(sentence.text != c.text for c in chosen):
                chosen.append(sentence)
        words = phrases(question.language)
        citations: list[Citation] = []
        parts: list[str] = []
        for sentence in chosen:
            n = next((c.n for c in citations if c.chunk.id == sentence.chunk.id), len(citations) + 1)
            if n == len(citations) + 1:
                citations.append(Citation(n, sentence.chunk, sentence.text))
            parts.append(f"{sentence.text} [{n}]")
        text = " ".join(parts)
        if question.type == "owner":
            text = words["owner"].format(text=text)
        return Answer(
            question=question.text,
            text=text,
            abstained=False,
            citations=tuple(citations),
            language=question.language,
            question_type=question.type,
        )


def _passage_tokens(passage: Passage) -> frozenset[str]:
    texts = [passage.chunk.context_header, passage.chunk.text, *(n.text for n in passage.neighbours)]
    return text_tokens("\n".join(texts))


def _trim(text: str, sentences: int) -> str:
    """The first sentences of a section, as an exact prefix of its text."""
    parts = sentences_of(text)
    if not parts:
        return text.strip()
    end = text.find(parts[min(sentences, len(parts)) - 1]) + len(parts[min(sentences, len(parts)) - 1])
    return text[text.find(parts[0]) : end].strip()


def _how(resolution: str | None, words: dict[str, str]) -> str | None:
    return {
        "approved_unanimously": words["unanimous"],
        "approved_after_vote": words["after_vote"],
        "amended": words["amended"],
        "returned": words["returned"],
        "tabled": words["tabled"],
        "rejected": words["rejected"],
        "noted": words["noted"],
    }.get(resolution or "")


def _format_date(iso: str | None, language: str) -> str:
    if not iso or len(iso) < 10:
        return iso or ""
    y, m, d = iso[:10].split("-")
    return f"{int(d)}.{int(m)}.{y}" if language == "fi" else iso[:10]

"""Typed records of the question-answering side: what retrieval returns and what `ask` answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.records import Chunk

# A document's sections in reading order by source: [(section path, its chunks)] (the retriever's
# `document_sections`, handed to answerers that read a decision's proposal and vote).
SectionLookup = Callable[[str], list[tuple[str, list[Chunk]]]]


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk, its fused score, and the neighbouring chunks of its section for context."""

    chunk: Chunk
    score: float  # reciprocal-rank-fused score
    dense: float | None = None  # cosine similarity, where the dense side found it
    keyword: float | None = None  # BM25 score, where the keyword side found it
    neighbours: tuple[Chunk, ...] = ()

    def to_json(self) -> dict:
        c = self.chunk
        return {
            "source": c.source,
            "section": c.section,
            "page": c.page,
            "score": round(self.score, 6),
            "text": c.text,
        }


@dataclass(frozen=True)
class Citation:
    """Marker [n] in an answer: the chunk it points to and the exact span that supports the claim."""

    n: int
    chunk: Chunk
    quote: str  # an exact substring of chunk.text

    def to_json(self) -> dict:
        c = self.chunk
        return {
            "n": self.n,
            "source": c.source,
            "document_title": c.document_title,
            "section": c.section,
            "page": c.page,
            "municipality": c.municipality,
            "body": c.body,
            "meeting_date": c.meeting_date,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    language: str = "en"  # the question's language; abstentions and templates use it
    question_type: str = "fact"  # "owner" | "decision" | "date" | "fact" | "list"
    rewritten_question: str | None = None  # a follow-up made standalone, when it was rewritten
    # The answer scorer's probability that the chosen candidate answers (for an abstention: the best
    # candidate's, under the threshold); 1.0 from answerers that do not score (naive, LLM).
    confidence: float = 1.0

    def to_json(self) -> dict:
        """The `ask --json` contract (one object per question)."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "confidence": round(self.confidence, 4),
            "citations": [c.to_json() for c in self.citations],
            "passages": [p.to_json() for p in self.passages],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
